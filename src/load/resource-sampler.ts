import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CLOCK_TICKS_PER_SECOND, descendantsOf, readAllProcStats, readMachineCpu, readProcIo, readProcMemory } from './proc-stats.js';
import type { ProcIo, ProcMemory, ProcStat } from './proc-stats.js';
import { roundTo } from './round-to.js';

/** A process (tree) to watch during the run. */
export interface ResourceTarget {
  /** A readable name: a service name, `postgres`, `redis`, `generator`. */
  readonly name: string;
  /** The root pid. */
  readonly pid: number;
  /**
   * Count the descendants with it (Postgres backends, a wrapper's child). Off for the generator:
   * Accord's own process is the parent of every service it started. @default true
   */
  readonly includeChildren?: boolean;
  /** `service` and `backing` processes are gated; the `generator` is only reported. */
  readonly role: 'service' | 'backing' | 'generator';
}

/** One sample of one target, rates over the interval since the previous sample. */
export interface ResourceSample {
  /** Seconds since sampling began (the end of the interval). */
  readonly t: number;
  /** CPU as a share of the whole machine (all cores), percent. */
  readonly cpuMachinePercent: number;
  /** CPU as a share of one core, percent (can exceed 100 on several cores). */
  readonly cpuCorePercent: number;
  /** RSS summed over the process tree (shared pages of a tree count once per process): reported, not gated. */
  readonly rssBytes: number;
  /** The tree's memory with shared pages counted once: PSS summed over it (see {@link memoryOf}). Recordings from before it have none. */
  readonly memoryBytes?: number;
  /** What {@link memoryBytes} sums: `pss` of every process, `rss` of every one (no smaps_rollup), or `mixed`. */
  readonly memoryOf?: MemorySource;
  readonly readBytesPerSecond: number;
  readonly writeBytesPerSecond: number;
  /** Processes in the tree at this sample. */
  readonly processes: number;
}

/** Where a tree's memory figure comes from. */
export type MemorySource = 'pss' | 'rss' | 'mixed';

/** A tree's memory from its processes' readings: their sum, and whether all of it is PSS. */
export function treeMemory(readings: readonly ProcMemory[]): { bytes: number; of: MemorySource } {
  const kinds = new Set(readings.map((reading) => reading.of));
  return { bytes: readings.reduce((sum, reading) => sum + reading.bytes, 0), of: kinds.size > 1 ? 'mixed' : kinds.has('rss') ? 'rss' : 'pss' };
}

/** All samples of one target. */
export interface ResourceSeries {
  readonly name: string;
  readonly pid: number;
  readonly role: ResourceTarget['role'];
  readonly samples: readonly ResourceSample[];
}

/** Everything sampled during a run. */
export interface ResourceRecording {
  readonly intervalMs: number;
  readonly cpus: number;
  readonly series: readonly ResourceSeries[];
  /** The machine's busy CPU percent per sample (all processes, including the kernel's loopback work). */
  readonly machine: readonly { t: number; cpuPercent: number }[];
}

/** A running sampler; `stop()` takes a last sample and returns the recording. */
export interface ResourceSampler {
  stop(): Promise<ResourceRecording>;
}

/** Options of {@link startResourceSampler}. */
export interface ResourceSamplerOptions {
  /** @default 1000 */
  intervalMs?: number;
  /** Monotonic clock in ms, shared with the generator so samples line up with stages. @default performance.now */
  now?: () => number;
  /** The instant that is t = 0. @default now() at start */
  origin?: number;
}

interface TreeReading {
  pids: Set<number>;
  cpuTicks: number;
  rssBytes: number;
  memory: { bytes: number; of: MemorySource };
  io: Map<number, ProcIo>;
}

/**
 * Samples CPU, memory (PSS, and RSS beside it) and disk I/O of each target's process tree from /proc every interval.
 * CPU counts utime+stime of every live process plus cutime+cstime (children already reaped),
 * so a Postgres backend that ends between two samples is not lost. Disk rates come from Δ
 * read_bytes/write_bytes of processes present in both samples.
 */
