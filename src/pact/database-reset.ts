import { Redis } from 'ioredis';
import pg from 'pg';
import type { Pool } from 'pg';

/** Options for {@link createDatabaseReset}. */
export interface DatabaseResetOptions {
  /** The provider's migrated database (one Accord created). */
  databaseUrl: string;
  /** The provider's Redis, when it caches what the states write. */
  redisUrl?: string | undefined;
  /** Redis key patterns (SCAN MATCH syntax) that cache database rows; deleted with every reset. @default [] */
  redisKeys?: readonly string[];
  /** Tables a reset keeps (the migration log). @default ['pgmigrations'] */
  keepTables?: readonly string[];
}

/** Empties the provider's data between interactions; its `pool` is what provider states write with. */
export interface DatabaseReset {
  readonly pool: Pool;
  /** Truncates every table but the kept ones and deletes the cache keys: the state a fresh migration leaves. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the per-interaction reset. TRUNCATE of the migrated tables was measured against
 * `CREATE DATABASE … TEMPLATE` (scripts/bench-verify.ts, docs/performance.md): truncation is
 * faster and keeps the provider's connection pool pointed at the same database, where a clone
 * would need the provider restarted or re-pointed for every interaction.
 */
export async function createDatabaseReset(options: DatabaseResetOptions): Promise<DatabaseReset> {
  const keep = new Set(options.keepTables ?? ['pgmigrations']);
  const redisKeys = options.redisKeys ?? [];
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
  // A state that halts PostgreSQL breaks idle connections; the pool drops them and reconnects.
  pool.on('error', () => undefined);
  const redis =
    options.redisUrl !== undefined && redisKeys.length > 0
      ? new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true })
      : undefined;
  redis?.on('error', () => undefined);

  let truncate: string | undefined;
  const tables = async () => {
    if (truncate === undefined) {
      const { rows } = await pool.query<{ name: string; tablename: string }>(
        `SELECT format('%I.%I', schemaname, tablename) AS name, tablename FROM pg_tables
          WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      );
      const names = rows.filter((row) => !keep.has(row.tablename)).map((row) => row.name);
      truncate = names.length === 0 ? '' : `TRUNCATE TABLE ${names.join(', ')} RESTART IDENTITY CASCADE`;
    }
    return truncate;
  };

  return {
    pool,
    async reset() {
      const sql = await tables();
      if (sql !== '') await pool.query(sql);
      if (redis) {
        if (redis.status === 'wait') await redis.connect();
        for (const pattern of redisKeys) {
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) await redis.unlink(...keys);
          } while (cursor !== '0');
        }
      }
    },
    async close() {
      redis?.disconnect();
      await pool.end();
    },
  };
}
