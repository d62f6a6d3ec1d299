import { ConfigError, readConfig } from './config.js';

// Service A's process: read settings, connect to Redis, listen, and stop gracefully on SIGTERM.

const EX_CONFIG = 78;
const SHUTDOWN_LIMIT_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`service-a: ${error.message}\n`);
  process.exit(EX_CONFIG);
}

// Loaded only once the settings are good, so a bad setting is reported without loading fastify, undici and ioredis.
const [{ buildApp }, { createLogger, SERVICE_NAME }, { closeRedis, openRedis }, { ServiceBClient }, { PaymentsClient }] = await Promise.all([
  import('./app.js'),
  import('./logger.js'),
  import('./redis.js'),
  import('./service-b-client.js'),
  import('./payments-client.js'),
]);

const logger = createLogger({ level: config.logLevel });
const redis = await openRedis(config.redisUrl, logger);
const client = new ServiceBClient({
  baseUrl: config.serviceBUrl,
  token: config.serviceBToken,
  timeoutMs: config.bTimeoutMs,
  retries: config.bRetries,
  retryBaseMs: config.bRetryBaseMs,
  retryMaxMs: config.bRetryMaxMs,
  sourceService: SERVICE_NAME,
  logger,
});
const broken = new Set(config.testBreak);
const payments = new PaymentsClient({
  baseUrl: config.paymentsUrl,
  apiKey: config.paymentsApiKey,
  timeoutMs: config.paymentsTimeoutMs,
  retries: config.paymentsRetries,
  logger,
  freshKeyPerAttempt: broken.has('idempotency-key'),
});
if (broken.size > 0) logger.warn({ event: 'service.test_break', broken: config.testBreak }, 'SERVICE_A_TEST_BREAK: checkout guarantees switched off for a test');
const app = buildApp({ client, payments, checkout: { currency: config.currency, cardToken: config.cardToken, broken }, redis, logger, retryAfterSeconds: config.retryAfterSeconds, eventStream: config.eventStream, eventStreamMaxLen: config.eventStreamMaxLen,
  // late-write: a write Redis runs long after A gave up still lands (the redis-paused scenario must catch it).
  ...(broken.has('late-write') ? { writeDeadlineMs: 24 * 3600_000 } : {}) });

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  process.stderr.write(`${SERVICE_NAME}: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
  process.exit(1);
}
logger.info({ event: 'service.start', port: (app.server.address() as { port: number }).port, host: config.host }, 'service-a listening');

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
  payments.close();
  await Promise.all([client.close(), closeRedis(redis)]);
  logger.info({ event: 'service.stopped', signal }, 'stopped');
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
