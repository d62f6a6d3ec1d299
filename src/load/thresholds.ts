import type { Thresholds } from './profile.js';
import type { LatencySummary } from './latency-histogram.js';

/** The outcome of one threshold. */
export interface ThresholdCheck {
  /** Stable id, e.g. `latency.p99`, `rate.min`, `errors.rate`, `rate.target`. */
  readonly id: string;
  /** What was checked, for humans: `p99 < 1000 ms over sustain`. */
  readonly description: string;
  readonly actual: number;
  readonly limit: number;
  readonly unit: 'ms' | 'req/s' | 'ratio';
  readonly ok: boolean;
  /** Reported only: never fails the pass (the 500 req/s target). */
  readonly informational: boolean;
}

/** The measurements thresholds are evaluated against (one stage's). */
export interface ThresholdInput {
  readonly latency: LatencySummary;
  readonly achievedRate: number;
  readonly errorRate: number;
  readonly completed: number;
}

/** Evaluates the latency, rate and error thresholds; `targetRate` is reported, not gated. */
export function evaluateThresholds(thresholds: Thresholds, input: ThresholdInput, targetRate: number): ThresholdCheck[] {
  const over = `over ${thresholds.stage}`;
  const latency = (id: 'p50' | 'p95' | 'p99', limit: number, actual: number): ThresholdCheck => ({
    id: `latency.${id}`,
    description: `${id} < ${limit} ms ${over}`,
    actual,
    limit,
    unit: 'ms',
    // Nothing completed means nothing was measured: that is a failure, not a pass.
    ok: input.completed > 0 && actual < limit,
    informational: false,
  });
  return [
    latency('p50', thresholds.p50Ms, input.latency.p50Ms),
    latency('p95', thresholds.p95Ms, input.latency.p95Ms),
    latency('p99', thresholds.p99Ms, input.latency.p99Ms),
    {
      id: 'rate.min',
      description: `achieved rate ≥ ${thresholds.minRate} req/s ${over}`,
      actual: input.achievedRate,
      limit: thresholds.minRate,
      unit: 'req/s',
      ok: input.achievedRate >= thresholds.minRate,
      informational: false,
    },
    {
      id: 'rate.target',
      description: `target rate ${targetRate} req/s ${over} (reported)`,
      actual: input.achievedRate,
      limit: targetRate,
      unit: 'req/s',
      ok: input.achievedRate >= targetRate * 0.99,
      informational: true,
    },
    {
      id: 'errors.rate',
      description: `error rate ≤ ${formatRatio(thresholds.maxErrorRate)} ${over}`,
      actual: input.errorRate,
      limit: thresholds.maxErrorRate,
      unit: 'ratio',
      ok: input.completed > 0 && input.errorRate <= thresholds.maxErrorRate,
      informational: false,
    },
  ];
}

/**
 * The thresholds that can already be known to fail while the stage runs (latency and errors;
 * the rate only means something at the end). Used for `abortOnFail`.
 */
export function failingEarly(thresholds: Thresholds, input: ThresholdInput): string | undefined {
  if (input.completed === 0) return undefined;
  const failed = evaluateThresholds(thresholds, input, 0).filter((check) => !check.ok && !check.informational && check.id !== 'rate.min');
  if (failed.length === 0) return undefined;
  return `threshold failed during ${thresholds.stage}: ${failed.map((check) => `${check.description} (was ${formatValue(check.actual, check.unit)})`).join('; ')}`;
}

/** `0.1%` for 0.001. */
export function formatRatio(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(3))}%`;
}

/** A threshold value with its unit. */
export function formatValue(value: number, unit: ThresholdCheck['unit']): string {
  if (unit === 'ratio') return formatRatio(value);
  if (unit === 'ms') return `${value.toFixed(value >= 100 ? 0 : 2)} ms`;
  return `${value.toFixed(1)} req/s`;
}
