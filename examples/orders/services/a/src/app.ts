import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { createOrderStore, StoreUnavailableError } from './order-store.js';
import type { OrderStore, OrderStoreOptions } from './order-store.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problem } from './problem.js';
import { healthRoutes } from './routes/health.js';
import { orderRoutes } from './routes/orders.js';
import { ServiceBError } from './service-b-client.js';
import type { ServiceBClient } from './service-b-client.js';
import { CHECKOUT_DEFAULTS } from './checkout.js';
import type { CheckoutSettings } from './checkout.js';
import { PaymentsError } from './payments-client.js';
import type { PaymentsClient } from './payments-client.js';

// Service A shares no code with Service B, by design: they stand for independently deployed teams,
// and the contract (OpenAPI + pacts) is the only thing that binds them.

/** What {@link buildApp} needs; the caller owns (and closes) the client and the Redis connection. */
export interface AppDeps {
  client: ServiceBClient;
  /** The payments vendor's client; the caller closes it too. */
  payments: PaymentsClient;
  /** @default CHECKOUT_DEFAULTS */
  checkout?: Partial<CheckoutSettings>;
  /** Keeps orders and idempotency keys; null runs without Redis (degraded). */
  redis: Redis | null;
  /** @default a JSON logger on stdout at level info */
  logger?: Logger;
  /** Retry-After of a 503. @default 5 */
  retryAfterSeconds?: number;
  /** The Redis Stream order events go to. @default 'orders.events' */
  eventStream?: string;
  /** About how many events the stream keeps. @default 100000 */
  eventStreamMaxLen?: number;
  /** A store write Redis runs later than this after it was sent does nothing. @default the command timeout */
  writeDeadlineMs?: number;
}

/** What route modules share. */
export interface RouteContext {
  client: ServiceBClient;
  payments: PaymentsClient;
  checkout: CheckoutSettings;
  redis: Redis | null;
  store: OrderStore;
}

// A caller's correlation id is reused when it is a sane token; anything else gets a fresh one.
const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

const STATUS_OF_KIND: Record<ServiceBError['kind'], number> = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  // B refusing our token or answering nonsense is not the client's fault, nor worth retrying.
  unauthorized: 502,
  unexpected: 502,
};

function orderStoreOptions(deps: AppDeps): OrderStoreOptions {
  return {
    ...(deps.eventStream === undefined ? {} : { eventStream: deps.eventStream }),
    ...(deps.eventStreamMaxLen === undefined ? {} : { eventStreamMaxLen: deps.eventStreamMaxLen }),
    ...(deps.writeDeadlineMs === undefined ? {} : { writeDeadlineMs: deps.writeDeadlineMs }),
  };
}

/** Builds Service A (routes, validation, logging, problem+json errors) without listening. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const retryAfterSeconds = deps.retryAfterSeconds ?? 5;
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
  const checkout: CheckoutSettings = { ...CHECKOUT_DEFAULTS, ...deps.checkout };
  const context: RouteContext = { client: deps.client, payments: deps.payments, checkout, redis: deps.redis, store: createOrderStore(deps.redis, orderStoreOptions(deps)) };

  app.addHook('onRequest', async (request, reply) => {
    request.log.info({ event: 'http.request', method: request.method, url: request.url }, 'http.request');
    reply.header('x-correlation-id', request.id);
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
    } else if (error instanceof ServiceBError) {
      status = STATUS_OF_KIND[error.kind];
      detail = error.kind === 'unavailable' || status === 502 ? error.message : (error.problem?.detail ?? error.message);
      if (status === 502) request.log.error({ event: 'b.rejected', status: error.status, error: error.message }, 'service-b answered unexpectedly');
    } else if (error instanceof PaymentsError) {
      // Declined: the customer's card, their call. Unavailable: try again later. Anything else is
      // A and the vendor disagreeing on the contract, nobody's to retry.
      status = error.kind === 'declined' ? 402 : error.kind === 'unavailable' ? 503 : 502;
      detail = error.kind === 'declined' ? 'the payment was declined; the reservation was released' : error.kind === 'unavailable' ? 'the payments provider is unavailable; the reservation was released, nothing was charged' : error.message;
      request.log.warn({ event: 'payment.failed', kind: error.kind, status: error.status, error: error.message }, 'payment.failed');
    } else if (error instanceof StoreUnavailableError) {
      status = 503;
      detail = 'the order store is unreachable; try again shortly';
      request.log.warn({ event: 'store.degraded', op: 'get', error: error.message }, 'store.degraded');
    } else if (error.validation) {
      status = 400;
      detail = error.message;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // fastify's own client errors: malformed JSON, wrong content type, body too large
      status = error.statusCode;
      detail = error.message;
    } else {
      status = 500;
      detail = 'an unexpected error occurred; the log has the details under this correlation id';
      request.log.error({ event: 'http.error', err: error }, 'unhandled error');
    }
    if (status === 503) reply.header('retry-after', String(retryAfterSeconds));
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, detail, request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem(404, `no route for ${request.method} ${request.url.split('?')[0]}`, request.id)),
  );

  healthRoutes(app, context);
  orderRoutes(app, context);
  return app;
}
