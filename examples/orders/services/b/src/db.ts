import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { FastifyBaseLogger } from 'fastify';

/** Runs one statement and logs it as a `db.query` event. */
export type Query = <R extends QueryResultRow>(sql: string, values?: unknown[]) => Promise<R[]>;

/** Postgres access for one request: every statement is logged with the request's logger. */
export interface Db {
  query: Query;
  /** Runs `work` inside BEGIN … COMMIT on one connection, rolling back when it throws. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

/** Thrown when Postgres cannot be reached; the app answers 503. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

// Socket errors, SQLSTATE class 08 (connection exception), 57P0x (server shutting down), 53300 (too many connections).
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
// pg reports a dropped or never-established connection with these messages and no code.
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/** True when `error` means Postgres is unreachable rather than the statement being wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** Wraps `pool` so each statement is logged on `log` and connection failures become {@link DatabaseUnavailableError}. */
export function requestDb(pool: Pool, log: FastifyBaseLogger): Db {
  const run = (executor: Pool | PoolClient): Query =>
    async <R extends QueryResultRow>(sql: string, values: unknown[] = []) => {
      const started = performance.now();
      const statement = statementFor(sql);
      try {
        const result = await executor.query<R>({ name: statement.name, text: sql, values });
        log.info({ event: 'db.query', sql: statement.logged, rowCount: result.rowCount, durationMs: elapsed(started) }, 'db.query');
        return result.rows;
      } catch (error) {
        log.info({ event: 'db.query', sql: statement.logged, error: (error as Error).message, durationMs: elapsed(started) }, 'db.query');
        throw unavailableOr(error);
      }
    };

  return {
    query: run(pool),
    async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((error: unknown) => {
        throw unavailableOr(error);
      });
      const query = run(client);
      let broken: Error | undefined;
      try {
        await query('BEGIN');
        const result = await work(query);
        await query('COMMIT');
        return result;
      } catch (error) {
        await query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError as Error;
        });
        throw error;
      } finally {
        // A connection that failed to roll back is not fit for the next request: release destroys it.
        client.release(broken);
      }
    },
  };
}

function unavailableOr(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? new DatabaseUnavailableError(`PostgreSQL is unreachable: ${(error as Error).message}`, { cause: error }) : error;
}

interface Statement {
  /** pg prepares a named statement once per connection; later runs skip parsing and planning. */
  name: string;
  /** The text as logged: one line. */
  logged: string;
}

// B runs a fixed set of SQL texts, so this map stays small; it spares Postgres a parse and plan
// per statement and B a whitespace rewrite per log line.
const statements = new Map<string, Statement>();

function statementFor(sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = { name: `b${statements.size + 1}`, logged: sql.replace(/\s+/g, ' ').trim() };
    statements.set(sql, statement);
  }
  return statement;
}

/** Milliseconds since `started`, rounded to 0.01 ms. */
export function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
