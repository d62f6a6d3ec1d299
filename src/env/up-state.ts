import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { assertNotTearingDown, onCleanup } from './cleanup.js';
import type { StartedEnvironment } from './environment.js';
import type { UpControl } from './up-control.js';
import { urlVariable } from './service-env.js';

/** Where a running `accord up` records itself, relative to the repository root. */
export const UP_STATE_FILE = '.accord/up.json';

/** A process `accord up` started, with what its command line contains (to recognise it again). */
export interface RecordedProcess {
  readonly name: string;
  readonly pid: number;
  /** A word its command line contains (`postgres`, `redis-server`, `node`). */
  readonly command: string;
}

/** What `.accord/up.json` holds. */
export interface UpState {
  /** PID of the `accord up` process. */
  readonly pid: number;
  readonly startedAt: string;
  /** The database `up` created; absent for a system without PostgreSQL. */
  readonly databaseName?: string;
  readonly urls: Readonly<Record<string, string>>;
  /** The processes it started, children first. */
  readonly processes: readonly RecordedProcess[];
  /**
   * The real (unredacted) DATABASE_URL, REDIS_URL and `<SERVICE>_URL` of the environment, for
   * `accord env`: the file is written readable by its owner only.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** The temp dirs it created (embedded PostgreSQL's data, redis-server's): `accord down` removes what a killed `up` left. */
  readonly tempDirs?: readonly string[];
  /** Where `accord verify --provider-base-url` asks it to halt and resume its embedded PostgreSQL (absent when it has none). */
  readonly control?: UpControl;
}

/** Builds the state of a started environment owned by process `pid` (default: this one). */
export function upStateOf(environment: StartedEnvironment, pid = process.pid, control?: UpControl): UpState {
  const processes: RecordedProcess[] = [];
  for (const service of environment.services.values()) {
    if (service.pid !== undefined) processes.push({ name: service.name, pid: service.pid, command: 'node' });
  }
  const { postgres, redis } = environment;
  if (redis?.pid !== undefined) processes.push({ name: 'redis', pid: redis.pid, command: 'redis-server' });
  if (postgres?.pid !== undefined) processes.push({ name: 'postgres', pid: postgres.pid, command: 'postgres' });
  // A system without a database or cache records no URL for it, so `accord env` prints none.
  const backing: Record<string, string> = {};
  if (environment.databaseUrl !== undefined) backing.DATABASE_URL = environment.databaseUrl;
  if (redis) backing.REDIS_URL = redis.url;
  return {
    pid,
    startedAt: new Date().toISOString(),
    ...(environment.databaseName === undefined ? {} : { databaseName: environment.databaseName }),
    urls: Object.fromEntries([...environment.services.values()].map((service) => [service.name, service.url])),
    processes,
    tempDirs: [postgres?.tempDir, redis?.tempDir].filter((dir): dir is string => dir !== undefined),
    env: {
      ...backing,
      ...Object.fromEntries([...environment.services.values()].map((service) => [urlVariable(service.name), service.url])),
    },
    ...(control ? { control: { url: control.url, token: control.token } } : {}),
  };
}

/** Writes the state file under `root`, removed again on cleanup; returns its path. */
export async function writeUpState(root: string, state: UpState): Promise<string> {
  const file = join(root, UP_STATE_FILE);
  assertNotTearingDown('writing the accord up state file');
  const writing = mkdir(dirname(file), { recursive: true }).then(async () => writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 }));
  // Mode 600: it holds the database password. The cleanup is registered before the write and
  // waits for it, so an interrupt during the write leaves no file.
  onCleanup('accord up state file', async () => {
    await writing.catch(() => undefined);
    await removeUpState(root, state.pid);
  });
  await writing;
  return file;
}

/** Records a changed state (a resumed PostgreSQL's new PID) over the one {@link writeUpState} wrote, whose cleanup still removes it. */
export async function rewriteUpState(root: string, state: UpState): Promise<void> {
  assertNotTearingDown('rewriting the accord up state file');
  await writeFile(join(root, UP_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** The recorded state, or undefined when there is none (or it cannot be read). */
export async function readUpState(root: string): Promise<UpState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(root, UP_STATE_FILE), 'utf8')) as UpState;
    return typeof state.pid === 'number' && Array.isArray(state.processes) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the state file if it still belongs to `pid` (a newer `up` may have replaced it). */
export async function removeUpState(root: string, pid: number): Promise<void> {
  const state = await readUpState(root);
  if (!state || state.pid === pid) await rm(join(root, UP_STATE_FILE), { force: true });
}

/** True while a process with this PID exists (a zombie or another user's process counts); false for no PID. */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What {@link stopUp} did. */
export interface DownResult {
  /** False when no `accord up` was recorded or it was no longer running. */
  readonly stopped: boolean;
  readonly pid: number | undefined;
  /** True when `accord up` ignored SIGTERM and was killed. */
  readonly forced: boolean;
  /** Processes left behind by an `up` that died without cleaning up, now killed. */
  readonly orphans: readonly RecordedProcess[];
  /** Temp dirs left behind by an `up` that died without cleaning up, now removed. */
  readonly removedDirs: readonly string[];
  readonly durationMs: number;
}

/** Options for {@link stopUp}. */
export interface StopUpOptions {
  /** How long `accord up` has to tear down after SIGTERM before it is killed. @default 15000 */
  timeoutMs?: number;
}

/**
 * Stops the `accord up` recorded under `root`: SIGTERM (it tears everything down itself), SIGKILL
 * after `timeoutMs`; then kills any recorded process still alive (left by an `up` that was killed)
 * and removes the state file.
 */
export async function stopUp(root: string, options: StopUpOptions = {}): Promise<DownResult> {
  const started = Date.now();
  const state = await readUpState(root);
  if (!state) return { stopped: false, pid: undefined, forced: false, orphans: [], removedDirs: [], durationMs: 0 };
  let stopped = false;
  let forced = false;
  if (isAlive(state.pid) && (await commandLineOf(state.pid)).includes('accord')) {
    process.kill(state.pid, 'SIGTERM');
    stopped = true;
    forced = !(await waitForExit(state.pid, options.timeoutMs ?? 15_000));
    if (forced) {
      process.kill(state.pid, 'SIGKILL');
      await waitForExit(state.pid, 2_000);
    }
  }
  const orphans: RecordedProcess[] = [];
  for (const recorded of state.processes) {
    if (!isAlive(recorded.pid) || !(await commandLineOf(recorded.pid)).includes(recorded.command)) continue;
    orphans.push(recorded);
    process.kill(recorded.pid, 'SIGKILL');
  }
  for (const orphan of orphans) await waitForExit(orphan.pid, 2_000);
  const removedDirs: string[] = [];
  for (const dir of state.tempDirs ?? []) {
    // Only what Accord names its own temp dirs: a corrupt state file must not delete anything else.
    if (!isAbsolute(dir) || !/^accord-(pg|redis)-[A-Za-z0-9]+$/.test(basename(dir)) || !(await exists(dir))) continue;
    await rm(dir, { recursive: true, force: true });
    removedDirs.push(dir);
  }
  await rm(join(root, UP_STATE_FILE), { force: true });
  return { stopped, pid: state.pid, forced, orphans, removedDirs, durationMs: Date.now() - started };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The command line of `pid` (empty when unknown), so a reused PID is never signalled by mistake. */
async function commandLineOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    // No /proc (macOS): trust the PID.
    return process.platform === 'linux' ? '' : 'accord node postgres redis-server';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}
