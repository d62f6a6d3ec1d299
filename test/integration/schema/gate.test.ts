/**
 * Our own gate on real PostgreSQL 14: a fresh database migrated by node-pg-migrate matches
 * schemas/database-v2.sql, and each kind of drift an extra migration can introduce fails it,
 * naming the object. One embedded cluster for the suite; every database is dropped.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { migrate, startPostgres } from '../../../src/env/index.js';
import type { StartedPostgres } from '../../../src/env/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { diffSchemas } from '../../../src/schema/index.js';
import type { SchemaDiffResult } from '../../../src/schema/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const EXPECTED = join(ROOT, 'examples/orders/schemas/database-v2.sql');

describe('schema gate: migrated database vs schemas/database-v2.sql (PostgreSQL 14)', function () {
  this.timeout(180_000);
  let postgres: StartedPostgres;
  let work: string;
  let counter = 0;

  before(async () => {
    postgres = await startPostgres({ databaseUrl: undefined });
    work = await mkdtemp(join(tmpdir(), 'accord-schema-gate-'));
  });
  after(async () => {
    await postgres?.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** Migrates a fresh database with migrations/ plus `extra` (file name → SQL), then diffs it. */
  async function gate(extra: Record<string, string> = {}): Promise<SchemaDiffResult> {
    const dir = join(work, `migrations-${++counter}`);
    await cp(join(ROOT, 'examples/orders/migrations'), dir, { recursive: true });
    for (const [name, sql] of Object.entries(extra)) await writeFile(join(dir, name), sql);
    const name = `gate_${counter}`;
    const url = await postgres.createDatabase(name);
    try {
      await migrate(url, dir);
      return await diffSchemas({ database: url }, { file: EXPECTED }, { postgres, migrationsDir: dir });
    } finally {
      await postgres.dropDatabase(name);
    }
  }

  const errorsOf = (result: SchemaDiffResult) => result.differences.filter((d) => d.level === 'error');

  it('passes: a freshly migrated database is identical to the expected schema', async () => {
    const result = await gate();
    expect(result.differences, JSON.stringify(result.differences)).to.deep.equal([]);
    expect(result.identical).to.equal(true);
    expect(result.notes.join('\n')).to.match(/3 migration\(s\) recorded, 3 file\(s\).*all match/);
  });

  const drifts: Array<[string, string, { kind: string; object: string; change: string; attribute: string | null }]> = [
    ['adds a column', 'ALTER TABLE items ADD COLUMN discontinued boolean;', { kind: 'column', object: 'public.items.discontinued', change: 'added', attribute: null }],
    ['changes a default', 'ALTER TABLE reservations ALTER COLUMN updated_at SET DEFAULT clock_timestamp();', { kind: 'column', object: 'public.reservations.updated_at', change: 'changed', attribute: 'default' }],
    ['drops an index', 'DROP INDEX reservations_correlation_id_idx;', { kind: 'index', object: 'public.reservations_correlation_id_idx', change: 'removed', attribute: null }],
    ['adds a check constraint', 'ALTER TABLE items ADD CONSTRAINT items_price_cap CHECK (price_cents < 1000000);', { kind: 'constraint', object: 'public.items.items_price_cap', change: 'added', attribute: null }],
  ];
  for (const [name, sql, expected] of drifts) {
    it(`fails when an extra migration ${name}, naming the object`, async () => {
      const result = await gate({ '003_drift.sql': sql });
      expect(result.ok).to.equal(false);
      expect(result.identical).to.equal(false);
      const schemaErrors = errorsOf(result).filter((d) => d.kind !== 'migration');
      expect(schemaErrors, JSON.stringify(schemaErrors)).to.have.length(1);
      expect(schemaErrors[0]).to.include(expected);
      // The extra migration is in the folder and was applied: the schema-version check agrees.
      expect(errorsOf(result).filter((d) => d.kind === 'migration')).to.deep.equal([]);
    });
  }

  it('fails the schema-version check when a recorded migration has no file, or a file was never applied', async () => {
    const url = await postgres.createDatabase('gate_version');
    try {
      await migrate(url, join(ROOT, 'examples/orders/migrations'));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("UPDATE pgmigrations SET name = '002_renamed_elsewhere' WHERE name = '002_add_integration_fields'");
      await client.end();
      const result = await diffSchemas({ database: url }, { file: EXPECTED }, { postgres, migrationsDir: join(ROOT, 'examples/orders/migrations') });
      expect(result.ok).to.equal(false);
      expect(result.differences.filter((d) => d.kind === 'migration')).to.deep.equal([
        { kind: 'migration', object: '002_add_integration_fields', change: 'removed', attribute: null, expected: '002_add_integration_fields', actual: null, level: 'error' },
        { kind: 'migration', object: '002_renamed_elsewhere', change: 'added', attribute: null, expected: null, actual: '002_renamed_elsewhere', level: 'error' },
      ]);
    } finally {
      await postgres.dropDatabase('gate_version');
    }
  });

  it('names file:line when the SQL does not load, and leaves no scratch database behind', async () => {
    const bad = join(work, 'bad.sql');
    await writeFile(bad, 'create table t (id int);\n\ncreate table u (id no_such_type);\n');
    const error = await diffSchemas({ file: bad }, { file: EXPECTED }, { postgres }).catch((e: unknown) => e);
    expect(isAccordError(error)).to.equal(true);
    expect((error as Error).message).to.equal(`${bad}:3: type "no_such_type" does not exist`);
    const client = new pg.Client({ connectionString: postgres.adminUrl });
    await client.connect();
    try {
      const left = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'accord_scratch_%'");
      expect(left.rows).to.deep.equal([]);
    } finally {
      await client.end();
    }
  });

  it('reports unclassified drift when pg_dump sees what the structured diff does not', async function () {
    // Extended statistics are not in the structured model: only the pg_dump safety net sees them.
    const left = join(work, 'left.sql');
    const right = join(work, 'right.sql');
    await writeFile(left, 'create table t (a int, b int);\n');
    await writeFile(right, 'create table t (a int, b int);\ncreate statistics t_ab on a, b from t;\n');
    const result = await diffSchemas({ file: left }, { file: right }, { postgres });
    if (result.notes.some((note) => note.includes('no pg_dump on PATH'))) {
      expect(result.ok).to.equal(true);
      return;
    }
    expect(result.ok).to.equal(false);
    expect(result.differences).to.have.length(1);
    expect(result.differences[0]).to.include({ kind: 'unclassified', object: 'pg_dump --schema-only', level: 'error' });
    expect(result.differences[0]?.expected).to.contain('CREATE STATISTICS public.t_ab');
  });
});
