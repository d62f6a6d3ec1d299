import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { ConsumerStats } from '../stream-consumer.js';

/** What /health reads. */
export interface HealthDeps {
  redis: Redis;
  pool: pg.Pool;
  stats: Readonly<ConsumerStats>;
  stream: string;
  group: string;
}

/** The group's backlog as Redis counts it (XINFO GROUPS): entries not yet delivered, and delivered but unacknowledged. */
async function groupLag(redis: Redis, stream: string, group: string): Promise<{ undelivered: number | null; pending: number | null }> {
  const groups = (await redis.xinfo('GROUPS', stream)) as Array<Array<string | number | null>>;
  for (const flat of groups) {
    const info = new Map<string, string | number | null>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1] ?? null);
    if (info.get('name') !== group) continue;
    const lag = info.get('lag');
    return { undelivered: typeof lag === 'number' ? lag : null, pending: Number(info.get('pending') ?? 0) };
  }
  return { undelivered: null, pending: null };
}

/**
 * GET /health: 200 while the process runs; "degraded" when Redis or Postgres is down. `lag` is the
 * consumer group's backlog and the last event's XADD-to-commit time.
 */
export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/health', async () => {
    const [redisUp, postgresUp] = await Promise.all([
      deps.redis.status === 'ready' ? deps.redis.ping().then(() => true, () => false) : false,
      deps.pool.query('SELECT 1').then(() => true, () => false),
    ]);
    const backlog = redisUp ? await groupLag(deps.redis, deps.stream, deps.group).catch(() => ({ undelivered: null, pending: null })) : { undelivered: null, pending: null };
    const { stats } = deps;
    return {
      status: redisUp && postgresUp ? 'ok' : 'degraded',
      checks: { redis: redisUp ? 'ok' : 'down', postgres: postgresUp ? 'ok' : 'down' },
      lag: { ...backlog, lastEventMs: stats.lastLagMs },
      events: { applied: stats.applied, duplicates: stats.duplicates, deadLettered: stats.deadLettered, failures: stats.failures },
    };
  });
}
