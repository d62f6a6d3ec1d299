import { randomBytes } from 'node:crypto';
import type { StartedPostgres } from '../env/postgres.js';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** A database Accord created for one comparison; `drop()` removes it. */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** The name of a new scratch database: `accord_scratch_<random>`. */
export function scratchDatabaseName(): string {
  return `accord_scratch_${randomBytes(6).toString('hex')}`;
}

/** Creates an empty scratch database (from template0) on `postgres`; the caller must `drop()` it. */
export async function createScratchDatabase(postgres: StartedPostgres): Promise<ScratchDatabase> {
  const name = scratchDatabaseName();
  let url: string;
  try {
    url = await postgres.createDatabase(name, { template: 'template0' });
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot create scratch database ${name} on ${postgres.host}:${postgres.port}: ${(error as Error).message}`, { cause: error });
  }
  let dropped = false;
  return {
    name,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await postgres.dropDatabase(name);
    },
  };
}

/** Runs `fn` with a fresh scratch database that is dropped afterwards, whatever happens. */
export async function withScratchDatabase<T>(postgres: StartedPostgres, fn: (database: ScratchDatabase) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase(postgres);
  try {
    return await fn(database);
  } finally {
    await database.drop();
  }
}
