import { expect } from 'chai';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { DEFAULT_BASELINE_POLICY, roundProfileOf, runPairedRounds } from '../../../src/load/index.js';
import type { LoadProfile, LoadResult } from '../../../src/load/index.js';
import { pairedChecks } from '../../../src/load/paired-step.js';

const profile = {
  name: 'smoke',
  service: 'service-a',
  startRate: 0,
  warmupRequests: 200,
  sampleIntervalMs: 1000,
  stages: [
    { name: 'ramp-up', durationMs: 8000, target: 200 },
    { name: 'sustain', durationMs: 15_000, target: 200 },
    { name: 'ramp-down', durationMs: 7000, target: 0 },
  ],
  thresholds: { stage: 'sustain', abortOnFail: true, targetRate: 500 },
  baseline: { ...DEFAULT_BASELINE_POLICY, rounds: 5, minRounds: 3, roundMs: 4000 },
} as unknown as LoadProfile;

const environment = (name: string) => ({ name }) as unknown as StartedEnvironment;

/** A round's result as the rounds read it: the round stage's latency and rate, CPU per request per process. */
function result(p50: number, cpuOfB: number): LoadResult {
  const latency = { p50Ms: p50, p95Ms: p50 * 3, p99Ms: p50 * 5 };
  return { stages: [{ name: 'round', latency, achievedRate: 200 }], total: { latency, achievedRate: 200 }, cpu: { services: { 'service-a': 0.9, 'service-b': cpuOfB }, backing: { redis: 0.01 } } } as unknown as LoadResult;
}

describe('paired rounds (A B A B …)', () => {
  it('holds the threshold stage rate for one short round, never aborting on its own thresholds', () => {
    const round = roundProfileOf(profile);
    expect(round.stages).to.deep.equal([{ name: 'round', durationMs: 4000, target: 200 }]);
    expect(round.startRate).to.equal(200);
    expect(round.sampleIntervalMs).to.equal(500);
    expect(round.thresholds).to.include({ stage: 'round', abortOnFail: false });
  });

  it('alternates the builds, resets data before every round and stops once every measure is decided', async () => {
    const calls: string[] = [];
    const warmups: number[] = [];
    const comparison = await runPairedRounds({
      profile,
      baseline: environment('baseline'),
      candidate: environment('candidate'),
      resetData: async (env) => {
        calls.push(`reset ${(env as unknown as { name: string }).name}`);
      },
      runRound: async (env, round) => {
        const name = (env as unknown as { name: string }).name;
        calls.push(`run ${name} ${round.stages[0]?.name}`);
        warmups.push(round.warmupRequests);
        // B costs 60 % more in the candidate: decided as soon as the minimum of pairs is in.
        return name === 'candidate' ? result(4, 1.6) : result(4, 1.0);
      },
    });
    expect(calls.slice(0, 4)).to.deep.equal(['reset baseline', 'run baseline round', 'reset candidate', 'run candidate round']);
    // The second pair starts with the candidate, so neither build always follows the other.
    expect(calls.slice(4, 6)).to.deep.equal(['reset candidate', 'run candidate round']);
    expect(comparison.rounds.map((round) => `${round.pair}${round.build[0]}`)).to.deep.equal(['1b', '1c', '2c', '2b', '3b', '3c']);
    // The full warm-up once per build, a short one after the reset of each later round.
    expect(warmups).to.deep.equal([200, 200, 40, 40, 40, 40]);
    expect(comparison.verdict.outcome).to.equal('regression');
    const cpuOfB = comparison.verdict.measures.find((measure) => measure.id === 'cpu.service-b');
    expect(cpuOfB).to.include({ outcome: 'regression', rounds: 3 });
    // Redis's 1 % of the chain's CPU is reported by the round but not weighed.
    expect(comparison.verdict.measures.map((measure) => measure.id)).not.to.include('cpu.redis');
    const checks = pairedChecks(comparison, 'build of main');
    expect(checks.find((check) => check.id === 'ab.cpu.service-b')?.status).to.equal('fail');
    expect(checks.find((check) => check.id === 'ab.rounds')?.message).to.match(/^3 pairs of 4 s rounds at 200 req\/s \(at most 5\), .*verdict regression; baseline: build of main$/);
  });

  it('runs to the maximum of pairs when the builds cannot be told apart, and reports that as a warning, not a pass', async () => {
    let n = 0;
    // The candidate over the baseline, pair by pair: 10 % slower on the whole, but the pairs scatter from 0.9 to 1.4.
    const ratios = [0.95, 1.4, 1.0, 1.35, 0.9];
    const comparison = await runPairedRounds({
      profile,
      baseline: environment('baseline'),
      candidate: environment('candidate'),
      resetData: async () => undefined,
      runRound: async (env) => {
        const ratio = ratios[Math.floor(n++ / 2)] as number;
        return (env as unknown as { name: string }).name === 'candidate' ? result(4 * ratio, ratio) : result(4, 1);
      },
    });
    expect(comparison.verdict.rounds).to.equal(5);
    expect(comparison.verdict.outcome).to.equal('inconclusive');
    const statuses = pairedChecks(comparison, 'build of main').filter((check) => check.id !== 'ab.rounds' && check.id !== 'ab.rate').map((check) => check.status);
    expect(statuses).to.include('warn');
    expect(statuses).not.to.include('fail');
  });
});
