import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';

import { redact } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNotTearingDown, onCleanup } from './cleanup.js';
import { isClientError, waitHealthy } from './health.js';
import { LogTail } from './log-tail.js';

/** Everything needed to run one service process. */
export interface ServiceSpec {
  readonly name: string;
  /** Program and arguments; a leading `node` runs the same Node as Accord. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly host: string;
  readonly port: number;
  /** Health path, polled until 2xx. */
  readonly health: string;
  /** The full environment the process gets on top of Accord's own. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
}

/** Signals {@link StartedService.kill} may send (fault injection). */
export type ServiceSignal = 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGINT';

/** How a service process ended. */
export interface ServiceExit {
  readonly code: number | undefined;
  readonly signal: string | undefined;
}

/** A running (or stopped, restartable) service process. */
export interface StartedService {
  readonly name: string;
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** PID of the current process; undefined once it exited. */
  readonly pid: number | undefined;
  /** Where its stdout and stderr go, as JSON lines. */
  readonly logFile: string;
  /** True while the process is alive (also while SIGSTOPped). */
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Sends `signal` and returns at once (SIGSTOP freezes it, SIGCONT resumes it). */
  kill(signal: ServiceSignal): void;
  /** Resolves when the current process exits (at once when none runs). */
  exited(): Promise<ServiceExit | undefined>;
  /** Stops the process if it runs, starts it again on the same port and waits until healthy. */
  restart(): Promise<void>;
  /** Calls `listener` whenever the process exits; returns an unsubscribe function. */
  onExit(listener: (exit: ServiceExit) => void): () => void;
}

type Child = ReturnType<typeof spawn>;

// `accord …` in a service's command is this very Accord (a stub it serves, say), whatever PATH holds:
// src/env/ and dist/env/ both sit two folders below the package root.
const ACCORD_BIN = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

function spawn(spec: ServiceSpec) {
  const [program = 'node', ...rest] = spec.command;
  const args = program === 'accord' ? [ACCORD_BIN, ...rest] : rest;
  return execa(program === 'node' || program === 'accord' ? process.execPath : program, args, {
    cwd: spec.cwd,
    env: spec.env,
    stdin: 'ignore',
    // Logs go to a file line by line; buffering them in memory would grow without bound.
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: false,
  });
}

/** Options for {@link startService}. */
export interface StartServiceOptions {
  /** Aborting it while the service is not yet healthy stops the process and rejects (a dependency failed). */
  signal?: AbortSignal;
}

/** Starts the process, waits until its health path answers 2xx, and returns its handle. */
// eslint-disable-next-line max-lines-per-function -- one start sequence whose closures share what its teardown must undo at any interrupt
export async function startService(spec: ServiceSpec, options: StartServiceOptions = {}): Promise<StartedService> {
  const { signal } = options;
  await mkdir(dirname(spec.logFile), { recursive: true });
  const url = `http://${spec.host}:${spec.port}`;
  const exitListeners = new Set<(exit: ServiceExit) => void>();
  let child: Child | undefined;
  let exit: Promise<ServiceExit> | undefined;
  let firstRun = true;
  let unregister: (() => void) | undefined;

  const launch = async () => {
    assertNotTearingDown(`starting ${spec.name}`);
    const tail = new LogTail(20);
    const log = createWriteStream(spec.logFile, { flags: firstRun ? 'w' : 'a' });
    firstRun = false;
    const proc = spawn(spec);
    const finished = pipeLogs(proc, spec.name, log, tail);
    child = proc;
    // Registered at once, so a teardown that comes before the spawn event still stops it.
    unregister = onCleanup(`service ${spec.name}`, stop);
    const thisExit = proc.then(async (result) => {
      await finished;
      const info: ServiceExit = { code: result.exitCode, signal: result.signal };
      writeEvent(log, spec.name, { event: 'accord.exit', pid: proc.pid, code: info.code ?? null, signal: info.signal ?? null });
      log.end();
      await once(log, 'close').catch(() => undefined);
      if (child === proc) {
        // Exited by itself (or was killed): nothing left for the cleanup registry to stop.
        child = undefined;
        unregister?.();
        unregister = undefined;
      }
      for (const listener of exitListeners) listener(info);
      return info;
    });
    exit = thisExit;
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      proc.once('spawn', () => resolve(undefined));
      proc.once('error', (error) => resolve(error));
    });
    if (spawnError) {
      await thisExit;
      throw new AccordError(ErrorCodes.SERVICE_START_FAILED, `${spec.name} could not be started (${spec.command.join(' ')}): ${spawnError.message}`);
    }
    writeEvent(log, spec.name, { event: 'accord.start', pid: proc.pid, port: spec.port });
    let ended: ServiceExit | undefined;
    void thisExit.then((info) => {
      ended = info;
    });
    const outcome = await waitHealthy(`${url}${spec.health}`, { timeoutMs: spec.startTimeoutMs, gaveUp: () => ended !== undefined || signal?.aborted === true });
    if (outcome.healthy) return;
    if (isClientError(outcome)) {
      // Its output says nothing about a wrong path: one line, no log tail.
      await stop();
      throw new AccordError(
        ErrorCodes.SERVICE_START_FAILED,
        `${spec.name}: its health check GET ${url}${spec.health} answered ${outcome.last}, so the health path is wrong (services.${spec.name}.health in the config)`,
      );
    }
    if (signal?.aborted && !ended) {
      await stop();
      throw new AccordError(ErrorCodes.SERVICE_START_FAILED, `${spec.name}: start cancelled because a service it depends on failed`);
    }
    const why = ended
      ? `exited (${describeExit(ended)}) before it became healthy`
      : `did not answer GET ${spec.health} with 2xx within ${spec.startTimeoutMs} ms (last: ${outcome.last})`;
    await stop();
    throw new AccordError(ErrorCodes.SERVICE_START_FAILED, `${spec.name} ${why}; its log: ${spec.logFile}`, {
      details: `last lines of its output:\n${redact(tail.toString())}`,
    });
  };

  async function stop(): Promise<void> {
    const proc = child;
    unregister?.();
    unregister = undefined;
    if (!proc || !exit) return;
    proc.kill('SIGTERM');
    // A SIGSTOPped process only acts on SIGTERM once it runs again.
    proc.kill('SIGCONT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), spec.stopGraceMs);
    await exit;
    clearTimeout(timer);
  }

  await launch();
  return {
    name: spec.name,
    url,
    port: spec.port,
    logFile: spec.logFile,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined;
    },
    stop,
    kill(signal) {
      child?.kill(signal);
    },
    async exited() {
      return child ? exit : undefined;
    },
    async restart() {
      await stop();
      await launch();
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
  };
}

