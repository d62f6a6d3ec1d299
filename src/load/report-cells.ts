import type { LoadResult } from './load-result.js';
import type { StageStats } from './load-recorder.js';
import { memoryLabel } from './resource-gates.js';
import type { ResourceSummary } from './resource-gates.js';
import { formatBytes, formatDuration } from './units.js';

/** Milliseconds as the reports print them: two decimals below 100 ms, whole above. */
export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(2));

/** The cells every report shows for a stage, in the column order of its stage table. */
export function stageCells(stage: StageStats, options: { uncorrectedP99?: boolean } = {}): string[] {
  return [
    stage.name,
    formatDuration(stage.durationMs),
    String(stage.targetRate),
    String(stage.sent),
    stage.achievedRate.toFixed(1),
    ms(stage.latency.p50Ms),
    ms(stage.latency.p95Ms),
    ms(stage.latency.p99Ms),
    ms(stage.latency.maxMs),
    ...(options.uncorrectedP99 ? [ms(stage.uncorrected.p99Ms)] : []),
    String(stage.errors),
    String(stage.dropped),
    String(stage.late),
  ];
}

/** The headers of {@link resourceCells}, in order. */
export const RESOURCE_HEADERS = ['CPU % machine', 'CPU % core', 'memory peak', 'memory growth', 'RSS sum peak', 'disk read/s', 'disk write/s'] as const;

/** CPU % of the machine, CPU % of a core, peak memory (PSS) and its growth, peak RSS sum, peak disk read/s and write/s of one process tree. */
export function resourceCells(summary: ResourceSummary): string[] {
  const growth = summary.memoryGrowth;
  return [
    summary.cpuMachineMeanPercent.toFixed(1),
    summary.cpuCoreMeanPercent.toFixed(1),
    `${formatBytes(summary.memoryMaxBytes)} ${memoryLabel(summary.memoryOf)}`,
    `${growth.growthBytes >= 0 ? '+' : '-'}${formatBytes(Math.abs(growth.growthBytes))} (${growth.trend})`,
    formatBytes(summary.rssMaxBytes),
    formatBytes(summary.readMaxBytesPerSecond),
    formatBytes(summary.writeMaxBytesPerSecond),
  ];
}

/** Whether a process's resource gates passed; the generator's own figures are only reported. */
export function resourceGate(result: LoadResult, summary: ResourceSummary): 'reported' | 'pass' | 'fail' {
  if (summary.role === 'generator') return 'reported';
  return result.resources.checks.filter((check) => check.target === summary.name).every((check) => check.ok) ? 'pass' : 'fail';
}
