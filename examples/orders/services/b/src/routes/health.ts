import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';

const CHECK_TIMEOUT_MS = 1000;

/** GET /health: 200 when Postgres answers ("degraded" when only Redis is down), 503 "down" when it does not. */
export function healthRoutes(app: FastifyInstance, { pool, redis }: RouteContext): void {
  app.get('/health', async (_request, reply) => {
    const [postgres, cache] = await Promise.all([
      probe(() => pool.query('SELECT 1')),
      // Not connected means down now: do not wait for a reconnect.
      redis.status === 'ready' ? probe(() => redis.ping()) : Promise.resolve(false),
    ]);
    const status = !postgres ? 'down' : cache ? 'ok' : 'degraded';
    return reply.code(postgres ? 200 : 503).send({ status, checks: { postgres: postgres ? 'ok' : 'down', redis: cache ? 'ok' : 'down' } });
  });
}

async function probe(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
