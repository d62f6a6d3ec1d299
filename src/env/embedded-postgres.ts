/**
 * The embedded PostgreSQL 14: a server Accord starts on loopback from a copy of a cached cluster,
 * and removes again (process and temp dir) on stop, on Ctrl-C at any moment, or at exit.
 */
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNotTearingDown, onCleanup, removeOnExit } from './cleanup.js';
import { assertPortFree, getFreePort } from './free-port.js';
import { LogTail } from './log-tail.js';
import { stopOrphanedPostmaster } from './orphaned-postmaster.js';
import { postgresBinaries } from './pg-binaries.js';
import type { PostgresBinaries } from './pg-binaries.js';
import { cacheDir, exists, PG_VERSION, reachableDataDir, serverOwner, templateCluster } from './pg-data-dir.js';
import { startServerProcess } from './pg-process.js';
import type { ServerOwner, ServerProcess } from './pg-process.js';
import type { PostgresOptions, StartedPostgres } from './postgres.js';
import { databaseRegistry, dropCreatedDatabases } from './postgres-databases.js';
import type { DatabaseRegistry } from './postgres-databases.js';
import { databaseUrlFor, EMBEDDED_HOST, EMBEDDED_PASSWORD, EMBEDDED_USER } from './postgres-url.js';

const STOP_GRACE_MS = 3000;

/** What one embedded start has made so far: everything its teardown undoes, and in which order. */
interface EmbeddedRun {
  readonly port: number;
  readonly adminUrl: string;
  readonly urlFor: (name: string) => string;
  readonly registry: DatabaseRegistry;
  server: ServerProcess | undefined;
  running: boolean;
  tempDir: string | undefined;
  creatingTemp: Promise<string> | undefined;
  forgetTemp: (() => void) | undefined;
  copying: Promise<unknown> | undefined;
  /** initdb building the template cluster, when this start builds it: the teardown waits for it to end. */
  templating: Promise<unknown> | undefined;
  /** A server whose stop is under way (no longer `server`): the exit hook must still reach it. */
  stopping: ServerProcess | undefined;
  /** Aborted by the teardown: a copy still running when the start is interrupted is ended before its target is removed. */
  readonly halting: AbortController;
  /** Last resort when Accord exits without its cleanup (a crash): never leave a postmaster behind. */
  readonly killOnExit: () => void;
}

/** The server's cluster and how to launch it; kept so a halted server can be resumed. */
interface ServerLaunch {
  readonly binaries: PostgresBinaries;
  readonly owner: ServerOwner | undefined;
  readonly dataDir: string;
  readonly flags: string[];
  readonly timeoutMs: number;
  readonly log: LogTail;
}

/** Starts an embedded server: a port, a teardown registered before anything exists, a data dir, the process. */
export async function startEmbedded(options: PostgresOptions): Promise<StartedPostgres> {
  const log = new LogTail(30);
  const port = await embeddedPort(options.port);
  const run = newRun(port);
  const teardown = () => tearDown(run, Boolean(options.persistentDataDir));
  // Registered before anything exists, so an interrupt at any point of the start removes it all.
  const unregister = onCleanup(`embedded postgres on port ${port}`, teardown);
  process.on('exit', run.killOnExit);
  let launch: ServerLaunch;
  try {
    launch = await prepareLaunch(run, options, log);
    await startServer(run, launch);
  } catch (error) {
    unregister();
    await teardown();
    throw error;
  }
  return embeddedHandle(run, launch, async () => {
    unregister();
    await teardown();
  });
}

async function embeddedPort(wanted: number | undefined): Promise<number> {
  const port = wanted ?? (await getFreePort());
  if (wanted !== undefined) await assertPortFree(port, 'the embedded PostgreSQL');
  return port;
}

function newRun(port: number): EmbeddedRun {
  const urlFor = (name: string) => databaseUrlFor({ databaseUrl: undefined, port }, name);
  const adminUrl = urlFor('postgres');
  const run: EmbeddedRun = {
    port,
    adminUrl,
    urlFor,
    registry: databaseRegistry(adminUrl, urlFor),
    server: undefined,
    running: false,
    tempDir: undefined,
    creatingTemp: undefined,
    forgetTemp: undefined,
    copying: undefined,
    templating: undefined,
    stopping: undefined,
    halting: new AbortController(),
    // SIGKILL: the process is going and cannot wait for a fast shutdown; its temp dir goes next.
    // `stopping` too: a teardown cut short by the CLI's limit has already let go of `server`.
    killOnExit: () => {
      for (const current of [run.server, run.stopping]) if (current && !current.hasExited()) current.child.kill('SIGKILL');
    },
  };
  return run;
}

/**
 * Undoes a start at whatever point it reached: ends a copy in flight, drops a persistent
 * cluster's databases, stops the server, then removes the temp dir (once nothing writes to it).
 */
async function tearDown(run: EmbeddedRun, persistent: boolean): Promise<void> {
  run.halting.abort();
  await run.templating?.catch(() => undefined);
  if (run.running && persistent) await dropCreatedDatabases(run.registry);
  await stopServer(run).catch(() => undefined);
  process.removeListener('exit', run.killOnExit);
  await run.copying?.catch(() => undefined);
  const dir = run.tempDir ?? (await run.creatingTemp?.catch(() => undefined));
  if (dir) await rm(dir, { recursive: true, force: true });
  run.forgetTemp?.();
}

