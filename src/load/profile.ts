/**
 * The resolved shape of a load profile (everything filled in) and its frozen defaults.
 * The YAML form and its validation live in profile-loader.ts.
 */

/** One stage of a ramping-arrival-rate plan: the rate moves linearly to `target` over `durationMs`. */
export interface Stage {
  readonly name: string;
  readonly durationMs: number;
  /** Arrivals per second at the end of the stage. */
  readonly target: number;
}

/** One kind of request in the weighted mix. Strings may hold `{{...}}` placeholders (request-mix.ts). */
export interface RequestTemplate {
  /** The endpoint name used for histograms and reports, e.g. `POST /users`. */
  readonly name: string;
  readonly weight: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON body template (placeholders are filled in string values). */
  readonly body: unknown;
  /** Status codes that count as success. Empty means any status below 400. */
  readonly expect: readonly number[];
  /** Response fields to remember for later requests: pool name → JSON field. */
  readonly capture: Readonly<Record<string, string>>;
}

/** Latency, rate and error thresholds, evaluated over one stage (the seed's numbers by default). */
export interface Thresholds {
  /** The stage the thresholds are evaluated over. @default 'sustain' */
  readonly stage: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Minimum achieved rate (successful responses per second) over the stage. @default 100 */
  readonly minRate: number;
  /** The rate the pass aims at; reported next to the achieved rate, not gated. @default the highest stage target */
  readonly targetRate: number | undefined;
  /** Highest allowed share of failed requests (0.001 = 0.1%). @default 0.001 */
  readonly maxErrorRate: number;
  /** Stop sending as soon as a threshold fails during the stage. @default false */
  readonly abortOnFail: boolean;
  /** How long into the stage before an abort may happen (few samples are noisy). @default 5000 */
  readonly abortGraceMs: number;
}

/** Per-service resource limits (design: CPU < 80 %, memory < 2 GB, disk I/O < 50 MB/s). */
export interface ResourceLimits {
  /** Highest mean CPU over the threshold stage, in percent. @default 80 */
  readonly cpuPercent: number;
  /** What the CPU percentage is of: the whole machine or one core. @default 'machine' */
  readonly cpuOf: 'machine' | 'core';
  /** Highest resident memory (RSS, summed over a service's processes) at any sample. @default 2e9 */
  readonly memoryBytes: number;
  /** Highest disk read + write rate in any one-second sample of the threshold stage. @default 50e6 */
  readonly diskBytesPerSecond: number;
}

/** How a run is compared with the stored baseline. */
export interface BaselinePolicy {
  /** Allowed relative worsening of p95/p99 and shortfall of the achieved rate. @default 0.25 */
  readonly tolerance: number;
  /**
   * Latency worsening below this many ms is never a regression: loopback p95s are a few ms, and
   * timer slack alone moves them by 1 ms, which would be 25 % of nothing. @default 5
   */
  readonly minDeltaMs: number;
  /**
   * Allowed relative worsening of the median (p50) over the slowest of the recorded runs. The
   * median of thousands of requests barely moves with a VM stall, so this band can be tight
   * enough to catch a build 30 % slower, which the p95/p99 band cannot. @default 0.15
   */
  readonly medianTolerance: number;
  /** Median worsening below this many ms is never a regression (timer slack). @default 0.5 */
  readonly medianMinDeltaMs: number;
  /**
   * Allowed relative growth of a service's share (its CPU per request over the other services'),
   * against its highest recorded share. The common factor of the machine cancels in the ratio, so
   * the band can be tight. @default 0.15
   */
  readonly cpuShareTolerance: number;
  /**
   * A git revision whose build is measured beside the candidate in alternating rounds (A B A B …)
   * instead of the recorded file. The gate defaults to the merge base with the main branch.
   */
  readonly ref?: string;
  /** The most A/B pairs of rounds before an undecided measure is called inconclusive. @default 6 */
  readonly rounds: number;
  /** Pairs before any verdict. @default 3 */
  readonly minRounds: number;
  /** Length of each round's measured stage (at the threshold stage's rate). @default 5000 */
  readonly roundMs: number;
  /** The paired band of the median and of CPU per request (and of the achieved rate). @default 0.15 */
  readonly pairedTolerance: number;
  /** The paired band of p95 and p99, which a VM stall moves far more than a build. @default 0.5 */
  readonly pairedTailTolerance: number;
}

