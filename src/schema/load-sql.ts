import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { redactUrl } from '../env/postgres.js';
import { lineAt, splitSql } from './split-sql.js';

/** Reads a SQL file, or says clearly that it is missing. */
export async function readSqlFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `schema file ${file} does not exist`, { cause: error });
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `cannot read schema file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Runs a SQL script statement by statement against a database: a URL (a connection is opened
 * and closed) or a connected client. A failing statement becomes an AccordError naming
 * `file:line` and the Postgres message.
 */
export async function loadSql(target: string | pg.Client, source: string, file: string, options: LoadSqlOptions = {}): Promise<void> {
  if (typeof target !== 'string') return runStatements(target, source, file, options);
  // The server's statement_timeout is the role's; a script may SET it away, so the client waits
  // a little longer and then gives up on the statement too (the caller drops the database).
  const queryTimeout = options.statementTimeoutMs === undefined ? undefined : options.statementTimeoutMs + CLIENT_GRACE_MS;
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000, ...(queryTimeout === undefined ? {} : { query_timeout: queryTimeout }) });
  try {
    await client.connect();
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(target)}: ${(error as Error).message}`, { cause: error });
  }
  // A NOTICE per statement (e.g. "table does not exist, skipping") is not ours to show.
  client.on('notice', () => undefined);
  // A connection the server ends (e.g. the scratch database dropped) rejects the running query;
  // without a listener the same event would also crash the process.
  client.on('error', () => undefined);
  try {
    await runStatements(client, source, file, options);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Options for {@link loadSql}. */
export interface LoadSqlOptions {
  /** The statement timeout the database applies (ms): named in the message of a statement that meets it, and enforced by the client too. */
  statementTimeoutMs?: number;
}

const CLIENT_GRACE_MS = 5000;

// SQLSTATEs of a statement refused for want of a privilege (42501) or ownership, and of a cancelled one.
const INSUFFICIENT_PRIVILEGE = '42501';
const QUERY_CANCELED = '57014';

async function runStatements(client: pg.Client, source: string, file: string, options: LoadSqlOptions): Promise<void> {
  for (const statement of splitSql(source)) {
    try {
      await client.query(statement.text);
    } catch (error) {
      const pgError = error as Error & { position?: string; code?: string };
      const position = Number(pgError.position);
      const line = Number.isFinite(position) && position > 0 ? lineAt(source, statement.offset + position - 1) : statement.line;
      throw new AccordError(ErrorCodes.SQL_LOAD_FAILED, `${file}:${line}: ${describeFailure(pgError, options)}`, { cause: error });
    }
  }
}

function describeFailure(error: Error & { code?: string }, options: LoadSqlOptions): string {
  const message = printable(error.message, 300);
  const seconds = options.statementTimeoutMs === undefined ? undefined : `${options.statementTimeoutMs / 1000} s`;
  if (error.code === QUERY_CANCELED && seconds) return `${message} (the statement ran longer than the ${seconds} statement timeout)`;
  if (/query read timeout/i.test(error.message) && seconds) return `statement timeout: the statement ran longer than ${seconds} and was abandoned`;
  if (error.code === INSUFFICIENT_PRIVILEGE || /must be (owner|superuser)/.test(error.message)) {
    return `${message} (schema files run as an unprivileged role that owns only its scratch database)`;
  }
  return message;
}

/** Reads `file` and loads it into the database at `url`. */
export async function loadSqlFile(url: string, file: string, options: LoadSqlOptions = {}): Promise<void> {
  await loadSql(url, await readSqlFile(file), file, options);
}
