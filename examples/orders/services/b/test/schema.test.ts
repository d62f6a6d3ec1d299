import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { startPostgres } from 'accord';
import type { StartedPostgres } from 'accord';
import { diffSchemas } from 'accord';
import { MIGRATIONS_DIR, createMigratedDatabase, migrateSteps } from './helpers/database.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/database-v2.sql', import.meta.url));
// Column order and comments count as differences here; grants are out of scope (the file declares none).
const STRICT = { columnOrder: 'error', comments: 'error', privileges: 'ignore' } as const;

describe('migrations and schemas/database-v2.sql', () => {
  let postgres: StartedPostgres;

  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.stop();
  });

  const rowsOf = async (url: string, sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ name: string }>(sql, values)).rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  };
  const tablesOf = (url: string) => rowsOf(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  const columnsOf = (url: string, table: string) =>
    rowsOf(url, "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [table]);

  it('database-v2.sql is exactly the schema both migrations produce, column order included', async () => {
    const url = await createMigratedDatabase(postgres, 'schema_v2');
    const result = await diffSchemas({ database: url }, { file: SCHEMA_FILE }, { postgres, migrationsDir: MIGRATIONS_DIR, ...STRICT });
    expect(result.differences).to.deep.equal([]);
    expect(result.ok).to.equal(true);
  });

  it('the comparison fails on a database that lacks migration 002', async () => {
    const url = await postgres.createDatabase('schema_v1_only');
    await migrateSteps(url, 'up', 1);
    const result = await diffSchemas({ database: url }, { file: SCHEMA_FILE }, { postgres, ...STRICT });
    expect(result.ok).to.equal(false);
    const objects = result.differences.map((d) => `${d.kind} ${d.object}`).join('\n');
    expect(objects).to.include('reservations_idempotency_key_key');
    expect(objects).to.include('reservations_correlation_id_idx');
  });

  it('every migration goes down cleanly and up again', async () => {
    const url = await createMigratedDatabase(postgres, 'schema_roundtrip');
    await migrateSteps(url, 'down', 1);
    expect(await tablesOf(url)).to.deep.equal(['items', 'pgmigrations', 'reservations']);
    await migrateSteps(url, 'down', 1);
    expect(await columnsOf(url, 'reservations')).to.deep.equal(['id', 'sku', 'quantity', 'status', 'created_at']);
    await migrateSteps(url, 'down', 1);
    expect(await tablesOf(url)).to.deep.equal(['pgmigrations']);
    await migrateSteps(url, 'up', 3);
    const again = await diffSchemas({ database: url }, { file: SCHEMA_FILE }, { postgres, migrationsDir: MIGRATIONS_DIR, safetyNet: false, ...STRICT });
    expect(again.differences).to.deep.equal([]);
  });
});
