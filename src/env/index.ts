export { onCleanup, pendingCleanups, runCleanups } from './cleanup.js';
export { assertPortFree, getFreePort } from './free-port.js';
export { redactUrl, startPostgres } from './postgres.js';
export type { PostgresOptions, StartedPostgres } from './postgres.js';
export { pingRedis, startRedis } from './redis.js';
export type { RedisOptions, StartedRedis } from './redis.js';
