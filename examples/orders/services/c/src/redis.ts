import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Opens a Redis connection for the worker. Unlike A's, commands wait (offline queue) while it
 * reconnects: the worker has no caller waiting on it, and holding the stream is the right thing.
 */
export function openRedis(redisUrl: string, logger: Logger, name: string): Redis {
  const redis = new Redis(redisUrl, { connectionName: name, maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 100, 2000) });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ event: 'stream.unavailable', connection: name, error: error.message }, 'Redis unavailable: the worker waits');
  });
  redis.on('ready', () => {
    if (down) logger.info({ event: 'stream.recovered', connection: name }, 'Redis is back');
    down = false;
  });
  return redis;
}
