import { ConfigError, readConfig } from './config.js';

// Service C's process: read settings, connect, start the worker and /health, stop gracefully on SIGTERM.

const EX_CONFIG = 78;
const SHUTDOWN_LIMIT_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`service-c: ${error.message}\n`);
  process.exit(EX_CONFIG);
}

// Loaded only once the settings are good, so a bad setting is reported without loading fastify, pg and ioredis.
const [{ buildApp }, { openPool }, { createLogger, SERVICE_NAME }, { openRedis }, { startWorker }] = await Promise.all([
  import('./app.js'),
  import('./db.js'),
  import('./logger.js'),
  import('./redis.js'),
  import('./worker.js'),
]);

const logger = createLogger({ level: config.logLevel });
const pool = openPool(config.databaseUrl, logger);
const redis = openRedis(config.redisUrl, logger, 'service-c');
const reader = openRedis(config.redisUrl, logger, 'service-c-reader');
const worker = await startWorker(redis, reader, pool, config, logger);
const app = buildApp({ redis, pool, stats: worker.stats, stream: config.stream, group: config.group, logger });

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  process.stderr.write(`${SERVICE_NAME}: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
  process.exit(1);
}
logger.info({ event: 'service.start', port: (app.server.address() as { port: number }).port, host: config.host, stream: config.stream, group: config.group }, 'service-c listening');

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ event: 'service.stop', signal }, 'stopping: finishing the event in hand');
  setTimeout(() => {
    logger.error({ event: 'service.stop', signal }, `shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS).unref();
  await worker.stop();
  await app.close();
  await Promise.all([pool.end(), redis.quit().catch(() => redis.disconnect())]);
  logger.info({ event: 'service.stopped', signal }, 'stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
