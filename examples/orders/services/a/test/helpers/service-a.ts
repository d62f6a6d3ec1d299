import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { CapturedLogs } from '../../../b/test/helpers/log-capture.js';
import { captureLogs } from '../../../b/test/helpers/log-capture.js';
import { buildApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { closeRedis, openRedis } from '../../src/redis.js';
import { ServiceBClient } from '../../src/service-b-client.js';
import type { ServiceBClientOptions } from '../../src/service-b-client.js';
import { PaymentsClient } from '../../src/payments-client.js';
import type { PaymentsClientOptions } from '../../src/payments-client.js';
import type { CheckoutSettings } from '../../src/checkout.js';
import { startStub } from 'accord';
import type { StartedStub } from 'accord';

/** The payments vendor's published contract, which the stub serves. */
export const PAYMENTS_CONTRACT = 'contracts/external/payments.yaml';
/** The example's folder, where relative paths such as {@link PAYMENTS_CONTRACT} start, wherever the tests run from. */
export const EXAMPLE_DIR = resolve(import.meta.dirname, '../../../..');

/** Settings of a test Service A. */
export interface ServiceAOptions {
  serviceBUrl: string;
  token: string;
  redisUrl: string;
  /** Overrides of the client's retry and timeout settings (fast ones by default). */
  client?: Partial<ServiceBClientOptions>;
  retryAfterSeconds?: number;
  /** The payments vendor. @default a stub served from payments.yaml, started for this Service A */
  paymentsUrl?: string;
  payments?: Partial<PaymentsClientOptions>;
  checkout?: Partial<CheckoutSettings>;
}

/** A real Service A on a free port. */
export interface RunningServiceA {
  url: string;
  logs: CapturedLogs;
  redis: Redis;
  app: FastifyInstance;
  /** The payments stub started for it, when no paymentsUrl was given. */
  paymentsStub: StartedStub | undefined;
  stop(): Promise<void>;
}

/** Starts Service A (listening on port 0) with its own logger captured in memory. */
export async function startServiceA(options: ServiceAOptions): Promise<RunningServiceA> {
  const logs = captureLogs(createLogger);
  const redis = await openRedis(options.redisUrl, logs.logger, 300);
  const client = new ServiceBClient({
    baseUrl: options.serviceBUrl,
    token: options.token,
    timeoutMs: 1000,
    retries: 2,
    retryBaseMs: 5,
    retryMaxMs: 50,
    logger: logs.logger,
    ...options.client,
  });
  // Wherever A runs, the vendor it pays through runs too: here the contract-driven stub.
  const paymentsStub = options.paymentsUrl === undefined ? await startStub({ contract: PAYMENTS_CONTRACT, cwd: EXAMPLE_DIR }) : undefined;
  const payments = new PaymentsClient({
    baseUrl: options.paymentsUrl ?? (paymentsStub as StartedStub).url,
    apiKey: 'sk_test_accord',
    timeoutMs: 500,
    retries: 2,
    retryBaseMs: 5,
    retryMaxMs: 20,
    logger: logs.logger,
    ...options.payments,
  });
  const app = buildApp({ client, payments, redis, logger: logs.logger, ...(options.checkout === undefined ? {} : { checkout: options.checkout }), ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    redis,
    app,
    paymentsStub,
    async stop() {
      await app.close();
      payments.close();
      await Promise.all([client.close(), closeRedis(redis), paymentsStub?.stop()]);
    },
  };
}
