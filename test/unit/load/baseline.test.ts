import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { DEFAULT_BASELINE_POLICY, baselineKey, compareWithBaseline, readBaseline, updateBaseline } from '../../../src/load/index.js';
import type { BaselineEntry } from '../../../src/load/index.js';

const entry = (overrides: Partial<BaselineEntry> = {}): BaselineEntry => ({
  profile: 'smoke',
  stage: 'sustain',
  targetRate: 500,
  achievedRate: 500,
  p50Ms: 2,
  p95Ms: 20,
  p99Ms: 40,
  requests: 7500,
  recordedAt: '2026-01-01T00:00:00.000Z',
  histogram: '',
  ...overrides,
});

describe('baseline', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-baseline-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a run within the tolerance', () => {
    const result = compareWithBaseline('b.json', entry(), entry({ p95Ms: 24, p99Ms: 49, achievedRate: 400 }), DEFAULT_BASELINE_POLICY);
    expect(result.status).to.equal('passed');
    expect(result.checks.map((check) => check.allowed)).to.deep.equal([25, 50, 375]);
  });

  it('fails when p95, p99 or the achieved rate is worse than the tolerance allows', () => {
    const result = compareWithBaseline('b.json', entry(), entry({ p95Ms: 26, p99Ms: 51, achievedRate: 370 }), DEFAULT_BASELINE_POLICY);
    expect(result.status).to.equal('regressed');
    expect(result.checks.filter((check) => !check.ok).map((check) => check.id)).to.deep.equal(['baseline.p95', 'baseline.p99', 'baseline.rate']);
  });

  it('ignores latency changes below minDelta (1 ms of timer slack is not a 25 % regression)', () => {
    const result = compareWithBaseline('b.json', entry({ p95Ms: 2, p99Ms: 4 }), entry({ p95Ms: 6.5, p99Ms: 8.9 }), DEFAULT_BASELINE_POLICY);
    expect(result.status).to.equal('passed');
  });

  it('says missing when there is no entry for the profile at this rate', () => {
    expect(compareWithBaseline('b.json', undefined, entry(), DEFAULT_BASELINE_POLICY).status).to.equal('missing');
    expect(baselineKey('smoke', 500)).to.equal('smoke@500');
  });

  it('writes the entry on update, says what changed, and keeps other entries', async () => {
    const file = join(dir, 'performance-baseline.json');
    const first = await updateBaseline(file, entry({ profile: 'full' }));
    expect(first.find((change) => change.metric === 'full@500 p99Ms')).to.deep.equal({ metric: 'full@500 p99Ms', before: undefined, after: 40 });
    const changes = await updateBaseline(file, entry({ p99Ms: 35 }));
    await updateBaseline(file, entry({ p99Ms: 30 })).then((again) => {
      expect(again.find((change) => change.metric === 'smoke@500 p99Ms')).to.deep.equal({ metric: 'smoke@500 p99Ms', before: 35, after: 30 });
    });
    expect(changes).to.have.length(5);
    const stored = await readBaseline(file, true);
    expect(Object.keys(stored.entries)).to.deep.equal(['full@500', 'smoke@500']);
    expect(stored.entries['smoke@500']?.p99Ms).to.equal(30);
    expect(JSON.parse(await readFile(file, 'utf8')).version).to.equal(1);
  });

  it('treats a missing default file as empty and rejects a malformed one with its problems', async () => {
    expect((await readBaseline(join(dir, 'none.json'))).entries).to.deep.equal({});
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 2, entries: { 'smoke@500': { p95Ms: 'fast' } } }));
    try {
      await readBaseline(bad);
      expect.fail('a malformed baseline was accepted');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_BASELINE_INVALID')).to.equal(true);
      expect((error as Error).message).to.include('`version` to be 1').and.include('entries.smoke@500.p95Ms');
    }
  });
});
