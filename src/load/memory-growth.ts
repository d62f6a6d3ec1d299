import { roundTo } from './round-to.js';

/** How a tree's memory moved over a stage: a leak keeps climbing, a cache climbs and levels off. */
export interface MemoryGrowth {
  /** Last sample's memory minus the first's over the stage, bytes. */
  readonly growthBytes: number;
  /** Least-squares slope over the whole stage, bytes per minute. */
  readonly slopeBytesPerMinute: number;
  /** Least-squares slope over the stage's second half, bytes per minute. */
  readonly lateSlopeBytesPerMinute: number;
  /** `flat`: moved less than the noise floor; `plateau`: grew, then levelled off; `growing`: still climbing at the end. */
  readonly trend: 'flat' | 'plateau' | 'growing';
}

/** Options of {@link memoryGrowth}. */
export interface MemoryGrowthOptions {
  /** Growth below this share of the peak (or {@link floorBytes}, whichever is larger) is flat. @default 0.02 */
  readonly floorShare?: number;
  /** @default 1 MB */
  readonly floorBytes?: number;
}

/**
 * The growth of `points` (t in seconds, memory in bytes) over a stage. Still growing means the
 * second half's slope keeps at least half the whole stage's: a cache warms up early and stops, a
 * leak grows at the same pace to the end.
 */
export function memoryGrowth(points: readonly { t: number; bytes: number }[], options: MemoryGrowthOptions = {}): MemoryGrowth {
  if (points.length < 2) return { growthBytes: 0, slopeBytesPerMinute: 0, lateSlopeBytesPerMinute: 0, trend: 'flat' };
  const first = points[0] as { t: number; bytes: number };
  const last = points.at(-1) as { t: number; bytes: number };
  const growthBytes = last.bytes - first.bytes;
  const slope = slopePerMinute(points);
  const late = slopePerMinute(points.slice(Math.floor(points.length / 2)));
  const peak = Math.max(...points.map((point) => point.bytes));
  const floor = Math.max(peak * (options.floorShare ?? 0.02), options.floorBytes ?? 1e6);
  const minutes = (last.t - first.t) / 60;
  const trend = growthBytes < floor && slope * minutes < floor ? 'flat' : late >= slope / 2 && late * minutes > floor / 2 ? 'growing' : 'plateau';
  return { growthBytes, slopeBytesPerMinute: Math.round(slope), lateSlopeBytesPerMinute: Math.round(late), trend };
}

function slopePerMinute(points: readonly { t: number; bytes: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const meanT = points.reduce((sum, point) => sum + point.t, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.bytes, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const point of points) {
    numerator += (point.t - meanT) * (point.bytes - meanY);
    denominator += (point.t - meanT) ** 2;
  }
  return denominator === 0 ? 0 : roundTo((numerator / denominator) * 60, 0);
}
