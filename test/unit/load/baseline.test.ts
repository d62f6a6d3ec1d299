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
    expect(result.checks.map((check) => check.allowed)).to.deep.equal([2.5, 25, 50, 375]);
  });

  it('fails when p95, p99 or the achieved rate is worse than the tolerance allows', () => {
    const result = compareWithBaseline('b.json', entry(), entry({ p95Ms: 26, p99Ms: 51, achievedRate: 370 }), DEFAULT_BASELINE_POLICY);
    expect(result.status).to.equal('regressed');
    expect(result.checks.filter((check) => !check.ok).map((check) => check.id)).to.deep.equal(['baseline.p95', 'baseline.p99', 'baseline.rate']);
  });

  it('holds the median to a tight band: a 30 % slower chain fails, a run with a noisy tail but the same median passes', () => {
    // Recorded on this 2-core machine: the smoke pass's sustain p50 ~4.3 ms, p99 ~25 ms.
    const baseline = entry({ p50Ms: 4.32, p95Ms: 13.6, p99Ms: 25.15 });
    const policy = { ...DEFAULT_BASELINE_POLICY, tolerance: 0.5, minDeltaMs: 25 };
    const slower = compareWithBaseline('b.json', baseline, entry({ p50Ms: 4.32 * 1.3, p95Ms: 13.6 * 1.3, p99Ms: 25.15 * 1.3 }), policy);
    expect(slower.status).to.equal('regressed');
    expect(slower.checks.filter((check) => !check.ok).map((check) => check.id)).to.deep.equal(['baseline.p50']);
    const noisyTail = compareWithBaseline('b.json', baseline, entry({ p50Ms: 4.6, p95Ms: 19, p99Ms: 48 }), policy);
    expect(noisyTail.status).to.equal('passed');
  });

  it('compares with the slowest of the recorded runs, and the lowest recorded rate', () => {
    const runs = [4.0, 4.6, 4.2].map((p50Ms, index) => ({ achievedRate: 200 - index, p50Ms, p95Ms: 13, p99Ms: 25, recordedAt: `2026-01-0${index + 1}T00:00:00.000Z` }));
    const baseline = entry({ p50Ms: 4.2, runs });
    const result = compareWithBaseline('b.json', baseline, entry({ p50Ms: 5.2, p95Ms: 13, p99Ms: 25, achievedRate: 160 }), DEFAULT_BASELINE_POLICY);
    expect(result.checks.map((check) => [check.id, check.baseline, check.allowed])).to.deep.equal([
      ['baseline.p50', 4.6, 5.29],
      ['baseline.p95', 13, 18],
      ['baseline.p99', 25, 31.25],
      ['baseline.rate', 198, 148.5],
    ]);
    expect(result.status).to.equal('passed');
    expect(result.checks[0]?.description).to.include('the slowest of 3 recorded runs');
    expect(compareWithBaseline('b.json', baseline, entry({ p50Ms: 5.3 }), DEFAULT_BASELINE_POLICY).status).to.equal('regressed');
  });

  it('keeps the last five runs of an entry on update, an old single-run entry counting as one', async () => {
    const file = join(dir, 'performance-baseline.json');
    await writeFile(file, JSON.stringify({ description: 'old', version: 1, entries: { 'smoke@500': entry({ p50Ms: 9 }) } }));
    for (const p50Ms of [1, 2, 3, 4, 5]) await updateBaseline(file, entry({ p50Ms }));
    const stored = (await readBaseline(file, true)).entries['smoke@500'];
    expect(stored?.p50Ms).to.equal(5);
    expect(stored?.runs?.map((run) => run.p50Ms)).to.deep.equal([1, 2, 3, 4, 5]);
    await updateBaseline(join(dir, 'other.json'), entry({ p50Ms: 7 }));
    expect((await readBaseline(join(dir, 'other.json'), true)).entries['smoke@500']?.runs?.map((run) => run.p50Ms)).to.deep.equal([7]);
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
  describe('CPU per request', () => {
    // Four smoke passes on this 2-core machine minutes apart (CPU ms per request over sustain):
    // the chain's total moved 3.3–4.6 ms, each service's share of the services' CPU a few percent.
    const pass = (stub: number, b: number, a: number, c: number, postgres: number, redis: number) => ({
      services: { 'payments-stub': stub, 'service-b': b, 'service-a': a, 'service-c': c },
      backing: { postgres, redis },
    });
    const first = pass(0.5, 0.907, 1.32, 0.523, 0.803, 0.247);
    const second = pass(0.473, 0.817, 1.203, 0.54, 0.74, 0.23);
    const third = pass(0.39, 0.663, 1.01, 0.407, 0.62, 0.2);
    const noisiest = pass(0.537, 0.983, 1.403, 0.567, 0.9, 0.257);
    const recorded = entry({ runs: [first, second, third].map((cpu, index) => ({ achievedRate: 200, p50Ms: 2, p95Ms: 20, p99Ms: 40, recordedAt: `2026-01-0${index + 1}T00:00:00.000Z`, cpu })) });
    const failedIds = (result: ReturnType<typeof compareWithBaseline>) => result.checks.filter((check) => !check.ok).map((check) => check.id);

    it('passes a pass whose whole chain is 40 % costlier than the cheapest recorded, every share about the same', () => {
      const result = compareWithBaseline('b.json', recorded, entry({ cpu: noisiest }), DEFAULT_BASELINE_POLICY);
      expect(failedIds(result)).to.deep.equal([]);
      expect(result.checks.map((check) => check.id).filter((id) => id.startsWith('baseline.cpu'))).to.deep.equal([
        'baseline.cpu.total',
        'baseline.cpu-share.payments-stub',
        'baseline.cpu-share.service-b',
        'baseline.cpu-share.service-a',
        'baseline.cpu-share.service-c',
      ]);
      expect(result.checks.find((check) => check.id === 'baseline.cpu-share.service-b')).to.include({ unit: 'ratio', baseline: 0.3871 });
    });

    it('fails the share of the one service doing 30 % more work, on the noisiest recorded pass', () => {
      const slowerB = { ...noisiest, services: { ...noisiest.services, 'service-b': noisiest.services['service-b'] * 1.3 } };
      const result = compareWithBaseline('b.json', recorded, entry({ cpu: slowerB }), DEFAULT_BASELINE_POLICY);
      expect(failedIds(result)).to.deep.equal(['baseline.cpu-share.service-b']);
      expect(result.status).to.equal('regressed');
    });

    it('fails the total when every process costs more than the tolerance allows', () => {
      const scale = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([name, cost]) => [name, cost * 1.5]));
      const costlier = { services: scale(first.services), backing: scale(first.backing) };
      expect(failedIds(compareWithBaseline('b.json', recorded, entry({ cpu: costlier }), DEFAULT_BASELINE_POLICY))).to.deep.equal(['baseline.cpu.total']);
    });

    it('has no CPU checks against runs recorded before CPU was kept, and no share for a service never recorded', () => {
      expect(compareWithBaseline('b.json', entry(), entry({ cpu: first }), DEFAULT_BASELINE_POLICY).checks.map((check) => check.id)).to.deep.equal(['baseline.p50', 'baseline.p95', 'baseline.p99', 'baseline.rate']);
      const withNew = compareWithBaseline('b.json', recorded, entry({ cpu: { ...first, services: { ...first.services, 'service-d': 0.3 } } }), DEFAULT_BASELINE_POLICY);
      expect(withNew.checks.map((check) => check.id)).to.not.include('baseline.cpu-share.service-d');
    });

    it("keeps each run's CPU per request on update and rejects a malformed one", async () => {
      const file = join(dir, 'cpu.json');
      await updateBaseline(file, entry({ cpu: first }));
      expect((await readBaseline(file, true)).entries['smoke@500']?.runs?.[0]?.cpu).to.deep.equal(first);
      await writeFile(file, JSON.stringify({ version: 1, entries: { 'smoke@500': { ...entry(), cpu: { services: { 'service-a': 'fast' } } } } }));
      const error = await readBaseline(file, true).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isAccordError(error) && error.message).to.include('entries.smoke@500.cpu');
    });
  });
});
