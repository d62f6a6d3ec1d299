import { ConfigError, readConfig } from './config.js';

// Service B's process: read settings, open Postgres and Redis, listen, and stop gracefully on SIGTERM.

const EX_CONFIG = 78;
const SHUTDOWN_LIMIT_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`service-b: ${error.message}\n`);
  process.exit(EX_CONFIG);
}

// Loaded only once the settings are good, so a bad setting is reported without loading fastify, pg and ioredis.
const [{ buildApp }, { closeRedis, openPool, openRedis }, { createLogger, SERVICE_NAME }] = await Promise.all([
  import('./app.js'),
  import('./connections.js'),
  import('./logger.js'),
]);

const logger = createLogger({ level: config.logLevel });
const pool = openPool(config.databaseUrl, logger);
const redis = await openRedis(config.redisUrl, logger);
const app = buildApp({ pool, redis, token: config.token, logger, slowdownMs: config.slowdownMs, slowdownCpuMs: config.slowdownCpuMs });

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  process.stderr.write(`${SERVICE_NAME}: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
  process.exit(1);
}
logger.info({ event: 'service.start', port: (app.server.address() as { port: number }).port, host: config.host }, 'service-b listening');

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ event: 'service.stop', signal }, 'stopping: finishing in-flight requests');
  setTimeout(() => {
    logger.error({ event: 'service.stop', signal }, `shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS).unref();
  // close() stops accepting connections and resolves once every connection has ended. A kept-alive
  // connection whose request finishes after close() began would idle until its keep-alive timeout:
  // sweep idle connections until close() is done.
  const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
  await app.close();
  clearInterval(sweeper);
  await Promise.all([pool.end(), closeRedis(redis)]);
  logger.info({ event: 'service.stopped', signal }, 'stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
