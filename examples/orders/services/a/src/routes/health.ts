import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';

/**
 * GET /health: 200 while the process serves; "degraded" when Redis (idempotency cache) is down.
 * B is not probed: A stays up and answers 503 per request while B is away.
 */
export function healthRoutes(app: FastifyInstance, { redis }: RouteContext): void {
  app.get('/health', async () => {
    const redisUp = redis?.status === 'ready' && (await redis.ping().then(() => true, () => false));
    return { status: redisUp ? 'ok' : 'degraded', checks: { redis: redisUp ? 'ok' : 'down' } };
  });
}