/** A complete load profile, every field filled. */
export interface LoadProfile {
  readonly name: string;
  readonly description: string;
  /** The file the profile came from (for messages). */
  readonly source: string;
  /**
   * Where each YAML key's value came from (`thresholds.p95` → `load.yaml defaults`, the profile's
   * own file or `load.yaml profiles.NAME`, or `built-in default`), for `accord load --dry-run`.
   */
  readonly origins?: Readonly<Record<string, string>>;
  /** The environment service the pass drives when no target URL is given; no default (it names the system's own service), so a pass without a target needs it. */
  readonly service: string | undefined;
  /** Arrival rate at time 0, before the first stage ramps. @default 0 */
  readonly startRate: number;
  readonly stages: readonly Stage[];
  readonly mix: readonly RequestTemplate[];
  /**
   * SQL run against the environment's database before the run, when Accord started the
   * environment (never against a `--target`): the rows the mix's data refers to.
   */
  readonly seedSql: string | undefined;
  /** Named lists of values for `{{name}}` placeholders (e.g. the ids of seeded rows). */
  readonly data: Readonly<Record<string, readonly string[]>>;
  /**
   * Requests sent before the plan starts, a few at a time, not measured: they open connections
   * and let the services compile their hot paths, which otherwise lands in the first seconds. @default 0
   */
  readonly warmupRequests: number;
  /** Keep-alive connections to the target. @default 64 */
  readonly connections: number;
  /** Requests in flight at most; an arrival beyond it is dropped and counted. @default 2000 */
  readonly maxInFlight: number;
  /** A request that has not completed after this long fails as a timeout. @default 10000 */
  readonly requestTimeoutMs: number;
  /** An arrival sent later than this after its scheduled time counts as late. @default 10 */
  readonly lateAfterMs: number;
  /** Resource sampling interval. @default 1000 */
  readonly sampleIntervalMs: number;
  readonly thresholds: Thresholds;
  readonly limits: ResourceLimits;
  readonly baseline: BaselinePolicy;
  /**
   * The event lag gate (the producer's XADD to the consumer's commit), when the profile sets it:
   * the consumer's table of processed events (it belongs to the system under test, so the config names it)
   * and the p99 limit over the threshold stage. Needs an environment Accord started or was given.
   */
  readonly eventLag?: EventLagGate;
}

/** How the event lag of a pass is read and gated. */
export interface EventLagGate {
  /** The consumer's table with `published_at` (the stream entry's time) and `processed_at` (its commit). */
  readonly table: string;
  readonly p99Ms: number;
  /** How long to wait after the last request for the consumer to catch up. @default 5000 */
  readonly drainMs: number;
}

/** The seed's thresholds, used where a profile says nothing. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  stage: 'sustain',
  p50Ms: 100,
  p95Ms: 500,
  p99Ms: 1000,
  minRate: 100,
  targetRate: undefined,
  maxErrorRate: 0.001,
  abortOnFail: false,
  abortGraceMs: 5000,
});

/** The seed's resource limits. */
export const DEFAULT_LIMITS: ResourceLimits = Object.freeze({
  cpuPercent: 80,
  cpuOf: 'machine',
  memoryBytes: 2e9,
  diskBytesPerSecond: 50e6,
});

/** The default regression policy: 25 % because these machines are noisy. */
export const DEFAULT_BASELINE_POLICY: BaselinePolicy = Object.freeze({
  tolerance: 0.25,
  minDeltaMs: 5,
  medianTolerance: 0.15,
  medianMinDeltaMs: 0.5,
  cpuShareTolerance: 0.15,
  rounds: 6,
  minRounds: 3,
  roundMs: 5000,
  pairedTolerance: 0.15,
  pairedTailTolerance: 0.5,
});

/** Defaults of the scalar profile settings. */
export const PROFILE_DEFAULTS = Object.freeze({
  startRate: 0,
  warmupRequests: 0,
  connections: 64,
  maxInFlight: 2000,
  requestTimeoutMs: 10_000,
  lateAfterMs: 10,
  sampleIntervalMs: 1000,
});

/** The rate the pass aims at: the configured target, else the highest stage target. */
export function targetRateOf(profile: LoadProfile): number {
  return profile.thresholds.targetRate ?? Math.max(profile.startRate, ...profile.stages.map((stage) => stage.target));
}

/** Total planned duration of the profile in ms. */
export function profileDurationMs(profile: LoadProfile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}
