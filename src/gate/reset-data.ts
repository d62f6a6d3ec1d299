import { Redis } from 'ioredis';
import type { StartedEnvironment } from '../env/index.js';
import { createDatabaseReset } from '../pact/index.js';

/**
 * Puts a shared environment's data back to what a freshly started one holds: every migrated table
 * emptied (the migration log kept) and, on the Redis Accord started, every key deleted (caches,
 * idempotency keys). The gate calls it between steps so each sees what it would see alone:
 * verify leaves its last provider state's rows, the scenarios the rows they wrote.
 */
export async function resetEnvironmentData(environment: StartedEnvironment): Promise<void> {
  // A system without a database (or without Redis) has nothing of that kind to reset.
  if (environment.databaseUrl !== undefined) {
    const reset = await createDatabaseReset({ databaseUrl: environment.databaseUrl });
    try {
      await reset.reset();
    } finally {
      await reset.close();
    }
  }
  // An external Redis may hold other people's keys: only ours is flushed.
  if (!environment.redis || environment.redis.external) return;
  const redis = new Redis(environment.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
