import type { SecondPoint } from './load-recorder.js';
import { roundTo } from './round-to.js';

/**
 * Reduces a per-second series to at most `maxPoints` buckets for charts: rates are averaged,
 * latencies take the bucket's worst value (a chart that averages away a stall hides it).
 */
export function downsampleSeries(series: readonly SecondPoint[], maxPoints: number): SecondPoint[] {
  if (series.length <= maxPoints) return [...series];
  const size = Math.ceil(series.length / maxPoints);
  const buckets: SecondPoint[] = [];
  for (let start = 0; start < series.length; start += size) {
    const bucket = series.slice(start, start + size);
    const first = bucket[0];
    if (!first) continue;
    const mean = (pick: (point: SecondPoint) => number) => roundTo(bucket.reduce((sum, point) => sum + pick(point), 0) / bucket.length, 1);
    const max = (pick: (point: SecondPoint) => number) => Math.max(...bucket.map(pick));
    buckets.push({
      t: first.t,
      stage: first.stage,
      targetRate: mean((p) => p.targetRate),
      sent: mean((p) => p.sent),
      achievedRate: mean((p) => p.achievedRate),
      errors: bucket.reduce((sum, point) => sum + point.errors, 0),
      dropped: bucket.reduce((sum, point) => sum + point.dropped, 0),
      late: bucket.reduce((sum, point) => sum + point.late, 0),
      p50Ms: max((p) => p.p50Ms),
      p95Ms: max((p) => p.p95Ms),
      p99Ms: max((p) => p.p99Ms),
      maxMs: max((p) => p.maxMs),
    });
  }
  return buckets;
}
