import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

/** The machine's own noise over a window: what a reader needs to tell a slower build from a busy machine. */
export interface MachineNoise {
  /** 1-minute load average at the end of the window, and per CPU. */
  readonly loadAverage: number;
  readonly loadPerCpu: number;
  /** Share of CPU time stolen by the hypervisor over the window, in %. */
  readonly stealPercent: number;
  /** Share of CPU time busy (all processes) over the window, in %. */
  readonly busyPercent: number;
}

interface CpuTicks {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
  readonly cpus: number;
}

/** `/proc/stat`'s aggregate CPU line (Linux); zeros elsewhere, so the figures read as "not measured". */
export async function readCpuTicks(): Promise<CpuTicks> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => '');
  const lines = text.split('\n');
  const fields = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal, cpus: lines.filter((line) => /^cpu\d/.test(line)).length || 1 };
}

/** The noise between two readings of {@link readCpuTicks}. */
export function noiseBetween(before: CpuTicks, after: CpuTicks): MachineNoise {
  const total = after.total - before.total;
  const percent = (value: number) => (total > 0 ? Math.round((value / total) * 1000) / 10 : 0);
  const load = loadavg()[0] ?? 0;
  return {
    loadAverage: Math.round(load * 100) / 100,
    loadPerCpu: Math.round((load / after.cpus) * 100) / 100,
    stealPercent: percent(after.steal - before.steal),
    busyPercent: percent(total - (after.idle - before.idle)),
  };
}
