import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** One migration of a folder-per-migration layout (Prisma's `<timestamp>_<name>/migration.sql`). */
export interface MigrationFolder {
  /** The folder's name, which sorts the migrations and is recorded as applied. */
  readonly name: string;
  /** Its SQL file, absolute. */
  readonly file: string;
}

/** The SQL file names a migration folder may hold, in order of preference. */
const MIGRATION_SQL_FILES: readonly string[] = ['migration.sql', 'up.sql'];

/** A migration's SQL is read whole: a bigger file is refused rather than read without bound. */
export const MAX_MIGRATION_BYTES = 16 * 1024 * 1024;

/** Names sorted as node-pg-migrate sorts its files, so both layouts order alike. */
export function compareMigrationNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The folder-per-migration migrations of `dir` (sub-folders holding a `migration.sql` or `up.sql`)
 * in the order they apply; empty when it has none. Other entries (Prisma's `migration_lock.toml`,
 * a README) are ignored.
 */
export async function readMigrationFolders(dir: string): Promise<MigrationFolder[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `migrations folder ${dir} does not exist or cannot be read`, { cause: error });
  }
  const folders: MigrationFolder[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    for (const candidate of MIGRATION_SQL_FILES) {
      const file = join(dir, entry.name, candidate);
      const found = await stat(file).then((info) => info.isFile(), () => false);
      if (!found) continue;
      folders.push({ name: entry.name, file });
      break;
    }
  }
  return folders.sort((a, b) => compareMigrationNames(a.name, b.name));
}

/** A migration folder's SQL; an oversized file is refused by name. */
export async function readMigrationSql(migration: MigrationFolder): Promise<string> {
  const info = await stat(migration.file);
  if (info.size > MAX_MIGRATION_BYTES) {
    throw new AccordError(ErrorCodes.MIGRATION_FAILED, `migration ${migration.name} is ${info.size} bytes, more than the ${MAX_MIGRATION_BYTES} Accord reads: split it`);
  }
  return readFile(migration.file, 'utf8');
}
