import type { BaselineChange, BaselineComparison } from './baseline.js';
import type { CpuCost } from './cpu-cost.js';
import type { SecondPoint, StageStats } from './load-recorder.js';
import type { LoadProfile, Stage } from './profile.js';
import type { ResourceCheck, ResourceSummary } from './resource-gates.js';
import type { ResourceRecording } from './resource-sampler.js';
import type { ThresholdCheck } from './thresholds.js';

/** Live progress of a run, for a TTY line or one line per stage in CI. */
export type LoadProgress =
  | {
      readonly kind: 'tick';
      readonly elapsedMs: number;
      readonly totalMs: number;
      readonly stage: string;
      readonly targetRate: number;
      /** Successful responses in the last second. */
      readonly achievedRate: number;
      /** p99 so far in the current stage (scheduled-start latency). */
      readonly p99Ms: number;
      readonly sent: number;
      readonly errors: number;
      readonly dropped: number;
    }
  | {
      readonly kind: 'stage';
      readonly stage: string;
      readonly index: number;
      readonly of: number;
      readonly targetRate: number;
      readonly achievedRate: number;
      readonly p50Ms: number;
      readonly p99Ms: number;
      readonly completed: number;
      readonly errorRate: number;
    };

/** The result of a load pass: what was measured and every gate's verdict. */
export interface LoadResult {
  /** True when every threshold, resource limit and baseline check passed and the run was not aborted. */
  readonly ok: boolean;
  readonly profile: {
    readonly name: string;
    readonly description: string;
    readonly source: string;
    readonly startRate: number;
    readonly targetRate: number;
    readonly stages: readonly Stage[];
    readonly thresholds: LoadProfile['thresholds'];
    readonly limits: LoadProfile['limits'];
    readonly baseline: LoadProfile['baseline'];
  };
  readonly target: string;
  readonly startedAt: string;
  /** When the plan's first arrival was scheduled (after the warm-up): stage windows count from it. */
  readonly planStartedAt: string;
  readonly durationMs: number;
  /** Why the run stopped early (a threshold with abortOnFail, or an interrupt); null when it ran to the end. */
  readonly abortedReason: string | null;
  readonly generator: {
    readonly connections: number;
    readonly maxInFlight: number;
    readonly maxInFlightSeen: number;
    /** Requests still outstanding at the drain deadline (cancelled, counted as errors). */
    readonly abandoned: number;
  };
  readonly stages: readonly StageStats[];
  readonly total: StageStats;
  readonly series: readonly SecondPoint[];
  readonly thresholds: readonly ThresholdCheck[];
  readonly resources: {
    readonly cpus: number;
    readonly intervalMs: number;
    readonly summaries: readonly ResourceSummary[];
    readonly checks: readonly ResourceCheck[];
    readonly recording: ResourceRecording;
  };
  /** CPU ms per completed request of each service and backing store over the threshold stage (what the baseline's CPU checks compare). */
  readonly cpu: CpuCost;
  readonly baseline: (BaselineComparison & { readonly updated: readonly BaselineChange[] | null }) | null;
  /** One line per failed gate. */
  readonly findings: readonly string[];
}

