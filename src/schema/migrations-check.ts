import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { compareMigrationNames, readMigrationFolders } from '../env/migration-folders.js';
import { redactUrl } from '../env/postgres.js';
import type { SchemaDifference } from './model.js';
import { quoteIdent } from './names.js';

/** Options for {@link checkMigrations}. */
export interface MigrationCheckOptions {
  /** node-pg-migrate's table. @default 'pgmigrations' */
  table?: string;
  /** Its schema. @default 'public' */
  schema?: string;
}

/** The schema-version check: applied migrations against the files in the migrations folder. */
export interface MigrationCheckResult {
  readonly ok: boolean;
  /** Migration names recorded in the database, in the order they ran. */
  readonly applied: readonly string[];
  /** Migration names from the folder, sorted as node-pg-migrate sorts them. */
  readonly files: readonly string[];
  /** Files never applied. */
  readonly missing: readonly string[];
  /** Applied migrations with no file. */
  readonly unknown: readonly string[];
  /** Whether the database has node-pg-migrate's table at all. */
  readonly tableFound: boolean;
}

/**
 * Migration names as they are recorded when applied: the folder names of a folder-per-migration
 * layout (Prisma's), else the files node-pg-migrate would load (dotfiles skipped, extension stripped).
 */
export async function listMigrationFiles(dir: string): Promise<string[]> {
  const folders = await readMigrationFolders(dir);
  if (folders.length > 0) return folders.map((folder) => folder.name);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `migrations folder ${dir} does not exist or cannot be read`, { cause: error });
  }
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name.slice(0, entry.name.length - extname(entry.name).length))
    .sort(compareMigrationNames);
}

/** Compares the migrations recorded by node-pg-migrate in the database at `url` with the files in `dir` (read-only). */
export async function checkMigrations(url: string, dir: string, options: MigrationCheckOptions = {}): Promise<MigrationCheckResult> {
  const settings = { table: 'pgmigrations', schema: 'public', ...options };
  const files = await listMigrationFiles(dir);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, options: '-c default_transaction_read_only=on' });
  try {
    await client.connect();
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  let applied: string[] = [];
  let tableFound: boolean;
  try {
    const exists = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [`${quoteIdent(settings.schema)}.${quoteIdent(settings.table)}`]);
    tableFound = exists.rows[0]?.found === true;
    if (tableFound) {
      const rows = await client.query(`SELECT name FROM ${quoteIdent(settings.schema)}.${quoteIdent(settings.table)} ORDER BY run_on, id`);
      applied = rows.rows.map((row: { name: string }) => row.name);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  const missing = files.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !files.includes(name));
  return { ok: tableFound && missing.length === 0 && unknown.length === 0, applied, files, missing, unknown, tableFound };
}

/** The check's findings as schema differences (`removed`: a file never applied; `added`: an applied migration with no file). */
export function migrationDifferences(result: MigrationCheckResult): SchemaDifference[] {
  return [
    ...result.missing.map((name): SchemaDifference => ({ kind: 'migration', object: name, change: 'removed', attribute: null, expected: name, actual: null, level: 'error' })),
    ...result.unknown.map((name): SchemaDifference => ({ kind: 'migration', object: name, change: 'added', attribute: null, expected: null, actual: name, level: 'error' })),
  ];
}
