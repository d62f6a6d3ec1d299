import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { migrate } from 'accord';
import type { StartedPostgres } from 'accord';

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations', import.meta.url));

/** Creates a fresh database named after `label` and migrates it as the environment does; returns its URL. */
export async function createMigratedDatabase(postgres: StartedPostgres, label: string): Promise<string> {
  const url = await postgres.createDatabase(`${label}_${randomBytes(4).toString('hex')}`);
  await migrate(url, MIGRATIONS_DIR);
  return url;
}

/** Runs `count` migrations up or down (the environment only ever migrates all the way up). */
export async function migrateSteps(databaseUrl: string, direction: 'up' | 'down', count: number): Promise<void> {
  await runner({ databaseUrl, dir: MIGRATIONS_DIR, direction, count, migrationsTable: 'pgmigrations', checkOrder: true, log: () => undefined });
}
