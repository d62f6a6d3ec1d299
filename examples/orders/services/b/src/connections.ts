import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';

/** Opens the Postgres pool; an idle connection that dies is logged instead of crashing the process. */
export function openPool(databaseUrl: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 20,
    // Fail a request fast (→ 503) rather than hang when Postgres is down.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => logger.warn({ event: 'db.error', error: error.message }, 'idle PostgreSQL connection failed'));
  return pool;
}

/**
 * Opens the Redis client for the item cache. Commands fail at once while it is disconnected
 * (no offline queue, no per-request retries), so a request degrades to Postgres instead of
 * waiting; the client reconnects in the background.
 */
export async function openRedis(redisUrl: string, logger: Logger, readyWaitMs = 1000): Promise<Redis> {
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (down) return;
    down = true;
    logger.warn({ event: 'cache.degraded', op: 'connect', error: error.message }, 'cache.degraded: Redis unavailable, using PostgreSQL');
  });
  redis.on('ready', () => {
    if (down) logger.info({ event: 'cache.recovered' }, 'cache.recovered: Redis is back');
    down = false;
  });
  // Start with a warm connection when Redis is there; start degraded when it is not (an error ends the wait).
  await Promise.race([once(redis, 'ready').catch(() => undefined), delay(readyWaitMs, undefined, { ref: false })]);
  return redis;
}

/** Closes a Redis client whatever its state. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
