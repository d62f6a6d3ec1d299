import pg from 'pg';

/** The broker's connection pool. */
export type Db = pg.Pool;

/** A client inside a transaction, or the pool itself for single statements. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Opens a pool on the broker's database. @default max 10 connections */
export function openDb(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client losing its server (e.g. Postgres restarted) must not crash the broker.
  pool.on('error', () => undefined);
  return pool;
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
