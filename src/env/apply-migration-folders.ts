import type { MigrationFolder } from './migration-folders.js';
import { readMigrationSql } from './migration-folders.js';

/** The bookkeeping table node-pg-migrate uses, so the schema-version check reads both layouts alike. */
const TABLE = 'pgmigrations';

/**
 * Applies the folders not yet recorded in `pgmigrations`, in order, in one transaction (all or
 * nothing), recording each; returns the names applied now. A failure names its migration.
 */
export async function applyMigrationFolders(databaseUrl: string, folders: readonly MigrationFolder[]): Promise<string[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  // A teardown that stops PostgreSQL mid-migration must not crash the process (see migrate()).
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)`);
    const done = new Set((await client.query<{ name: string }>(`SELECT name FROM ${TABLE}`)).rows.map((row) => row.name));
    const pending = folders.filter((folder) => !done.has(folder.name));
    for (const folder of pending) {
      const sql = await readMigrationSql(folder);
      try {
        await client.query(sql);
      } catch (error) {
        throw new Error(`migration ${folder.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await client.query(`INSERT INTO ${TABLE} (name, run_on) VALUES ($1, now())`, [folder.name]);
    }
    await client.query('COMMIT');
    return pending.map((folder) => folder.name);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
