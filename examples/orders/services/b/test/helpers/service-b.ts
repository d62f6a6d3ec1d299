import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { StartedPostgres, StartedRedis } from 'accord';
import { startPostgres, startRedis } from 'accord';
import { buildApp } from '../../src/app.js';
import { closeRedis, openPool, openRedis } from '../../src/connections.js';
import { createLogger } from '../../src/logger.js';
import { seedItems } from '../fixtures/seed.js';
import { createMigratedDatabase } from './database.js';
import type { CapturedLogs } from './log-capture.js';
import { captureLogs } from './log-capture.js';

/** The bearer token the test instances of Service B expect. */
export const TEST_TOKEN = 'test-token-for-service-b';

/** A real Service B on a free port, over its own migrated database and a real Redis. */
export interface RunningServiceB {
  url: string;
  postgres: StartedPostgres;
  redisServer: StartedRedis;
  databaseUrl: string;
  /** The app's own pool: tests use it to read and reset rows. */
  pool: pg.Pool;
  /** The app's own Redis client. */
  redis: Redis;
  logs: CapturedLogs;
  app: FastifyInstance;
  /** Empties the tables and Redis, then seeds the default catalogue. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Postgres 14, Redis and Service B (listening on port 0); `label` names the database. */
export async function startServiceB(label: string): Promise<RunningServiceB> {
  const [postgres, redisServer] = await Promise.all([startPostgres(), startRedis()]);
  try {
    const databaseUrl = await createMigratedDatabase(postgres, label);
    const logs = captureLogs(createLogger);
    const pool = openPool(databaseUrl, logs.logger);
    const redis = await openRedis(redisServer.url, logs.logger);
    const app = buildApp({ pool, redis, token: TEST_TOKEN, logger: logs.logger });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const running: RunningServiceB = {
      url: `http://127.0.0.1:${port}`,
      postgres,
      redisServer,
      databaseUrl,
      pool,
      redis,
      logs,
      app,
      async reset() {
        await pool.query('TRUNCATE reservations, items');
        await redis.flushdb();
        await seedItems(pool);
        logs.clear();
      },
      async stop() {
        await app.close();
        await Promise.all([pool.end(), closeRedis(redis)]);
        await Promise.all([redisServer.stop(), postgres.stop()]);
      },
    };
    await running.reset();
    return running;
  } catch (error) {
    await Promise.all([redisServer.stop(), postgres.stop()]);
    throw error;
  }
}

/** Headers that authenticate to the test Service B. */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${TEST_TOKEN}`, ...extra };
}

/** Resolves once `redis` is connected again (after a halted server was resumed). */
export async function waitForReady(redis: Redis): Promise<void> {
  while (redis.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
}