// SIGINT is PostgreSQL's fast shutdown; a server that does not finish within the grace period
// (a Ctrl-C must end the run within seconds) is killed.
async function stopServer(run: EmbeddedRun, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  const current = run.server;
  run.server = undefined;
  run.running = false;
  if (!current || current.hasExited()) return;
  run.stopping = current;
  current.child.kill(signal);
  const timer = setTimeout(() => current.child.kill('SIGKILL'), STOP_GRACE_MS);
  await current.exited;
  clearTimeout(timer);
}

/** The server's user, binaries, data dir (persistent or a fresh temp copy) and flags. */
async function prepareLaunch(run: EmbeddedRun, options: PostgresOptions, log: LogTail): Promise<ServerLaunch> {
  const owner = await serverOwner();
  const binaries = await postgresBinaries(owner !== undefined, await cacheDir(), options.nativeDir, run.halting.signal);
  const dataDir = options.persistentDataDir
    ? await persistentDataDir(run, options.persistentDataDir, binaries, owner, log)
    : await tempDataDir(run, binaries, owner, log);
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  return { binaries, owner, dataDir, flags: serverFlags(options.settings), timeoutMs: options.startTimeoutMs ?? 30_000, log };
}

/** The persistent data dir, filled from the template cluster the first time. */
async function persistentDataDir(run: EmbeddedRun, dir: string, binaries: PostgresBinaries, owner: ServerOwner | undefined, log: LogTail): Promise<string> {
  const dataDir = await reachableDataDir(dir, owner);
  // A server left behind by a `kill -9` of the process that started it holds the dir: stop it.
  const orphan = await stopOrphanedPostmaster(dataDir);
  if (orphan !== undefined) log.push(`stopped the orphaned PostgreSQL (PID ${orphan}) of ${dataDir}\n`);
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    await mkdir(join(dataDir, '..'), { recursive: true });
    await copyCluster(run, await buildOrReuseTemplate(run, binaries, owner, log), dataDir);
  }
  return dataDir;
}

/** A fresh temp dir holding a copy of the template cluster; known to the teardown from the moment it is being made. */
async function tempDataDir(run: EmbeddedRun, binaries: PostgresBinaries, owner: ServerOwner | undefined, log: LogTail): Promise<string> {
  const template = await buildOrReuseTemplate(run, binaries, owner, log);
  assertNotTearingDown('creating the PostgreSQL data dir');
  run.creatingTemp = mkdtemp(join(tmpdir(), 'accord-pg-'));
  const tempDir = await run.creatingTemp;
  run.tempDir = tempDir;
  run.forgetTemp = removeOnExit(tempDir);
  // The server runs as `postgres` when we are root: it must be able to reach its data dir.
  await chmod(tempDir, 0o755);
  const dataDir = join(tempDir, 'data');
  await copyCluster(run, template, dataDir);
  return dataDir;
}

/** The template cluster, its initdb ended by the teardown (and awaited by it) when interrupted. */
async function buildOrReuseTemplate(run: EmbeddedRun, binaries: PostgresBinaries, owner: ServerOwner | undefined, log: LogTail): Promise<string> {
  const building = templateCluster(binaries, owner, log, run.halting.signal);
  run.templating = building;
  return building;
}

async function copyCluster(run: EmbeddedRun, from: string, to: string): Promise<void> {
  assertNotTearingDown('copying the PostgreSQL cluster');
  run.copying = execa('cp', ['-a', from, to], { cancelSignal: run.halting.signal });
  await run.copying;
}

function serverFlags(extra: Record<string, string> | undefined): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // TCP only: no socket file to place where the unprivileged server user can write.
    unix_socket_directories: '',
    max_connections: '200',
    // A throwaway test cluster: durability buys nothing here and costs every commit a fsync.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    // Dynamic shared memory in the data dir rather than /dev/shm: a server killed outright (the
    // exit hook's SIGKILL) then leaves nothing behind once its data dir is removed.
    dynamic_shared_memory_type: 'mmap',
    ...extra,
  };
  return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

/** Launches the server process and waits until it accepts connections; one that does not is stopped. */
async function startServer(run: EmbeddedRun, launch: ServerLaunch): Promise<void> {
  const { binaries, dataDir, owner, flags, timeoutMs, log } = launch;
  const port = run.port;
  let timer: NodeJS.Timeout | undefined;
  assertNotTearingDown('starting PostgreSQL');
  if (run.halting.signal.aborted) throw new AccordError(ErrorCodes.INTERRUPTED, 'the embedded PostgreSQL was stopped while it started');
  run.server = startServerProcess({ binaries, dataDir, port, owner, flags, onLog: (message) => log.push(message) });
  try {
    await Promise.race([
      run.server.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    run.running = true;
  } catch (error) {
    await stopServer(run).catch(() => undefined);
    const reason = error instanceof Error ? error.message : 'the server process exited';
    throw new AccordError(ErrorCodes.DB_START_FAILED, `the embedded PostgreSQL ${PG_VERSION} did not start on 127.0.0.1:${port}: ${reason}`, { cause: error, details: `last lines of its log:\n${log.toString()}` });
  } finally {
    clearTimeout(timer);
  }
}

function embeddedHandle(run: EmbeddedRun, launch: ServerLaunch, stop: () => Promise<void>): StartedPostgres {
  return {
    embedded: true,
    host: EMBEDDED_HOST,
    port: run.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    adminUrl: run.adminUrl,
    tempDir: run.tempDir,
    get pid() {
      return run.running ? run.server?.child.pid : undefined;
    },
    urlFor: run.urlFor,
    createDatabase: run.registry.createDatabase,
    dropDatabase: run.registry.dropDatabase,
    async halt(signal = 'SIGINT') {
      if (!run.running) return;
      await stopServer(run, signal);
    },
    async resume() {
      if (run.running) return;
      await startServer(run, launch);
    },
    stop,
  };
}
