import pg from 'pg';
import type { Logger } from 'pino';

/** Opens the Postgres pool; an idle connection that dies is logged instead of crashing the process. */
export function openPool(databaseUrl: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 2000, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => logger.warn({ event: 'db.error', error: error.message }, 'idle PostgreSQL connection failed'));
  return pool;
}

// Socket errors, SQLSTATE class 08 (connection exception), 57P0x (server shutting down), 53300 (too many connections).
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/** True when `error` means Postgres is unreachable (wait and retry) rather than this event failing. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGES.test(error.message);
}
