import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StartedPostgres } from '../env/postgres.js';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** How long one statement of a schema file, seed or migration may run. @see ScratchOptions */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * A database Accord created for one comparison; `drop()` removes it (and its role). `url` connects
 * as the database's own role: not a superuser, owner of this database only, with a statement
 * timeout, so untrusted SQL loaded through it cannot run programs, read or write server files,
 * or touch other databases.
 */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** The role `url` connects as; undefined when the server gave no right to create one (a non-superuser's external server: its own user, with the timeout, is used). */
  readonly role: string | undefined;
  /** The statement timeout the role runs under (ms). */
  readonly statementTimeoutMs: number;
  drop(): Promise<void>;
}

/** Options for {@link createScratchDatabase}. */
export interface ScratchOptions {
  /** The database's name. @default `accord_scratch_<random>` */
  name?: string;
  /** Server-side `statement_timeout` of the database's role (ms). @default 30000 */
  statementTimeoutMs?: number;
  /**
   * SQL from a source the caller vouches for (a test corpus that creates extensions no
   * unprivileged role may): the database is used as the server's own user, with the timeouts.
   * Never for what a pull request brings. @default false
   */
  trusted?: boolean;
}

/** The name of a new scratch database: `accord_scratch_<random>`. */
export function scratchDatabaseName(): string {
  return `accord_scratch_${randomBytes(6).toString('hex')}`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `statements` in order on `url` with a short-lived client; returns the last result's rows. */
async function run(url: string, statements: readonly string[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) rows = (await client.query(statement)).rows as Record<string, unknown>[];
    return rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of database `name` as `user`/`password` on the same server. */
function urlAs(base: string, user: string, password: string): string {
  const url = new URL(base);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Creates an empty database (from template0) on `postgres`, owned by a new role of its own that
 * is not a superuser, cannot create databases or roles, and runs under a statement timeout; the
 * caller must `drop()` it. On a server whose user may not create roles (an external server as a
 * plain user) the database is that user's, with the same timeout.
 */
export async function createScratchDatabase(postgres: StartedPostgres, options: ScratchOptions = {}): Promise<ScratchDatabase> {
  const name = options.name ?? scratchDatabaseName();
  const statementTimeoutMs = Math.max(1, Math.round(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS));
  const failed = (error: unknown): AccordError =>
    new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot create scratch database ${name} on ${postgres.host}:${postgres.port}: ${(error as Error).message}`, { cause: error });
  let superuser: boolean;
  try {
    const [me] = await run(postgres.adminUrl, ['SELECT rolsuper FROM pg_roles WHERE rolname = current_user']);
    superuser = me?.rolsuper === true;
  } catch (error) {
    throw failed(error);
  }
  const role = superuser && options.trusted !== true ? name : undefined;
  const password = randomBytes(18).toString('hex');
  const timeouts = [`statement_timeout = ${statementTimeoutMs}`, `lock_timeout = ${statementTimeoutMs}`, `idle_in_transaction_session_timeout = ${statementTimeoutMs}`];
  let url: string;
  let roleCreated = false;
  let databaseCreated = false;
  const dropRole = async () => {
    if (roleCreated && role) await run(postgres.adminUrl, [`DROP ROLE IF EXISTS ${quoteIdent(role)}`]).catch(() => undefined);
  };
  try {
    if (role) {
      await run(postgres.adminUrl, [
        `CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT CONNECTION LIMIT 16`,
        ...timeouts.map((setting) => `ALTER ROLE ${quoteIdent(role)} SET ${setting}`),
      ]);
      roleCreated = true;
    }
    const adminDatabaseUrl = await postgres.createDatabase(name, { template: 'template0' });
    databaseCreated = true;
    if (role) {
      // Its own database only: no other role may connect to it, and it owns its public schema
      // (schema files may replace it), so nothing in it runs as anybody else.
      await run(postgres.adminUrl, [`ALTER DATABASE ${quoteIdent(name)} OWNER TO ${quoteIdent(role)}`, `REVOKE ALL ON DATABASE ${quoteIdent(name)} FROM PUBLIC`]);
      await run(adminDatabaseUrl, [`ALTER SCHEMA public OWNER TO ${quoteIdent(role)}`]);
      url = urlAs(adminDatabaseUrl, role, password);
    } else {
      await run(postgres.adminUrl, timeouts.map((setting) => `ALTER DATABASE ${quoteIdent(name)} SET ${setting}`));
      url = adminDatabaseUrl;
    }
  } catch (error) {
    if (databaseCreated) await postgres.dropDatabase(name).catch(() => undefined);
    await dropRole();
    throw failed(error);
  }
  let dropped = false;
  return {
    name,
    url,
    role,
    statementTimeoutMs,
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await postgres.dropDatabase(name);
      } finally {
        await dropRole();
      }
    },
  };
}

/** Runs `fn` with a fresh scratch database that is dropped afterwards, whatever happens. */
export async function withScratchDatabase<T>(postgres: StartedPostgres, fn: (database: ScratchDatabase) => Promise<T>, options: ScratchOptions = {}): Promise<T> {
  const database = await createScratchDatabase(postgres, options);
  try {
    return await fn(database);
  } finally {
    await database.drop();
  }
}