// eslint-disable-next-line max-lines-per-function -- the sampling timer and its readers share the previous sample in closures
export async function startResourceSampler(targets: readonly ResourceTarget[], options: ResourceSamplerOptions = {}): Promise<ResourceSampler> {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  const origin = options.origin ?? now();
  const cpus = availableParallelism();
  const samples = targets.map(() => [] as ResourceSample[]);
  const machine: { t: number; cpuPercent: number }[] = [];

  const read = async (): Promise<{ at: number; trees: (TreeReading | undefined)[]; machine: { busy: number; total: number } }> => {
    const [all, machineCpu] = await Promise.all([readAllProcStats(), readMachineCpu()]);
    const byPid = new Map<number, ProcStat>(all.map((stat) => [stat.pid, stat]));
    const trees = await Promise.all(
      targets.map(async (target) => {
        const alone = target.includeChildren === false;
        const pids = alone ? (byPid.has(target.pid) ? [target.pid] : []) : descendantsOf(target.pid, all);
        if (pids.length === 0) return undefined;
        let cpuTicks = 0;
        let rssBytes = 0;
        for (const pid of pids) {
          const stat = byPid.get(pid);
          // Alone, reaped children's time (cutime) must not count: they are not this process.
          cpuTicks += (alone ? stat?.ownTicks : stat?.cpuTicks) ?? 0;
          rssBytes += stat?.rssBytes ?? 0;
        }
        const memory = treeMemory(await Promise.all(pids.map((pid) => readProcMemory(pid, byPid.get(pid)?.rssBytes ?? 0))));
        const io = new Map<number, ProcIo>();
        await Promise.all(
          pids.map(async (pid) => {
            const reading = await readProcIo(pid);
            if (reading) io.set(pid, reading);
          }),
        );
        return { pids: new Set(pids), cpuTicks, rssBytes, memory, io };
      }),
    );
    return { at: now(), trees, machine: machineCpu };
  };

  let previous = await read();
  let busy: Promise<void> = Promise.resolve();
  const sample = async () => {
    const current = await read();
    const seconds = (current.at - previous.at) / 1000;
    if (seconds <= 0) return;
    const t = Math.round(((current.at - origin) / 1000) * 1000) / 1000;
    targets.forEach((_, index) => {
      const before = previous.trees[index];
      const after = current.trees[index];
      if (!after) return;
      const ticks = before ? Math.max(0, after.cpuTicks - before.cpuTicks) : 0;
      const corePercent = (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100;
      let readBytes = 0;
      let writeBytes = 0;
      for (const [pid, io] of after.io) {
        const earlier = before?.io.get(pid);
        // A process born during the interval did all its I/O in it; one seen before counts its delta.
        readBytes += earlier ? Math.max(0, io.readBytes - earlier.readBytes) : before ? io.readBytes : 0;
        writeBytes += earlier ? Math.max(0, io.writeBytes - earlier.writeBytes) : before ? io.writeBytes : 0;
      }
      samples[index]?.push({
        t,
        cpuMachinePercent: roundTo(corePercent / cpus, 2),
        cpuCorePercent: roundTo(corePercent, 2),
        rssBytes: after.rssBytes,
        memoryBytes: after.memory.bytes,
        memoryOf: after.memory.of,
        readBytesPerSecond: Math.round(readBytes / seconds),
        writeBytesPerSecond: Math.round(writeBytes / seconds),
        processes: after.pids.size,
      });
    });
    const machineTotal = current.machine.total - previous.machine.total;
    machine.push({ t, cpuPercent: machineTotal > 0 ? roundTo(((current.machine.busy - previous.machine.busy) / machineTotal) * 100, 2) : 0 });
    previous = current;
  };

  const timer = setInterval(() => {
    // Never overlap two samples: a slow /proc scan under load must not pile up readers.
    busy = busy.then(sample).catch(() => undefined);
  }, intervalMs);

  return {
    async stop(): Promise<ResourceRecording> {
      clearInterval(timer);
      await busy;
      if (now() - previous.at >= intervalMs / 2) await sample().catch(() => undefined);
      return {
        intervalMs,
        cpus,
        series: targets.map((target, index) => ({ name: target.name, pid: target.pid, role: target.role, samples: samples[index] ?? [] })),
        machine,
      };
    },
  };
}
