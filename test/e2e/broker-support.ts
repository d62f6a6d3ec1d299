import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { startPostgres } from '../../src/env/index.js';
import type { StartedPostgres } from '../../src/env/index.js';
import { accord as run } from '../support/accord.js';

// Helpers for the broker end-to-end tests: a real `accord broker serve` process on a free port,
// storing into its own database on a suite-wide embedded PostgreSQL.

export const REPO = resolve('.');
export const ACCORD = join(REPO, 'bin/accord.js');
export const PACT = join(REPO, 'node_modules/.bin/pact');
export const WRITE_TOKEN = 'e2e-read-write-token';
export const READ_TOKEN = 'e2e-read-only-token';

/** A running `accord broker serve`. */
export interface ServedBroker {
  url: string;
  postgres: StartedPostgres | undefined;
  /** The `accord broker serve` process. */
  pid: number | undefined;
  stop(): Promise<void>;
  /** SIGKILL: no cleanup runs, what it started lives on. */
  kill9(): Promise<void>;
}

/** Starts `accord broker serve --port 0` and waits for its "listening" line. */
export async function serveBroker(options: { databaseUrl?: string; dataDir?: string; postgres?: StartedPostgres; env?: Record<string, string> } = {}): Promise<ServedBroker> {
  const args = ['broker', 'serve', '--port', '0', '--format', 'json'];
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  const child = execa('node', [ACCORD, ...args], {
    cwd: REPO,
    env: { ACCORD_BROKER_READ_WRITE_TOKEN: WRITE_TOKEN, ACCORD_BROKER_READ_ONLY_TOKEN: READ_TOKEN, ...options.env },
    reject: false,
    buffer: false,
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`accord broker serve did not start:\n${out}\n${err}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolveUrl((JSON.parse(line) as { url: string }).url);
      }
    });
    void child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`accord broker serve exited (${result.exitCode}):\n${out}\n${err}`));
    });
  });
  return {
    url,
    postgres: options.postgres,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
    async kill9() {
      child.kill('SIGKILL');
      await child;
    },
  };
}

/** Runs the official `pact broker …` against a broker. */
export async function pactBroker(url: string, args: string[], token = WRITE_TOKEN) {
  return execa(PACT, ['broker', ...args], { cwd: REPO, reject: false, env: { PACT_BROKER_BASE_URL: url, PACT_BROKER_TOKEN: token, NO_COLOR: '1' }, all: true });
}

/** Runs `accord …` against a broker. */
export async function accord(url: string, args: string[], token = WRITE_TOKEN) {
  return run(args, { env: { PACT_BROKER_BASE_URL: url, PACT_BROKER_TOKEN: token } });
}

/** A suite-wide embedded PostgreSQL with one database for the served broker. */
export async function brokerDatabase(name: string): Promise<{ postgres: StartedPostgres; url: string }> {
  const postgres = await startPostgres();
  const url = await postgres.createDatabase(name);
  return { postgres, url };
}
