/**
 * A postmaster left running on a persistent data dir after its Accord process was killed with
 * SIGKILL (which no cleanup survives): found through the data dir's `postmaster.pid`, stopped, so
 * the next start on that dir succeeds instead of failing on "lock file already exists".
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';

async function procText(pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await procText(pid, 'stat');
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

/** The PID of the postmaster serving `dataDir`, when one runs; undefined for none or a stale lock file. */
export async function postmasterOf(dataDir: string): Promise<number | undefined> {
  const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(lock?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  // The PID may have been reused: it counts only if it is a postgres run on this very data dir.
  const cmdline = (await procText(pid, 'cmdline'))?.split('\0') ?? [];
  const dirFlag = cmdline.indexOf('-D');
  const servesDir = dirFlag !== -1 && path.resolve(cmdline[dirFlag + 1] ?? '') === path.resolve(dataDir);
  return servesDir && /postgres/.test(path.basename(cmdline[0] ?? '')) ? pid : undefined;
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid) || (await procText(pid, 'stat'))?.includes(') Z ')) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !alive(pid);
}

/**
 * Stops the postmaster still serving `dataDir` when its Accord process is gone (it was adopted by
 * init or a subreaper); refuses, naming the PID, when a live Accord process still owns it.
 * Returns the PID it stopped, if any.
 */
export async function stopOrphanedPostmaster(dataDir: string): Promise<number | undefined> {
  const pid = await postmasterOf(dataDir);
  if (pid === undefined) return undefined;
  const parent = await parentOf(pid);
  const parentCommand = parent === undefined || parent <= 1 ? '' : ((await procText(parent, 'cmdline')) ?? '').replaceAll('\0', ' ');
  if (parent !== undefined && parent > 1 && parent !== process.pid && /accord/.test(parentCommand)) {
    throw new AccordError(ErrorCodes.DB_START_FAILED, `the data directory ${dataDir} is in use by the PostgreSQL (PID ${pid}) of another running Accord process (PID ${parent}); stop that one first`);
  }
  // Fast shutdown first (rolls back open transactions, keeps every committed one), then immediate.
  for (const [signal, ms] of [['SIGINT', 10_000], ['SIGQUIT', 5_000], ['SIGKILL', 2_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return pid;
    }
    if (await waitForExit(pid, ms)) return pid;
  }
  throw new AccordError(ErrorCodes.DB_START_FAILED, `the orphaned PostgreSQL (PID ${pid}) of ${dataDir} did not stop`);
}