function describeExit(exit: ServiceExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code ?? 'unknown'}`;
}

function writeEvent(log: WriteStream, service: string, fields: Record<string, unknown>): void {
  if (!log.writable) return;
  log.write(`${JSON.stringify({ time: new Date().toISOString(), service, ...fields })}\n`);
}

/**
 * Copies stdout and stderr into the log file: JSON lines (pino) as they are, anything else wrapped
 * as `{time, service, stream, msg}`; secrets redacted either way.
 *
 * Hand-written rather than readline: under load a service logs thousands of lines a second, and
 * readline's one-promise-per-line iteration cost this process more CPU than a service spent on a
 * request. Here each chunk's complete lines are redacted, checked and written in one go.
 */
async function pipeLogs(proc: Child, service: string, log: WriteStream, tail: LogTail): Promise<void> {
  const pipe = async (stream: Readable | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    stream.setEncoding('utf8');
    let pending = '';
    const flush = (text: string) => {
      const lines = redact(text);
      tail.push(lastLines(lines, TAIL_LINES));
      if (log.writable) log.write(asJsonLines(lines, service, name));
    };
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = pending + chunk;
      const end = text.lastIndexOf('\n');
      if (end === -1) {
        pending = text;
        continue;
      }
      pending = text.slice(end + 1);
      flush(text.slice(0, end + 1));
    }
    if (pending !== '') flush(`${pending}\n`);
  };
  await Promise.all([pipe(proc.stdout, 'stdout'), pipe(proc.stderr, 'stderr')]);
}

const TAIL_LINES = 20;

/** `text` (whole lines, each ending in \n) with every line that is not a JSON object wrapped in one; empty lines dropped. */
export function asJsonLines(text: string, service: string, stream: 'stdout' | 'stderr'): string {
  // Fast path: pino's output, every line already an object.
  if (text.startsWith('{') && text.endsWith('}\n') && !text.includes('\n\n') && allObjects(text)) return text;
  let out = '';
  for (const line of text.split('\n')) {
    if (line === '' || line === '\r') continue;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    out += trimmed.startsWith('{') && trimmed.endsWith('}') ? `${trimmed}\n` : `${JSON.stringify({ time: new Date().toISOString(), service, stream, msg: trimmed })}\n`;
  }
  return out;
}

function allObjects(text: string): boolean {
  for (let at = text.indexOf('\n'); at !== -1 && at < text.length - 1; at = text.indexOf('\n', at + 1)) {
    if (text.charCodeAt(at - 1) !== 0x7d /* } */ || text.charCodeAt(at + 1) !== 0x7b /* { */) return false;
  }
  return true;
}

/** The last `count` lines of `text`. */
function lastLines(text: string, count: number): string {
  let at = text.length - 1;
  for (let seen = 0; at > 0 && seen <= count; seen++) at = text.lastIndexOf('\n', at - 1);
  return at <= 0 ? text : text.slice(at + 1);
}
