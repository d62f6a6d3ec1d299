import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
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
export async function loadSql(target: string | pg.Client, source: string, file: string): Promise<void> {
  if (typeof target !== 'string') return runStatements(target, source, file);
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000 });
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
    await runStatements(client, source, file);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runStatements(client: pg.Client, source: string, file: string): Promise<void> {
  for (const statement of splitSql(source)) {
    try {
      await client.query(statement.text);
    } catch (error) {
      const pgError = error as Error & { position?: string };
      const position = Number(pgError.position);
      const line = Number.isFinite(position) && position > 0 ? lineAt(source, statement.offset + position - 1) : statement.line;
      throw new AccordError(ErrorCodes.SQL_LOAD_FAILED, `${file}:${line}: ${pgError.message}`, { cause: error });
    }
  }
}

/** Reads `file` and loads it into the database at `url`. */
export async function loadSqlFile(url: string, file: string): Promise<void> {
  await loadSql(url, await readSqlFile(file), file);
}
