import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { requestDb } from '../db.js';
import { getItem } from '../items.js';
import { HttpProblem } from '../problem.js';
import { skuParams } from '../schemas.js';

/** GET /items/:sku, read through the Redis cache. */
export function itemRoutes(app: FastifyInstance, { pool, cache }: RouteContext): void {
  app.get<{ Params: { sku: string } }>('/items/:sku', { schema: { params: skuParams } }, async (request) => {
    const item = await getItem(requestDb(pool, request.log), cache, request.log, request.params.sku);
    if (!item) throw new HttpProblem(404, `item ${request.params.sku} does not exist`);
    return item;
  });
}
