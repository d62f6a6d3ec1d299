import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNotTearingDown, onCleanup, removeOnExit } from './cleanup.js';
import { assertPortFree, getFreePort } from './free-port.js';
import { LogTail } from './log-tail.js';

/** Options for {@link startRedis}. */
export interface RedisOptions {
  /** An external Redis to use instead of starting one (`REDIS_URL`). @default process.env.REDIS_URL */
  redisUrl?: string | undefined;
  /** Port for the started server. @default a free port */
  port?: number;
  /** The binary to run. @default redis-server (from PATH) */
  binary?: string;
  /** How long to wait for PING to answer. @default 10000 */
  startTimeoutMs?: number;
}

/** A running Redis, started by Accord or external. */
export interface StartedRedis {
  readonly external: boolean;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The started server's temp dir, removed on stop (undefined when external). */
  readonly tempDir: string | undefined;
  /** PID of the redis-server Accord started (undefined when external or halted). */
  readonly pid: number | undefined;
  /** Stops the server process, same port kept for {@link resume} (fault injection). */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  /** Stops the server Accord started and removes its temp dir; leaves an external one alone. */
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis';

/** Starts `redis-server` on a free loopback port with no persistence, or uses `REDIS_URL`. */
export async function startRedis(options: RedisOptions = {}): Promise<StartedRedis> {
  const redisUrl = 'redisUrl' in options ? options.redisUrl : process.env.REDIS_URL;
  if (redisUrl) return connectExternal(redisUrl);
  return startLocal(options);
}

/** Resolves when `PING` on host:port answers `+PONG`. */
export async function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function connectExternal(redisUrl: string): Promise<StartedRedis> {
  let parsed: URL;
  try {
    parsed = new URL(redisUrl);
  } catch {
    throw new AccordError(ErrorCodes.CONFIG_INVALID, 'REDIS_URL is not a valid URL (expected redis://host:port)');
  }
  const host = parsed.hostname;
  const port = Number(parsed.port || 6379);
  const notOurs = async () => {
    throw new AccordError(ErrorCodes.USAGE, 'an external Redis (REDIS_URL) cannot be halted or resumed by Accord');
  };
  return {
    external: true,
    url: redisUrl,
    host,
    port,
    tempDir: undefined,
    pid: undefined,
    halt: notOurs,
    resume: notOurs,
    async stop() {},
  };
}

// eslint-disable-next-line max-lines-per-function -- one start sequence whose closures share what its teardown must undo at any interrupt
async function startLocal(options: RedisOptions): Promise<StartedRedis> {
  const binary = options.binary ?? 'redis-server';
  const host = '127.0.0.1';
  const port = options.port ?? (await getFreePort());
  if (options.port !== undefined) await assertPortFree(port, 'Redis');
  const log = new LogTail(20);
  let dir: string | undefined;
  let creatingDir: Promise<string> | undefined;
  let forgetDir: (() => void) | undefined;
  let stopped = false;
  const spawnServer = () =>
    execa(binary, ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir ?? '.', '--protected-mode', 'no', '--loglevel', 'warning'], {
      reject: false,
      stdin: 'ignore',
      cleanup: true,
    });
  let child: ReturnType<typeof spawnServer> | undefined;

  const launch = async () => {
    assertNotTearingDown('starting redis-server');
    if (stopped) throw new AccordError(ErrorCodes.INTERRUPTED, 'redis-server was stopped while it started');
    const proc = spawnServer();
    // Known at once, so a teardown that comes before the spawn event still kills it.
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      proc.once('spawn', () => resolve(undefined));
      proc.once('error', (error) => resolve(error as NodeJS.ErrnoException));
    });
    if (spawnError) {
      child = undefined;
      if (spawnError.code === 'ENOENT') {
        throw new AccordError(ErrorCodes.REDIS_NOT_INSTALLED, `${binary} was not found on PATH: ${INSTALL_HINT}`);
      }
      throw new AccordError(ErrorCodes.REDIS_START_FAILED, `cannot run ${binary}: ${spawnError.message}`);
    }
    let exited = false;
    void proc.then(() => {
      exited = true;
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (!(await pingRedis(host, port, 200))) {
      if (stopped) throw new AccordError(ErrorCodes.INTERRUPTED, 'redis-server was stopped while it started');
      if (exited || Date.now() > deadline) {
        proc.kill('SIGKILL');
        child = undefined;
        throw new AccordError(ErrorCodes.REDIS_START_FAILED, `redis-server did not start on ${host}:${port}`, { details: `last lines of its log:\n${log.toString()}` });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const kill = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await proc;
    clearTimeout(timer);
  };
  const removeDir = async () => {
    const created = dir ?? (await creatingDir?.catch(() => undefined));
    if (created) await rm(created, { recursive: true, force: true });
    forgetDir?.();
  };
  const stop = async () => {
    stopped = true;
    await kill('SIGTERM');
    await removeDir();
  };
  // Registered before anything exists, so an interrupt at any point of the start removes it all.
  const unregister = onCleanup(`redis-server on port ${port}`, stop);
  try {
    assertNotTearingDown('creating the redis-server dir');
    creatingDir = mkdtemp(join(tmpdir(), 'accord-redis-'));
    dir = await creatingDir;
    forgetDir = removeOnExit(dir);
    await launch();
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }

  return {
    external: false,
    url: `redis://${host}:${port}`,
    host,
    port,
    tempDir: dir,
    get pid() {
      return child?.pid;
    },
    halt: async (signal = 'SIGTERM') => kill(signal),
    resume: async () => {
      if (!child) await launch();
    },
    async stop() {
      unregister();
      await stop();
    },
  };
}
