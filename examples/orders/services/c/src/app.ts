import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { healthRoutes } from './routes/health.js';
import type { HealthDeps } from './routes/health.js';

/** What {@link buildApp} needs; the caller owns the connections and the consumer. */
export interface AppDeps extends HealthDeps {
  logger: Logger;
}

/** Service C's HTTP side: only /health (the work arrives on the stream). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  healthRoutes(app, deps);
  return app;
}
