import { readdir, readFile } from 'node:fs/promises';

/**
 * Readers for Linux /proc. Hand-written rather than pidusage: we need the whole process tree
 * (Postgres forks a backend per connection), children's reaped CPU (cutime/cstime) and
 * `/proc/<pid>/io`, none of which pidusage reports.
 */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ is 100 on every Linux ABI Node runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat we use. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime + cutime + cstime, in clock ticks: the process's CPU plus that of children it reaped. */
  readonly cpuTicks: number;
  /** utime + stime: the process's own CPU only. */
  readonly ownTicks: number;
  /** stime: the part of {@link ownTicks} spent in the kernel. */
  readonly systemTicks: number;
  /** minflt: page faults served without I/O (each one a trip through the hypervisor on a VM). */
  readonly minorFaults: number;
  readonly rssBytes: number;
}

/** Bytes a process caused to be read from and written to storage (/proc/<pid>/io). */
export interface ProcIo {
  readonly readBytes: number;
  readonly writeBytes: number;
}

const PAGE_SIZE = 4096;

/** Parses the text of /proc/<pid>/stat (the command name may contain spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // Fields after the command start at field 3 (state); index 0 here is field 3.
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(rest[n - 3] ?? Number.NaN);
  const ownTicks = field(14) + field(15);
  const cpuTicks = ownTicks + field(16) + field(17);
  const rssPages = field(24);
  if (!Number.isFinite(pid) || !Number.isFinite(cpuTicks)) return undefined;
  return { pid, ppid: field(4), comm: text.slice(open + 1, close), cpuTicks, ownTicks, systemTicks: field(15), minorFaults: field(10), rssBytes: rssPages * PAGE_SIZE };
}

/** Parses /proc/<pid>/io (`read_bytes`, `write_bytes`: what reached the storage layer). */
export function parseProcIo(text: string): ProcIo {
  const value = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { readBytes: value('read_bytes'), writeBytes: value('write_bytes') };
}

/** Reads /proc/<pid>/stat; undefined when the process is gone. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Reads /proc/<pid>/io; undefined when the process is gone or not readable. */
export async function readProcIo(pid: number): Promise<ProcIo | undefined> {
  try {
    return parseProcIo(await readFile(`/proc/${pid}/io`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A process's memory: its proportional set size where /proc/<pid>/smaps_rollup is readable, else its RSS. */
export interface ProcMemory {
  readonly bytes: number;
  /**
   * `pss`: shared pages divided among the processes sharing them, so a tree's sum counts each
   * page once (PostgreSQL's shared buffers, touched by every backend). `rss`: the fallback where
   * smaps_rollup cannot be read (kernel before 4.14, another user's process): shared pages count
   * once per process.
   */
  readonly of: 'pss' | 'rss';
}

/** The `Pss:` line of /proc/<pid>/smaps_rollup, in bytes; undefined when it has none. */
export function parseSmapsRollupPss(text: string): number | undefined {
  const match = /^Pss:\s+(\d+)\s*kB/m.exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Reads a process's PSS, falling back to `rssBytes` (from its stat) when smaps_rollup cannot be read. */
export async function readProcMemory(pid: number, rssBytes: number, read: (file: string) => Promise<string> = (file) => readFile(file, 'utf8')): Promise<ProcMemory> {
  try {
    const pss = parseSmapsRollupPss(await read(`/proc/${pid}/smaps_rollup`));
    if (pss !== undefined) return { bytes: pss, of: 'pss' };
  } catch {
    // Unreadable or gone: the stat's RSS is what is left.
  }
  return { bytes: rssBytes, of: 'rss' };
}

/** Every live process's stat, for building process trees. */
export async function readAllProcStats(): Promise<ProcStat[]> {
  const names = await readdir('/proc');
  const stats = await Promise.all(names.filter((name) => /^\d+$/.test(name)).map((name) => readProcStat(Number(name))));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** The pids of `root` and all its descendants, from a list of stats. */
export function descendantsOf(root: number, stats: readonly ProcStat[]): number[] {
  const children = new Map<number, number[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat.pid);
    else children.set(stat.ppid, [stat.pid]);
  }
  if (!stats.some((stat) => stat.pid === root)) return [];
  const result: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    result.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** Busy and total jiffies of the whole machine from /proc/stat (for the machine's own CPU %). */
export async function readMachineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}
