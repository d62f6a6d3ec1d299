import { stat } from 'node:fs/promises';
import { redact } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { applyMigrationFolders } from './apply-migration-folders.js';
import { readMigrationFolders } from './migration-folders.js';

/** What {@link migrate} applied. */
export interface MigrationResult {
  /** Names of the migrations run now, in order (already-applied ones are skipped). */
  readonly applied: readonly string[];
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Applies every pending migration of `dir` to the database at `databaseUrl`, all in one
 * transaction: one folder per migration (`<name>/migration.sql`, Prisma's layout) is applied in
 * name order by Accord itself; anything else is node-pg-migrate's (SQL or JS files). Both record
 * what ran in `pgmigrations`. Throws ACCORD_MIGRATION_FAILED naming the failing step.
 */
export async function migrate(databaseUrl: string, dir: string): Promise<MigrationResult> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `migrations directory ${dir} not found (environment.postgres.migrations)`);
  const folders = await readMigrationFolders(dir);
  try {
    if (folders.length > 0) return { applied: await applyMigrationFolders(databaseUrl, folders) };
    // Loaded here, not at the top: it is ~0.1 s of module loading that `accord up` would otherwise
    // pay before starting anything; here it overlaps with PostgreSQL starting.
    const [{ runner }, { default: pg }] = await Promise.all([import('node-pg-migrate'), import('pg')]);
    // Our own client, not node-pg-migrate's: a teardown that stops PostgreSQL mid-migration sends
    // "terminating connection" as an 'error' event, fatal to the process without a listener.
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      singleTransaction: true,
      logger: silent,
    }).finally(() => client.end().catch(() => undefined));
    return { applied: applied.map((migration) => migration.name) };
  } catch (error) {
    // The message names the migration that failed and the SQL error.
    const message = redact((error as Error).message.split('\n')[0] ?? String(error));
    throw new AccordError(ErrorCodes.MIGRATION_FAILED, `migrations in ${dir} failed: ${message}`, { cause: error });
  }
}
