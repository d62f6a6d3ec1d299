import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { redactUrl } from '../env/index.js';

/** Where the broker's own migrations live (separate from the migrations of the system under test). */
export const BROKER_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** The broker's migrations table, so its history never mixes with another schema's. */
export const BROKER_MIGRATIONS_TABLE = 'accord_broker_migrations';

/** Applies every pending broker migration to `databaseUrl`; returns the names applied. */
export async function migrateBrokerDatabase(databaseUrl: string): Promise<string[]> {
  try {
    const applied = await runner({
      databaseUrl,
      dir: BROKER_MIGRATIONS_DIR,
      migrationsTable: BROKER_MIGRATIONS_TABLE,
      direction: 'up',
      singleTransaction: true,
      log: () => undefined,
    });
    return applied.map((migration) => migration.name);
  } catch (error) {
    throw new AccordError(ErrorCodes.MIGRATION_FAILED, `broker migrations failed on ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
  }
}
