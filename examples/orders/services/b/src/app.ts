import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { bearerCheck } from './auth.js';
import { isDatabaseUnavailable } from './db.js';
import { createItemCache } from './item-cache.js';
import { createLogger } from './logger.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problem } from './problem.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { reservationRoutes } from './routes/reservations.js';

/** What {@link buildApp} needs; the caller owns (and closes) the pool and the Redis client. */
export interface AppDeps {
  pool: Pool;
  redis: Redis;
  /** The bearer token every route but /health requires. */
  token: string;
  /** @default a JSON logger on stdout at level info */
  logger?: Logger;
  /** Lifetime of an item cache entry. @default 60 */
  cacheTtlSeconds?: number;
  /** Extra latency per request (a deliberately slower build, for benchmarks only). @default 0 */
  slowdownMs?: number;
  /** CPU burnt per request (a deliberately costlier build, for benchmarks only). @default 0 */
  slowdownCpuMs?: number;
}

/** What route modules share. */
export interface RouteContext {
  pool: Pool;
  redis: Redis;
  cache: ReturnType<typeof createItemCache>;
}

// A caller's correlation id is reused when it is a sane token; anything else gets a fresh one.
const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

/** Builds Service B (routes, validation, auth, logging, problem+json errors) without listening. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: (deps.logger ?? createLogger()) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-correlation-id'];
      return typeof sent === 'string' && CORRELATION_ID.test(sent) ? sent : randomUUID();
    },
    // Bodies are JSON as sent: "5" is not a quantity.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    return503OnClosing: true,
  });
  // A GET or DELETE that says Content-Type: application/json but sends no body is not an error here.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && (request.method === 'GET' || request.method === 'DELETE')) done(null, undefined);
    // Given `done`, the default parser answers through it and returns nothing to await.
    else void parseJson(request, body as string, done);
  });
  const isAuthorized = bearerCheck(deps.token);
  const context: RouteContext = {
    pool: deps.pool,
    redis: deps.redis,
    cache: createItemCache(deps.redis, deps.cacheTtlSeconds === undefined ? {} : { ttlSeconds: deps.cacheTtlSeconds }),
  };

  app.addHook('onRequest', async (request, reply) => {
    request.log.info({ event: 'http.request', method: request.method, url: request.url }, 'http.request');
    reply.header('x-correlation-id', request.id);
    if (request.routeOptions.url === '/health') return;
    if (!isAuthorized(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpProblem(401, 'a valid Authorization: Bearer token is required');
    }
  });
  const slowdownMs = deps.slowdownMs ?? 0;
  const slowdownCpuMs = deps.slowdownCpuMs ?? 0;
  if (slowdownMs > 0 || slowdownCpuMs > 0) app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url === '/health') return;
    // The CPU part is a busy wait, not a timer: slower code holds the CPU, which a sleep would not.
    const until = performance.now() + slowdownCpuMs;
    while (performance.now() < until);
    if (slowdownMs > 0) await delay(slowdownMs);
  });
  app.addHook('onResponse', async (request, reply) => {
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    request.log.info({ event: 'http.response', method: request.method, url: request.url, statusCode: reply.statusCode, durationMs }, 'http.response');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let detail: string;
    if (error instanceof HttpProblem) {
      ({ status, detail } = error);
    } else if (error.validation) {
      status = 400;
      detail = error.message;
    } else if (isDatabaseUnavailable(error)) {
      status = 503;
      detail = 'the inventory database is unreachable; try again shortly';
      reply.header('retry-after', '1');
      request.log.warn({ event: 'db.unavailable', error: error.message }, 'db.unavailable');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // fastify's own client errors: malformed JSON, wrong content type, body too large
      status = error.statusCode;
      detail = error.message;
    } else {
      status = 500;
      detail = 'an unexpected error occurred; the log has the details under this correlation id';
      request.log.error({ event: 'http.error', err: error }, 'unhandled error');
    }
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, detail, request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem(404, `no route for ${request.method} ${request.url.split('?')[0]}`, request.id)),
  );

  healthRoutes(app, context);
  itemRoutes(app, context);
  reservationRoutes(app, context);
  return app;
}
