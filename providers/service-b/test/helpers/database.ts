import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { StartedPostgres } from '../../../../src/env/index.js';

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations', import.meta.url));

/** Runs the repository's migrations on `databaseUrl` (all of them, or `count` of them). */
export async function migrate(databaseUrl: string, options: { direction?: 'up' | 'down'; count?: number } = {}): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: options.direction ?? 'up',
    ...(options.count === undefined ? {} : { count: options.count }),
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    log: () => undefined,
  });
}

/** Creates a fresh database named after `label` on `postgres` and migrates it; returns its URL. */
export async function createMigratedDatabase(postgres: StartedPostgres, label: string): Promise<string> {
  const url = await postgres.createDatabase(`${label}_${randomBytes(4).toString('hex')}`);
  await migrate(url);
  return url;
}
