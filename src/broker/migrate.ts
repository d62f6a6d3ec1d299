import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { redactUrl } from '../env/index.js';

/** Where the broker's own migrations live (separate from the migrations of the system under test). */
export const BROKER_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** The broker's migrations table, so its history never mixes with another schema's. */
export const BROKER_MIGRATIONS_TABLE = 'accord_broker_migrations';

/** How long a replica waits for another one's migrations before giving up. */
const LOCK_WAIT_MS = 60_000;

/** Applies every pending broker migration to `databaseUrl`; returns the names applied. */
export async function migrateBrokerDatabase(databaseUrl: string): Promise<string[]> {
  // Replicas starting together race for node-pg-migrate's lock: the losers wait for the winner
  // (then find nothing left to apply) instead of failing to start.
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
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
      const locked = /another migration is already running/i.test((error as Error).message);
      if (locked && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
        continue;
      }
      throw new AccordError(ErrorCodes.MIGRATION_FAILED, `broker migrations failed on ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
    }
  }
}
