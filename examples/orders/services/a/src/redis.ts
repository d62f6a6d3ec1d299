import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** How long a command may take before the client gives up on it (and A answers 503). */
export const COMMAND_TIMEOUT_MS = 500;

/**
 * Opens the Redis client for orders and idempotency keys. Commands fail at once while it is
 * disconnected (no offline queue), so a request degrades instead of waiting; it reconnects in
 * the background.
 */
export async function openRedis(redisUrl: string, logger: Logger, readyWaitMs = 1000): Promise<Redis> {
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (down) return;
    down = true;
    logger.warn({ event: 'store.degraded', op: 'connect', error: error.message }, 'store.degraded: Redis unavailable, relying on service-b idempotency');
  });
  redis.on('ready', () => {
    if (down) logger.info({ event: 'store.recovered' }, 'store.recovered: Redis is back');
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
