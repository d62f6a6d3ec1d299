import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import { onCleanup } from '../env/cleanup.js';
import { assertPortFree } from '../env/free-port.js';
import { startPostgres } from '../env/postgres.js';
import type { StartedPostgres } from '../env/postgres.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { ContractChecker } from './bdct/contract-checker.js';
import { checkPactAgainstOpenApi } from './bdct/default-checker.js';
import { openDb } from './db.js';
import type { BrokerAuth } from './http/auth.js';
import { buildBrokerApp } from './http/build-app.js';
import { migrateBrokerDatabase } from './migrate.js';
import { WEBHOOK_DELIVERY_DEFAULTS, replicaName, startWebhookWorker } from './webhooks/delivery-worker.js';
import type { StartedWebhookWorker, WebhookDeliverySettings } from './webhooks/delivery-worker.js';
import { webhookNotifier } from './webhooks/notifier.js';
import { DEFAULT_TARGET_POLICY } from './webhooks/target-policy.js';

/** Options for {@link startBroker}. */
export interface BrokerOptions {
  /** The broker's database; when unset an embedded PostgreSQL 14 is started (see `dataDir`). */
  databaseUrl?: string | undefined;
  /** Embedded only: keep the cluster here so state survives a restart; a temp cluster is used when unset. */
  dataDir?: string | undefined;
  /** @default 0 (a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  auth: BrokerAuth;
  /** @default 5 MiB */
  bodyLimitBytes?: number;
  baseUrl?: string | undefined;
  /** @default checkPactAgainstOpenApi (the contract capability's pact ↔ OpenAPI check) */
  checkContract?: ContractChecker;
  logger?: boolean | { level: string };
  /** Step ids evidence may be recorded for. @default EVIDENCE_STEPS */
  evidenceSteps?: readonly string[];
  /** Webhook delivery: allowed targets, retries, timeout. @default https only, 6 retries from 10 s, 10 s timeout */
  webhooks?: Partial<WebhookDeliverySettings> | undefined;
}

/** A running broker. */
export interface StartedBroker {
  readonly url: string;
  readonly port: number;
  /** The database it stores into (password included: do not print it unredacted). */
  readonly databaseUrl: string;
  /** Stops listening, closes the pool and stops the embedded PostgreSQL it started. */
  stop(): Promise<void>;
}

const BROKER_DATABASE = 'accord_broker';

/** Migrates the database, starts the HTTP server and returns a handle; everything is undone on stop or Ctrl-C. */
export async function startBroker(options: BrokerOptions): Promise<StartedBroker> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (port !== 0) await assertPortFree(port, 'the broker', host);
  let postgres: StartedPostgres | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
    if (dataDir) await mkdir(resolve(dataDir, '..'), { recursive: true });
    postgres = await startPostgres({ databaseUrl: undefined, ...(dataDir ? { persistentDataDir: dataDir } : {}) });
    databaseUrl = await ensureDatabase(postgres, BROKER_DATABASE);
  }
  const started = postgres;
  const db = openDb(databaseUrl);
  const webhooks: WebhookDeliverySettings = { ...WEBHOOK_DELIVERY_DEFAULTS, policy: DEFAULT_TARGET_POLICY, ...options.webhooks };
  // Every replica runs a worker; deliveries queued here wake this one at once, the others by
  // NOTIFY only when this one has no room.
  let worker: StartedWebhookWorker | undefined;
  const replica = replicaName();
  const notifier = webhookNotifier(db, { replica, wake: () => worker?.wake(), hasRoom: () => worker?.hasRoom() ?? false });
  const app = buildBrokerApp({
    db,
    auth: options.auth,
    checkContract: options.checkContract ?? checkPactAgainstOpenApi,
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    baseUrl: options.baseUrl,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.evidenceSteps === undefined ? {} : { evidenceSteps: options.evidenceSteps }),
    webhooks: { policy: webhooks.policy, timeoutMs: webhooks.timeoutMs, notifier, replica },
  });
  const stop = async () => {
    await app.close().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await started?.stop();
  };
  const unregister = onCleanup(`broker on ${host}:${port}`, stop);
  try {
    await migrateBrokerDatabase(databaseUrl);
    worker = await startWebhookWorker(db, databaseUrl, { ...webhooks, replica });
    await app.listen({ port, host });
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    databaseUrl,
    async stop() {
      unregister();
      await stop();
    },
  };
}

/** Creates the broker's database on the embedded cluster unless it exists (it persists with the data dir). */
async function ensureDatabase(postgres: StartedPostgres, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgres.adminUrl });
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot create the broker database on the embedded PostgreSQL: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  return postgres.urlFor(name);
}
