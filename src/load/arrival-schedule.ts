import type { Stage } from './profile.js';

/** One linear piece of the rate function r(t), with the arrivals counted before it. */
interface Segment {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly fromRate: number;
  readonly toRate: number;
  /** ∫ r dt from 0 to startMs, in arrivals. */
  readonly arrivalsBefore: number;
  /** Arrivals inside this segment. */
  readonly arrivals: number;
  /** Change of rate per second (arrivals/s²). */
  readonly slope: number;
}

/**
 * The open-model arrival plan of a ramping-arrival-rate profile (k6 semantics: each stage moves
 * the rate linearly from the previous target to its own). Arrival i (1-based) is scheduled at the
 * time t where ∫₀ᵗ r = i − ½, so a constant rate gives evenly spaced starts and never a burst.
 */
export interface ArrivalSchedule {
  /** Planned arrivals in total (∫ r over the whole plan, rounded). */
  readonly totalArrivals: number;
  readonly durationMs: number;
  /** Scheduled time (ms since start) of arrival `i` (1-based); undefined past the last one. */
  timeOf(i: number): number | undefined;
  /** The planned rate (arrivals/s) at `ms`. */
  rateAt(ms: number): number;
  /** The index of the stage that `ms` falls in (the last stage for the end instant). */
  stageAt(ms: number): number;
  /** Planned arrivals between two instants. */
  arrivalsBetween(fromMs: number, toMs: number): number;
}

/** Builds the arrival plan for `stages`, starting at `startRate` arrivals/s. */
export function arrivalSchedule(stages: readonly Stage[], startRate = 0): ArrivalSchedule {
  const segments: Segment[] = [];
  let startMs = 0;
  let fromRate = startRate;
  let arrivalsBefore = 0;
  stages.forEach((stage, index) => {
    const arrivals = ((fromRate + stage.target) / 2) * (stage.durationMs / 1000);
    const slope = stage.durationMs > 0 ? (stage.target - fromRate) / (stage.durationMs / 1000) : 0;
    segments.push({ index, startMs, endMs: startMs + stage.durationMs, fromRate, toRate: stage.target, arrivalsBefore, arrivals, slope });
    startMs += stage.durationMs;
    fromRate = stage.target;
    arrivalsBefore += arrivals;
  });
  const durationMs = startMs;
  const totalArrivals = Math.round(arrivalsBefore);
  // The generator asks for arrivals in increasing order, so a moving cursor keeps lookups O(1).
  let cursor = 0;

  const cumulativeAt = (ms: number): number => {
    const clamped = Math.min(Math.max(ms, 0), durationMs);
    const segment = segments.find((s) => clamped <= s.endMs) ?? segments[segments.length - 1];
    if (!segment) return 0;
    const tau = (clamped - segment.startMs) / 1000;
    return segment.arrivalsBefore + segment.fromRate * tau + (segment.slope * tau * tau) / 2;
  };

  return {
    totalArrivals,
    durationMs,
    timeOf(i: number): number | undefined {
      if (i < 1 || i > totalArrivals || !Number.isInteger(i)) return undefined;
      const wanted = i - 0.5;
      let segment = segments[cursor] as Segment;
      if (wanted < segment.arrivalsBefore) {
        cursor = 0;
        segment = segments[0] as Segment;
      }
      while (cursor < segments.length - 1 && wanted > segment.arrivalsBefore + segment.arrivals) segment = segments[++cursor] as Segment;
      const remaining = wanted - segment.arrivalsBefore;
      // Solve fromRate·τ + slope·τ²/2 = remaining; this form stays stable when slope is 0 or negative.
      const root = Math.sqrt(Math.max(0, segment.fromRate * segment.fromRate + 2 * segment.slope * remaining));
      const denominator = segment.fromRate + root;
      const tau = denominator > 0 ? (2 * remaining) / denominator : 0;
      return Math.min(segment.endMs, segment.startMs + tau * 1000);
    },
    rateAt(ms: number): number {
      const segment = segments.find((s) => ms >= s.startMs && ms < s.endMs);
      if (!segment) return ms >= durationMs ? (segments[segments.length - 1]?.toRate ?? startRate) : startRate;
      const share = (ms - segment.startMs) / (segment.endMs - segment.startMs);
      return segment.fromRate + (segment.toRate - segment.fromRate) * share;
    },
    stageAt(ms: number): number {
      const segment = segments.find((s) => ms < s.endMs);
      return segment ? segment.index : Math.max(0, segments.length - 1);
    },
    arrivalsBetween(fromMs: number, toMs: number): number {
      return cumulativeAt(toMs) - cumulativeAt(fromMs);
    },
  };
}

/** Start and end (ms since the run began) of each stage. */
export function stageWindows(stages: readonly Stage[]): { name: string; startMs: number; endMs: number }[] {
  let startMs = 0;
  return stages.map((stage) => {
    const window = { name: stage.name, startMs, endMs: startMs + stage.durationMs };
    startMs += stage.durationMs;
    return window;
  });
}
