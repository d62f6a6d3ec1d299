import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { buildTrace, parseLogLines } from '../../../src/scenarios/index.js';
import type { LogLine } from '../../../src/scenarios/index.js';

const FIXTURE = new URL('../../fixtures/scenarios/b-unavailable-logs/', import.meta.url);
const START = Date.parse('2026-01-01T00:00:00.900Z');
const END = Date.parse('2026-01-01T00:00:04.000Z');

async function fixtureLines(): Promise<LogLine[]> {
  const a = parseLogLines(await readFile(new URL('service-a.log', FIXTURE), 'utf8'));
  const b = parseLogLines(await readFile(new URL('service-b.log', FIXTURE), 'utf8'));
  return [...a, ...b];
}

describe('scenarios: parseLogLines', () => {
  it('reads pino JSON lines with ISO times and skips lines that are not JSON objects', () => {
    const lines = parseLogLines('{"time":"2026-01-01T00:00:00.000Z","service":"service-a","event":"x"}\nnot json\n[1,2]\n{"time":5,"event":"y"}\n{"broken":', 'fallback');
    expect(lines.map((l) => [l.service, l.time, l.event])).to.deep.equal([
      ['service-a', Date.parse('2026-01-01T00:00:00.000Z'), 'x'],
      ['fallback', 5, 'y'],
    ]);
  });
});

describe('scenarios: buildTrace', () => {
  it('groups the traced events of the window by correlation id, in time order', async () => {
    const trace = buildTrace('b-unavailable', await fixtureLines(), START, END);
    expect(trace.correlations.map((c) => c.correlationId)).to.deep.equal(['cid-outage', 'probe-1', 'cid-retry']);
    const outage = trace.correlations[0]?.events ?? [];
    expect(outage.map((e) => e.event)).to.deep.equal([
      'http.request',
      'upstream.call',
      'upstream.retry',
      'upstream.call',
      'upstream.retry',
      'upstream.call',
      'upstream.retry',
      'upstream.call',
      'upstream.exhausted',
      'http.response',
    ]);
    expect(outage[0]).to.include({ t: 100, service: 'service-a', method: 'POST', url: '/orders' });
    const retry = trace.correlations[2]?.events ?? [];
    expect(retry.filter((e) => e.service === 'service-b').map((e) => e.event)).to.deep.equal(['http.request', 'db.query', 'db.query', 'db.query', 'db.query', 'cache.invalidate', 'http.response']);
  });

  it('leaves out untraced events, lines outside the window and pino bookkeeping', async () => {
    const trace = buildTrace('b-unavailable', await fixtureLines(), START, Date.parse('2026-01-01T00:00:02.000Z'));
    expect(trace.correlations.map((c) => c.correlationId)).to.deep.equal(['cid-outage']);
    const first = trace.correlations[0]?.events[0] ?? {};
    expect(first).to.not.have.any.keys('level', 'time', 'correlationId', 'msg');
    expect(JSON.stringify(trace)).to.not.include('service.start');
  });

  it('keeps traced events logged outside any request apart', async () => {
    const trace = buildTrace('b-unavailable', await fixtureLines(), START, END);
    expect(trace.uncorrelated.map((e) => [e.service, e.event])).to.deep.equal([['service-b', 'cache.degraded']]);
  });
});
