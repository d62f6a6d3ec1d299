import { createHash } from 'node:crypto';
import pg from 'pg';

/** The broker's connection pool. */
export type Db = pg.Pool;

/** A client inside a transaction, or the pool itself for single statements. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Distinct statement texts given a name; past it, new texts run unnamed (dynamic SQL cannot grow a connection's statements without end). */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Opens a pool on the broker's database. Every parameterised statement runs as a named prepared
 * statement: PostgreSQL parses and plans it once per connection instead of on every call, which
 * is most of its CPU for the broker's short queries (with two replicas on one database, the
 * database is what saturates first). @default max 10 connections
 */
export function openDb(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client losing its server (e.g. Postgres restarted) must not crash the broker.
  pool.on('error', () => undefined);
  const names = new Map<string, string>();
  pool.on('connect', (client) => preparing(client, names));
  return pool;
}

/** Makes `client.query(text, values, …)` with parameters a named statement (one name per text, shared by the pool's clients). */
function preparing(client: pg.PoolClient, names: Map<string, string>): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return query(...args);
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `accord_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    if (name === undefined) return query(...args);
    return query({ name, text, values }, ...args.slice(2));
  };
}

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
