import { expect } from 'chai';
import { formatBytes, formatDuration, parseDuration, parseSize } from '../../../src/load/index.js';

describe('load units', () => {
  it('parses durations in ms, s, m, h and combinations', () => {
    expect(parseDuration('250ms')).to.equal(250);
    expect(parseDuration('30s')).to.equal(30_000);
    expect(parseDuration('5m')).to.equal(300_000);
    expect(parseDuration('1h')).to.equal(3_600_000);
    expect(parseDuration('1m30s')).to.equal(90_000);
    expect(parseDuration('1.5s')).to.equal(1500);
  });

  it('rejects text that is not a duration', () => {
    expect(parseDuration('10 seconds')).to.equal(undefined);
    expect(parseDuration('fast')).to.equal(undefined);
    expect(parseDuration('')).to.equal(undefined);
  });

  it('formats durations the way k6 stages write them', () => {
    expect(formatDuration(300_000)).to.equal('5m');
    expect(formatDuration(90_000)).to.equal('1m30s');
    expect(formatDuration(8_000)).to.equal('8s');
    expect(formatDuration(250)).to.equal('250ms');
    expect(formatDuration(3_600_000)).to.equal('1h');
  });

  it('parses decimal and binary sizes, with or without /s', () => {
    expect(parseSize('2GB')).to.equal(2e9);
    expect(parseSize('50MB/s')).to.equal(50e6);
    expect(parseSize('512MiB')).to.equal(512 * 1024 * 1024);
    expect(parseSize(1024)).to.equal(1024);
    expect(parseSize('lots')).to.equal(undefined);
    expect(parseSize(-1)).to.equal(undefined);
  });

  it('formats bytes with decimal units', () => {
    expect(formatBytes(0)).to.equal('0 B');
    expect(formatBytes(2e9)).to.equal('2.00 GB');
    expect(formatBytes(82_100_000)).to.equal('82.1 MB');
  });
});
