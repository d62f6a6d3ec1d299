import type { ResourceLimits } from './profile.js';
import { memoryGrowth } from './memory-growth.js';
import type { MemoryGrowth } from './memory-growth.js';
import type { MemorySource, ResourceRecording, ResourceSample, ResourceTarget } from './resource-sampler.js';
import { formatBytes } from './units.js';
import { roundTo } from './round-to.js';

/** Resource use of one process tree, over the whole run and over the threshold stage. */
export interface ResourceSummary {
  readonly name: string;
  readonly pid: number;
  readonly role: ResourceTarget['role'];
  readonly samples: number;
  /** Mean CPU over the threshold stage, % of the machine and % of one core. */
  readonly cpuMachineMeanPercent: number;
  readonly cpuCoreMeanPercent: number;
  /** Highest one-second CPU over the whole run. */
  readonly cpuMachineMaxPercent: number;
  readonly cpuCoreMaxPercent: number;
  /** Highest RSS sum at any sample of the run (shared pages once per process): reported beside {@link memoryMaxBytes}. */
  readonly rssMaxBytes: number;
  /** Highest memory at any sample of the run, shared pages counted once (PSS; see {@link memoryOf}): what the limit gates. */
  readonly memoryMaxBytes: number;
  /** What {@link memoryMaxBytes} sums: PSS, RSS where PSS could not be read, or both. */
  readonly memoryOf: MemorySource;
  /** The memory's growth over the threshold stage: a slope that lasts is a leak, one that levels off a cache. */
  readonly memoryGrowth: MemoryGrowth;
  /** Highest one-second disk read / write / read+write rates over the threshold stage. */
  readonly readMaxBytesPerSecond: number;
  readonly writeMaxBytesPerSecond: number;
  readonly diskMaxBytesPerSecond: number;
}

/** The outcome of one resource limit for one process tree. */
export interface ResourceCheck {
  /** Stable id, e.g. `resource.cpu.<service>`. */
  readonly id: string;
  readonly target: string;
  readonly description: string;
  readonly actual: number;
  readonly limit: number;
  readonly unit: '%' | 'bytes' | 'bytes/s';
  readonly ok: boolean;
}

/** Summarises each sampled tree; CPU means and disk peaks are taken over `window` (seconds since start). */
export function summarizeResources(recording: ResourceRecording, window: { startMs: number; endMs: number }): ResourceSummary[] {
  const interval = recording.intervalMs / 1000;
  // A sample at t covers (t − interval, t]; it belongs to the window when most of it does.
  const inWindow = (sample: ResourceSample) => sample.t - interval / 2 >= window.startMs / 1000 && sample.t - interval / 2 < window.endMs / 1000;
  return recording.series.map((series) => {
    const gated = series.samples.filter(inWindow);
    const mean = (values: number[]) => (values.length === 0 ? 0 : roundTo(values.reduce((sum, value) => sum + value, 0) / values.length, 2));
    const max = (values: number[]) => (values.length === 0 ? 0 : Math.max(...values));
    return {
      name: series.name,
      pid: series.pid,
      role: series.role,
      samples: series.samples.length,
      cpuMachineMeanPercent: mean(gated.map((s) => s.cpuMachinePercent)),
      cpuCoreMeanPercent: mean(gated.map((s) => s.cpuCorePercent)),
      cpuMachineMaxPercent: max(series.samples.map((s) => s.cpuMachinePercent)),
      cpuCoreMaxPercent: max(series.samples.map((s) => s.cpuCorePercent)),
      rssMaxBytes: max(series.samples.map((s) => s.rssBytes)),
      memoryMaxBytes: max(series.samples.map(memoryOfSample)),
      memoryOf: sourceOf(series.samples),
      memoryGrowth: memoryGrowth(gated.map((s) => ({ t: s.t, bytes: memoryOfSample(s) }))),
      readMaxBytesPerSecond: max(gated.map((s) => s.readBytesPerSecond)),
      writeMaxBytesPerSecond: max(gated.map((s) => s.writeBytesPerSecond)),
      diskMaxBytesPerSecond: max(gated.map((s) => s.readBytesPerSecond + s.writeBytesPerSecond)),
    };
  });
}

/** A sample's memory: its PSS sum, or its RSS sum in a recording from before PSS was read. */
function memoryOfSample(sample: ResourceSample): number {
  return sample.memoryBytes ?? sample.rssBytes;
}

function sourceOf(samples: readonly ResourceSample[]): MemorySource {
  const kinds = new Set(samples.map((sample) => sample.memoryOf ?? 'rss'));
  return kinds.size > 1 || kinds.has('mixed') ? 'mixed' : kinds.has('pss') ? 'pss' : 'rss';
}

/** How a memory figure is named in a check: `PSS`, `RSS` or `PSS (RSS where unreadable)`. */
export function memoryLabel(of: MemorySource): string {
  return of === 'pss' ? 'PSS' : of === 'rss' ? 'RSS' : 'PSS (RSS where unreadable)';
}

/**
 * Checks each service and backing process against the limits: mean CPU over the threshold stage,
 * peak memory (PSS, shared pages counted once) over the run, peak one-second disk I/O over the stage. The generator is reported, never
 * gated. A tree that yielded no sample fails: an unmeasured limit is not a kept one.
 */
export function evaluateResourceLimits(limits: ResourceLimits, summaries: readonly ResourceSummary[], stage: string): ResourceCheck[] {
  const checks: ResourceCheck[] = [];
  for (const summary of summaries) {
    if (summary.role === 'generator') continue;
    const measured = summary.samples > 0;
    const cpu = limits.cpuOf === 'machine' ? summary.cpuMachineMeanPercent : summary.cpuCoreMeanPercent;
    checks.push(
      {
        id: `resource.cpu.${summary.name}`,
        target: summary.name,
        description: `${summary.name} mean CPU < ${limits.cpuPercent}% of ${limits.cpuOf === 'machine' ? 'the machine' : 'one core'} over ${stage}`,
        actual: cpu,
        limit: limits.cpuPercent,
        unit: '%',
        ok: measured && cpu < limits.cpuPercent,
      },
      {
        id: `resource.memory.${summary.name}`,
        target: summary.name,
        description: `${summary.name} ${memoryLabel(summary.memoryOf)} < ${formatBytes(limits.memoryBytes)}`,
        actual: summary.memoryMaxBytes,
        limit: limits.memoryBytes,
        unit: 'bytes',
        ok: measured && summary.memoryMaxBytes < limits.memoryBytes,
      },
      {
        id: `resource.disk.${summary.name}`,
        target: summary.name,
        description: `${summary.name} disk I/O < ${formatBytes(limits.diskBytesPerSecond)}/s over ${stage}`,
        actual: summary.diskMaxBytesPerSecond,
        limit: limits.diskBytesPerSecond,
        unit: 'bytes/s',
        ok: measured && summary.diskMaxBytesPerSecond < limits.diskBytesPerSecond,
      },
    );
  }
  return checks;
}
