import { loadavg } from 'node:os';
import type { StartedEnvironment } from '../env/index.js';
import type { LoadResult } from './load-result.js';
import { pairedVerdict } from './paired-verdict.js';
import type { MeasureSpec, PairedRound, PairedVerdict } from './paired-verdict.js';
import { readMachineCpu } from './proc-stats.js';
import type { LoadProfile } from './profile.js';
import { targetRateOf } from './profile.js';
import { roundTo } from './round-to.js';

/** The stage every round runs: the threshold stage's rate, held for the policy's round length. */
export const ROUND_STAGE = 'round';

/** The resource sampler's interval during a round, at most. */
const ROUND_SAMPLE_MS = 500;

/** Warm-up requests of every round after the first pair. */
const WARM_AGAIN = 40;

/** One round of the sitting: which build, what it measured, and how busy the machine was. */
export interface RoundRecord {
  /** 1-based pair number. */
  readonly pair: number;
  readonly build: 'baseline' | 'candidate';
  readonly measures: Readonly<Record<string, number>>;
  /** 1-minute load average at the round's end. */
  readonly loadAverage: number;
  /** The whole machine's busy CPU over the round, %. */
  readonly busyPercent: number;
  readonly durationMs: number;
}

/** The A/B sitting: every round, and the verdict over them. */
export interface PairedComparison {
  readonly stage: string;
  readonly rate: number;
  readonly roundMs: number;
  readonly rounds: readonly RoundRecord[];
  readonly verdict: PairedVerdict;
  readonly wallMs: number;
  readonly maxRounds: number;
}

/** Options of {@link runPairedRounds}. */
export interface PairedRoundsOptions {
  readonly profile: LoadProfile;
  readonly baseline: StartedEnvironment;
  readonly candidate: StartedEnvironment;
  /** Runs one round of `profile` on an environment whose data was just reset. */
  readonly runRound: (environment: StartedEnvironment, profile: LoadProfile) => Promise<LoadResult>;
  /** Puts an environment's data back to a fresh start before each round. */
  readonly resetData: (environment: StartedEnvironment) => Promise<void>;
  /** Called after every round with what it measured and its whole result (the candidate's thresholds are judged from them). */
  readonly onRound?: (round: RoundRecord, result: LoadResult) => void;
  readonly signal?: AbortSignal;
}

/**
 * The profile as one short round: the threshold stage's target rate from the first arrival (the
 * warm-up requests open the connections and compile the hot paths first), held for `roundMs`.
 */
export function roundProfileOf(profile: LoadProfile): LoadProfile {
  const rate = profile.stages.find((stage) => stage.name === profile.thresholds.stage)?.target ?? targetRateOf(profile);
  return {
    ...profile,
    startRate: rate,
    stages: [{ name: ROUND_STAGE, durationMs: profile.baseline.roundMs, target: rate }],
    // A round is a few seconds: finer samples, so the sample straddling its start (the warm-up's burst) weighs less on its CPU per request.
    sampleIntervalMs: Math.min(profile.sampleIntervalMs, ROUND_SAMPLE_MS),
    thresholds: { ...profile.thresholds, stage: ROUND_STAGE, abortOnFail: false },
  };
}

/** What a round measured: latency percentiles and rate of its stage, CPU per request of each process. */
export function measuresOf(result: LoadResult): Record<string, number> {
  const stage = result.stages.find((s) => s.name === ROUND_STAGE) ?? result.total;
  const measures: Record<string, number> = {
    [`${ROUND_STAGE}.p50`]: stage.latency.p50Ms,
    [`${ROUND_STAGE}.p95`]: stage.latency.p95Ms,
    [`${ROUND_STAGE}.p99`]: stage.latency.p99Ms,
    rate: stage.achievedRate,
  };
  for (const [name, ms] of Object.entries({ ...result.cpu.services, ...result.cpu.backing })) measures[`cpu.${name}`] = ms;
  return measures;
}

/**
 * The measures the verdict weighs, from the rounds so far. CPU per request of a process that
 * costs less than `minShare` of the chain's CPU per request is left out: a few clock ticks per
 * round (Redis, a stub) is quantisation noise that no band can hold.
 */
