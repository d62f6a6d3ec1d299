import { startPostgres } from '../env/postgres.js';
import type { StartedPostgres } from '../env/postgres.js';
import { diffModels, resolveDiffOptions } from './diff.js';
import type { DiffOptions } from './diff.js';
import { generateMigration } from './generate-sql.js';
import type { MigrationStatement } from './generate-sql.js';
import { introspectDatabase } from './introspect.js';
import { loadSql, readSqlFile } from './load-sql.js';
import { checkMigrations, migrationDifferences } from './migrations-check.js';
import type { SchemaDifference, SchemaModel } from './model.js';
import { dumpDifference, dumpSchema, findPgDump } from './pg-dump.js';
import { createScratchDatabase } from './scratch.js';
import type { ScratchDatabase } from './scratch.js';

/** Where a schema comes from: a live database (read-only) or a SQL file (loaded into a scratch database). */
export type SchemaSource = { readonly database: string } | { readonly file: string };

/** Options for {@link diffSchemas}. */
export interface SchemaDiffOptions extends DiffOptions {
  /** Tables left out of both sides, with their sequences. @default ['public.pgmigrations'] */
  ignoreTables?: readonly string[];
  /** The cluster for scratch databases. @default the database source's server, else DATABASE_URL, else an embedded PostgreSQL 14 started for the run */
  postgres?: StartedPostgres;
  /** When the structured diff finds nothing, compare `pg_dump --schema-only` too (if pg_dump is on PATH). @default true */
  safetyNet?: boolean;
  /** A migrations folder: check that the database source applied exactly its migrations. */
  migrationsDir?: string;
  /** Skip that check (with a note) when the database has no node-pg-migrate table. @default false */
  migrationsOptional?: boolean;
  /** How long one statement of a SQL file may run in its scratch database (ms). @default 30000 */
  statementTimeoutMs?: number;
}

/** The outcome of a schema comparison. */
export interface SchemaDiffResult {
  /** True when no difference is at level `error` (the gate passes). */
  readonly ok: boolean;
  /** Same as `ok`: info-level differences (column order, comments) do not break identity. */
  readonly identical: boolean;
  readonly differences: readonly SchemaDifference[];
  /** Statements that turn the first schema into the second. */
  readonly statements: readonly MigrationStatement[];
  /** What was checked or skipped (e.g. the pg_dump safety net), one line each. */
  readonly notes: readonly string[];
  readonly actual: SchemaModel;
  readonly expected: SchemaModel;
}

const isFile = (source: SchemaSource): source is { readonly file: string } => 'file' in source;

/**
 * Compares `actual` (the first schema: a live database or `--from`) with `expected` (the second:
 * schema.yaml's `expected` or `--to`). SQL files are loaded into `accord_scratch_<random>`
 * databases that are always dropped, each as a role of its own that is not a superuser and owns
 * only that database, under a statement timeout (untrusted SQL cannot run programs, read server
 * files or touch other databases); databases are only read.
 */
export async function diffSchemas(actual: SchemaSource, expected: SchemaSource, options: SchemaDiffOptions = {}): Promise<SchemaDiffResult> {
  const ignoreTables = options.ignoreTables ?? ['public.pgmigrations'];
  // Read files first: a missing file is bad input before any server is started.
  const texts = new Map<SchemaSource, string>();
  for (const source of [actual, expected]) if (isFile(source)) texts.set(source, await readSqlFile(source.file));

  let postgres = options.postgres;
  let startedHere: StartedPostgres | undefined;
  if (texts.size > 0 && !postgres) {
    const databaseSource = [actual, expected].find((source) => !isFile(source)) as { database: string } | undefined;
    startedHere = await startPostgres(databaseSource ? { databaseUrl: databaseSource.database, databaseUrlLabel: 'the database source' } : {});
    postgres = startedHere;
  }
  const scratch: ScratchDatabase[] = [];
  try {
    const urlOf = async (source: SchemaSource): Promise<string> => {
      if (!isFile(source)) return source.database;
      if (!postgres) throw new Error('no cluster for scratch databases');
      const database = await createScratchDatabase(postgres, options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs });
      scratch.push(database);
      await loadSql(database.url, texts.get(source) ?? '', source.file, { statementTimeoutMs: database.statementTimeoutMs });
      return database.url;
    };
    // allSettled, not all: when one load fails, the other must finish before the scratch
    // databases are dropped under it (DROP … WITH (FORCE) would kill its connection mid-query).
    const [actualUrl, expectedUrl] = await settledBoth(urlOf(actual), urlOf(expected));
    const [actualModel, expectedModel] = await Promise.all([introspectDatabase(actualUrl, { ignoreTables }), introspectDatabase(expectedUrl, { ignoreTables })]);
    const differences = diffModels(actualModel, expectedModel, options);
    const notes: string[] = [];
    if (options.migrationsDir && !isFile(actual)) {
      const check = await checkMigrations(actualUrl, options.migrationsDir);
      if (!check.tableFound && options.migrationsOptional) {
        notes.push('schema version not checked: the database has no pgmigrations table');
      } else {
        differences.push(...migrationDifferences(check));
        notes.push(`schema version: ${check.applied.length} migration(s) recorded, ${check.files.length} file(s) in ${options.migrationsDir}${check.ok ? ', all match' : ''}`);
      }
    }
    if (differences.length === 0 && options.safetyNet !== false) {
      const net = await safetyNet(actualUrl, expectedUrl, ignoreTables, options);
      notes.push(net.note);
      if (net.difference) differences.push(net.difference);
    }
    const ok = !differences.some((d) => d.level === 'error');
    const statements = generateMigration(actualModel, expectedModel, options);
    return { ok, identical: ok, differences, statements, notes, actual: actualModel, expected: expectedModel };
  } finally {
    await Promise.all(scratch.map((database) => database.drop().catch(() => undefined)));
    if (startedHere) await startedHere.stop();
  }
}

/** `pg_dump --schema-only` of both sides: different text the structured diff missed is "unclassified drift". */
async function safetyNet(actualUrl: string, expectedUrl: string, ignoreTables: readonly string[], options: DiffOptions): Promise<{ note: string; difference?: SchemaDifference }> {
  const pgDump = await findPgDump();
  if (!pgDump) return { note: 'pg_dump safety net skipped: no pg_dump on PATH' };
  const scope = resolveDiffOptions(options);
  const [a, b] = await Promise.all([dumpSchema(pgDump, actualUrl, ignoreTables, scope), dumpSchema(pgDump, expectedUrl, ignoreTables, scope)]);
  if (!a.ok || !b.ok) return { note: `pg_dump safety net skipped: ${!a.ok ? a.reason : !b.ok ? b.reason : ''}` };
  const { extra, missing } = dumpDifference(a.lines, b.lines);
  if (extra.length === 0 && missing.length === 0) return { note: 'pg_dump safety net: schema dumps are identical' };
  return {
    note: 'pg_dump safety net: the dumps differ where the structured diff found nothing',
    difference: { kind: 'unclassified', object: 'pg_dump --schema-only', change: 'changed', attribute: 'dump', expected: missing.join('\n') || null, actual: extra.join('\n') || null, level: 'error' },
  };
}

/** Both results once both promises settled; the first rejection (in argument order) otherwise. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}
