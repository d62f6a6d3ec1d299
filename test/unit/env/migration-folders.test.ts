import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readMigrationFolders, readMigrationSql } from '../../../src/env/migration-folders.js';
import { listMigrationFiles } from '../../../src/schema/migrations-check.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

describe('readMigrationFolders: one folder per migration (Prisma layout)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-migration-folders-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const folder = async (name: string, file = 'migration.sql', sql = 'SELECT 1;') => {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, file), sql);
  };

  it('reads the folders in name order (numbers compared as numbers), skipping migration_lock.toml and other entries', async () => {
    await folder('20240301120000_add_price');
    await folder('20240101090000_init');
    await folder('9_small_number', 'up.sql');
    await folder('10_bigger_number');
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'notes', 'README.md'), 'not a migration');
    await folder('.hidden');
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    const folders = await readMigrationFolders(dir);
    expect(folders.map((migration) => migration.name)).to.deep.equal(['9_small_number', '10_bigger_number', '20240101090000_init', '20240301120000_add_price']);
    expect(folders[0]?.file).to.equal(join(dir, '9_small_number', 'up.sql'));
    // Schema diff's version check lists the same names the environment records.
    expect(await listMigrationFiles(dir)).to.deep.equal(folders.map((migration) => migration.name));
  });

  it('a node-pg-migrate folder (files only) has no migration folders', async () => {
    await writeFile(join(dir, '001_init.sql'), 'SELECT 1;');
    expect(await readMigrationFolders(dir)).to.deep.equal([]);
    expect(await listMigrationFiles(dir)).to.deep.equal(['001_init']);
  });

  it('a missing folder is ACCORD_FILE_NOT_FOUND naming it', async () => {
    const error = await rejection(readMigrationFolders(join(dir, 'nope')));
    expect(error.code).to.equal(ErrorCodes.FILE_NOT_FOUND);
    expect(error.message).to.equal(`migrations folder ${join(dir, 'nope')} does not exist or cannot be read`);
  });

  it('reads a migration whole, and names one too big to read', async () => {
    await folder('1_init', 'migration.sql', 'CREATE TABLE t (id int);');
    const [migration] = await readMigrationFolders(dir);
    expect(await readMigrationSql(migration!)).to.equal('CREATE TABLE t (id int);');
    const big = { name: '2_big', file: join(dir, 'big.sql') };
    await writeFile(big.file, '');
    await truncate(big.file, 16 * 1024 * 1024 + 1);
    const error = await rejection(readMigrationSql(big));
    expect(error.code).to.equal(ErrorCodes.MIGRATION_FAILED);
    expect(error.message).to.match(/^migration 2_big is 16777217 bytes, more than the 16777216 Accord reads: split it$/);
  });
});
