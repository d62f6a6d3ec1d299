import type pg from 'pg';
import type { Redis } from 'ioredis';
import { AccordError, ErrorCodes } from 'accord';
import type { ScenarioContext, ScenarioPostgres, ScenarioRedis, ScenarioService } from 'accord';

/**
 * The example system as its scenarios see it: its services' names in environment.yaml, its
 * tables, and the settings its services run with, read from the config through the context
 * Accord hands every scenario. Accord itself knows none of this.
 */
export const SERVICES = Object.freeze({
  /** Orders (drawn A): the service the client calls; its env has the retry and payment settings. */
  orders: 'service-a',
  /** Inventory (drawn B): what A calls; its one secret is the bearer token the scenarios send. */
  inventory: 'service-b',
  /** Fulfilment (drawn W): consumes A's order events from a Redis stream. */
  worker: 'service-c',
  /** The stub of the external payments vendor whose faults the payment scenarios switch. */
  paymentsStub: 'payments-stub',
});

/** The tables the probes seed and read. */
export const TABLES = Object.freeze({
  /** B's stock rows (sku, name, stock, price_cents, created_at, updated_at). */
  items: 'items',
  /** B's reservations (id, sku, quantity, status, correlation_id, source_service, idempotency_key, created_at). */
  reservations: 'reservations',
  /** C's shipments (id, event_id, order_id, sku, quantity). */
  shipments: 'shipments',
});

/** A's retry settings as A runs with them: the scenarios derive their expectations from these, never hard-coded. */
export interface RetrySettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly retryAfterSeconds: number;
}

/** The payments vendor's stub as the payment scenarios reach it, with A's payment settings as A runs with them. */
export interface PaymentsTarget {
  /** The stub's base URL (its admin endpoints live under `/__stub`). */
  readonly url: string;
  /** A's time limit of one authorize attempt (PAYMENTS_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** A's retries after the first attempt (PAYMENTS_RETRIES). */
  readonly retries: number;
}

/** Service C and the stream names A and C are configured with (environment.yaml), for the stream scenarios. */
export interface EventTargets {
  readonly serviceC: ScenarioService;
  /** The stream A publishes order events to and C consumes. */
  readonly stream: string;
  /** Where C moves a message it gave up on, with the reason. */
  readonly deadLetterStream: string;
}

const RETRY_VARIABLES = ['B_TIMEOUT_MS', 'B_RETRIES', 'B_RETRY_BASE_MS', 'B_RETRY_MAX_MS', 'RETRY_AFTER_SECONDS'] as const;
const PAYMENT_VARIABLES = ['PAYMENTS_TIMEOUT_MS', 'PAYMENTS_RETRIES'] as const;

/**
 * Reads `names` from a service's env as non-negative integers. They must all be in the config
 * (environment.yaml): the scenarios' expectations are derived from them, and a default written
 * here would be a guess.
 */
function integersOf<N extends string>(env: Readonly<Record<string, string>>, names: readonly N[], purpose: string, service: string): Record<N, number> {
  const missing = names.filter((name) => env[name] === undefined || env[name] === '');
  if (missing.length > 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${service}'s env to set ${missing.join(', ')} in environment.yaml: the scenarios derive their ${purpose} expectations from them`);
  const values = {} as Record<N, number>;
  for (const name of names) {
    const raw = env[name] ?? '';
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${service}'s ${name} to be a non-negative integer, got \`${raw}\``);
    values[name] = value;
  }
  return values;
}

/** The retry settings a service runs with, read from the environment variables its config gives it. */
export function retrySettingsOf(env: Readonly<Record<string, string>>, service: string): RetrySettings {
  const read = integersOf(env, RETRY_VARIABLES, 'retry', service);
  return {
    timeoutMs: read.B_TIMEOUT_MS,
    retries: read.B_RETRIES,
    retryBaseMs: read.B_RETRY_BASE_MS,
    retryMaxMs: read.B_RETRY_MAX_MS,
    retryAfterSeconds: read.RETRY_AFTER_SECONDS,
  };
}

/** A's retry settings as A was started with them. */
export function retryOf(ctx: ScenarioContext): RetrySettings {
  return retrySettingsOf(ctx.env(SERVICES.orders), SERVICES.orders);
}

/** The payments stub and A's payment settings, or undefined when the environment runs no stub. */
export function paymentsTargetOf(ctx: ScenarioContext): PaymentsTarget | undefined {
  if (!ctx.services.has(SERVICES.paymentsStub)) return undefined;
  const read = integersOf(ctx.env(SERVICES.orders), PAYMENT_VARIABLES, 'payment', SERVICES.orders);
  return { url: ctx.stub(SERVICES.paymentsStub).url, timeoutMs: read.PAYMENTS_TIMEOUT_MS, retries: read.PAYMENTS_RETRIES };
}

/**
 * Service C and its streams when the environment runs C. The stream names must be in C's env in
 * environment.yaml (and A's must name the same stream): a default here would be a guess.
 */
export function eventTargetsOf(ctx: ScenarioContext): EventTargets | undefined {
  const c = ctx.services.get(SERVICES.worker);
  if (!c) return undefined;
  const stream = c.env.ORDER_EVENTS_STREAM;
  const deadLetterStream = c.env.DEAD_LETTER_STREAM;
  if (!stream || !deadLetterStream) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${c.name}'s env to set ORDER_EVENTS_STREAM and DEAD_LETTER_STREAM in environment.yaml: the stream scenarios read those streams`);
  const published = ctx.services.get(SERVICES.orders)?.env.ORDER_EVENTS_STREAM;
  if (published !== stream) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${SERVICES.orders}'s ORDER_EVENTS_STREAM (${published ?? 'unset'}) to equal ${c.name}'s (${stream}) in environment.yaml: C must consume the stream A publishes to`);
  return { serviceC: c, stream, deadLetterStream };
}

/** The system's PostgreSQL; every scenario of this catalog needs it. */
export function postgresOf(ctx: ScenarioContext): ScenarioPostgres {
  if (!ctx.postgres) throw new Error('the environment runs no PostgreSQL: the example scenarios need it');
  return ctx.postgres;
}

/** A pool on the migrated database (the one B and C use). */
export function db(ctx: ScenarioContext): pg.Pool {
  return postgresOf(ctx).pool;
}

/** The system's Redis; the cache and stream scenarios need it. */
export function redisOf(ctx: ScenarioContext): ScenarioRedis {
  if (!ctx.redis) throw new Error('the environment runs no Redis: the example scenarios need it');
  return ctx.redis;
}

/** A client on the Redis both services use, to look at the cache and the streams. */
export function redis(ctx: ScenarioContext): Redis {
  return redisOf(ctx).client;
}

/** A fresh sku matching B's pattern, unique per run (the same within one run), so scenarios never see each other's rows. */
export function skuFor(ctx: ScenarioContext, label: string): string {
  return `${label.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16)}-${ctx.run}`;
}

/** The bearer token B requires: the one secret environment.yaml gives B (never printed). */
export function inventoryToken(ctx: ScenarioContext): string {
  const secrets = ctx.service(SERVICES.inventory).secrets;
  const secret = secrets.length === 1 ? secrets[0] : undefined;
  if (secret === undefined) throw new AccordError(ErrorCodes.SECRET_MISSING, `${SERVICES.inventory} needs exactly one secret in environment.yaml: the scenarios call it with it as the bearer token (found ${secrets.join(', ') || 'none'})`);
  return ctx.secret(secret);
}
