// A Prisma-style migrations folder (one folder per migration, migration_lock.toml beside them)
// against a real PostgreSQL: applied in order by Accord itself, or by the team's own command, and
// read the same way by schema diff's "migrated" schema.
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { loadConfig } from '../../../src/config/index.js';
import { migrate, startPostgres } from '../../../src/env/index.js';
import type { StartedPostgres } from '../../../src/env/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { diffMigratedSchema } from '../../../src/schema/index.js';
import { rejection } from '../../support/rejection.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/shapes/prisma-provider');

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations in one folder per migration (Prisma layout)', function () {
  this.timeout(120_000);
  let postgres: StartedPostgres;
  let dir: string;

  before(async () => {
    postgres = await startPostgres({ databaseUrl: undefined });
    dir = await mkdtemp(join(tmpdir(), 'accord-migration-folders-'));
    await cp(FIXTURE, dir, { recursive: true });
    // The team's script imports pg, as its project would have it installed.
    await mkdir(join(dir, 'node_modules'));
    await symlink(resolve(import.meta.dirname, '../../../node_modules/pg'), join(dir, 'node_modules/pg'), 'dir');
  });
  after(async () => {
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('migrate() applies the folders in order (no "Unknown file extension .toml"), once', async () => {
    const url = await postgres.createDatabase('folders_in_order');
    const first = await migrate(url, join(dir, 'prisma/migrations'));
    expect(first.applied).to.deep.equal(['20240101090000_init', '20240301120000_add_price']);
    expect(await rows(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'products' ORDER BY ordinal_position")).to.deep.equal([
      { column_name: 'id' },
      { column_name: 'name' },
      { column_name: 'price_cents' },
    ]);
    expect((await migrate(url, join(dir, 'prisma/migrations'))).applied).to.deep.equal([]);
  });

  it('a broken folder fails naming it, and nothing of the run is kept', async () => {
    const migrations = join(dir, 'broken-migrations');
    await cp(join(dir, 'prisma/migrations'), migrations, { recursive: true });
    await mkdir(join(migrations, '20240401000000_add_stock'));
    await writeFile(join(migrations, '20240401000000_add_stock/migration.sql'), 'ALTER TABLE "stock" ADD COLUMN "count" INTEGER;\n');
    const url = await postgres.createDatabase('folders_broken');
    const error = await rejection(migrate(url, migrations));
    expect(error.code).to.equal(ErrorCodes.MIGRATION_FAILED);
    expect(error.message).to.equal(`migrations in ${migrations} failed: migration 20240401000000_add_stock failed: relation "stock" does not exist`);
    expect(await rows(url, "SELECT to_regclass('public.products') AS products")).to.deep.equal([{ products: null }]);
  });

  it("schema diff's migrated schema: the folders read by Accord, or the team's command, match the expected schema", async () => {
    const config = await loadConfig('config/integration', { root: dir });
    // The fixture names the team's command (and its _prisma_migrations table, left out of the comparison).
    const byCommand = await diffMigratedSchema(config, { databaseUrl: postgres.adminUrl });
    expect(byCommand.identical, JSON.stringify(byCommand.differences)).to.equal(true);
    // The same folder with no command: Accord applies it, and the schema-version check reads its folder names.
    await writeFile(join(dir, 'config/integration/environment.yaml'), 'services:\n  catalog-api:\n    command: node --import tsx src/server.ts\npostgres:\n  migrations: prisma/migrations\nredis: false\n');
    const byAccord = await diffMigratedSchema(await loadConfig('config/integration', { root: dir }), { databaseUrl: postgres.adminUrl });
    expect(byAccord.identical, JSON.stringify(byAccord.differences)).to.equal(true);
    expect(byAccord.notes.join('\n')).to.include('schema version: 2 migration(s) recorded, 2 file(s)');
  });
});