export function measureSpecs(profile: LoadProfile, rounds: readonly PairedRound[], minShare = 0.1): MeasureSpec[] {
  const band = profile.baseline.pairedTolerance;
  const tail = profile.baseline.pairedTailTolerance;
  const specs: MeasureSpec[] = [
    { id: `${ROUND_STAGE}.p50`, description: `p50 at ${roundProfileOf(profile).stages[0]?.target} req/s`, unit: 'ms', better: 'lower', band },
    { id: `${ROUND_STAGE}.p95`, description: `p95 at ${roundProfileOf(profile).stages[0]?.target} req/s`, unit: 'ms', better: 'lower', band: tail },
    { id: `${ROUND_STAGE}.p99`, description: `p99 at ${roundProfileOf(profile).stages[0]?.target} req/s`, unit: 'ms', better: 'lower', band: tail },
    { id: 'rate', description: 'achieved rate', unit: 'req/s', better: 'higher', band },
  ];
  const cpuIds = [...new Set(rounds.flatMap((round) => Object.keys(round.baseline).filter((id) => id.startsWith('cpu.'))))];
  const meanOf = (id: string) => rounds.reduce((sum, round) => sum + (round.baseline[id] ?? 0), 0) / Math.max(1, rounds.length);
  const total = cpuIds.reduce((sum, id) => sum + meanOf(id), 0);
  for (const id of cpuIds.sort()) {
    if (total > 0 && meanOf(id) / total < minShare) continue;
    specs.push({ id, description: `${id.slice('cpu.'.length)} CPU per request`, unit: 'ms/request', better: 'lower', band });
  }
  return specs;
}

/**
 * Runs baseline and candidate in alternating rounds (A B B A A B …), each on freshly reset data, until
 * every measure is decided or the policy's maximum of pairs is reached. The two builds share the
 * machine, the sitting and its drift: what differs within a pair is the build.
 */
export async function runPairedRounds(options: PairedRoundsOptions): Promise<PairedComparison> {
  const started = Date.now();
  const policy = options.profile.baseline;
  const profile = roundProfileOf(options.profile);
  const records: RoundRecord[] = [];
  const pairs: PairedRound[] = [];
  let verdict = pairedVerdict([], [], { minRounds: policy.minRounds, maxRounds: policy.rounds });
  for (let pair = 1; pair <= policy.rounds; pair++) {
    const measured: Partial<Record<RoundRecord['build'], Record<string, number>>> = {};
    // A B, then B A: a round that follows the other build's (its writes, autovacuum, a cooler
    // cache) does so as often for either build, so the order does not lean on the ratio.
    const order = pair % 2 === 1 ? (['baseline', 'candidate'] as const) : (['candidate', 'baseline'] as const);
    // Both builds had the same unmeasured warm-up round before the first pair (see
    // compareWithBaselineBuild); after the first pair a short warm-up reopens what the reset closed.
    const roundProfile = pair === 1 ? profile : { ...profile, warmupRequests: Math.min(profile.warmupRequests, WARM_AGAIN) };
    for (const build of order) {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('interrupted');
      const environment = build === 'baseline' ? options.baseline : options.candidate;
      await options.resetData(environment);
      const before = await readMachineCpu();
      const roundStarted = Date.now();
      const result = await options.runRound(environment, roundProfile);
      const after = await readMachineCpu();
      const record: RoundRecord = {
        pair,
        build,
        measures: measuresOf(result),
        loadAverage: roundTo(loadavg()[0] ?? 0, 2),
        busyPercent: after.total > before.total ? roundTo(((after.busy - before.busy) / (after.total - before.total)) * 100, 1) : 0,
        durationMs: Date.now() - roundStarted,
      };
      measured[build] = { ...record.measures };
      records.push(record);
      options.onRound?.(record, result);
    }
    pairs.push({ baseline: measured.baseline ?? {}, candidate: measured.candidate ?? {} });
    verdict = pairedVerdict(measureSpecs(options.profile, pairs), pairs, { minRounds: policy.minRounds, maxRounds: policy.rounds });
    if (!verdict.wantsMoreRounds) break;
  }
  return { stage: ROUND_STAGE, rate: profile.stages[0]?.target ?? 0, roundMs: policy.roundMs, rounds: records, verdict, wallMs: Date.now() - started, maxRounds: policy.rounds };
}
