import { BROKEN_GUARANTEES } from './checkout.js';
import type { BrokenGuarantee } from './checkout.js';

/** Service A's settings, read from environment variables and validated before anything starts. */
export interface ServiceAConfig {
  port: number;
  host: string;
  serviceBUrl: string;
  serviceBToken: string;
  redisUrl: string;
  bTimeoutMs: number;
  bRetries: number;
  bRetryBaseMs: number;
  bRetryMaxMs: number;
  retryAfterSeconds: number;
  logLevel: string;
  /** Where the payments vendor's paths start (the stub's URL in the integration environment). */
  paymentsUrl: string;
  paymentsApiKey: string;
  paymentsTimeoutMs: number;
  paymentsRetries: number;
  currency: string;
  cardToken: string;
  /** Test-only: checkout guarantees switched off (SERVICE_A_TEST_BREAK=release,void,idempotency-key,late-write). */
  testBreak: BrokenGuarantee[];
  /** The Redis Stream A publishes order events to (ORDER_EVENTS_STREAM). */
  eventStream: string;
  /** About how many events the stream keeps (ORDER_EVENTS_MAXLEN). */
  eventStreamMaxLen: number;
}

/** A setting that cannot be used; `message` is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates Service A's settings from `env`; throws {@link ConfigError} on the first bad one. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceAConfig {
  const serviceBToken = env.SERVICE_B_TOKEN;
  if (!serviceBToken) {
    throw new ConfigError('SERVICE_B_TOKEN is missing: set it to the bearer token Service B expects (see .env.integration-test)');
  }
  const bRetryBaseMs = readInt(env, 'B_RETRY_BASE_MS', 100, 1, 60_000);
  const bRetryMaxMs = readInt(env, 'B_RETRY_MAX_MS', 2000, 1, 600_000);
  if (bRetryMaxMs < bRetryBaseMs) {
    throw new ConfigError(`B_RETRY_MAX_MS must be at least B_RETRY_BASE_MS (${bRetryBaseMs}), got \`${bRetryMaxMs}\``);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got \`${logLevel}\``);
  return {
    port: readInt(env, 'PORT', 8001, 0, 65535),
    host: env.HOST || '127.0.0.1',
    serviceBUrl: readUrl(env, 'SERVICE_B_URL', 'http://127.0.0.1:8002', ['http:', 'https:']),
    serviceBToken,
    redisUrl: readUrl(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    bTimeoutMs: readInt(env, 'B_TIMEOUT_MS', 1000, 1, 600_000),
    bRetries: readInt(env, 'B_RETRIES', 3, 0, 10),
    bRetryBaseMs,
    bRetryMaxMs,
    retryAfterSeconds: readInt(env, 'RETRY_AFTER_SECONDS', 5, 0, 86_400),
    logLevel,
    // The environment names a dependency's URL after it: PAYMENTS_STUB_URL when it runs the vendor's stub.
    paymentsUrl: readUrl({ ...env, PAYMENTS_URL: env.PAYMENTS_URL || env.PAYMENTS_STUB_URL }, 'PAYMENTS_URL', 'http://127.0.0.1:4010', ['http:', 'https:']),
    // The vendor's sandbox key of the example; a real deployment sets its own secret.
    paymentsApiKey: env.PAYMENTS_API_KEY || 'sk_test_accord',
    paymentsTimeoutMs: readInt(env, 'PAYMENTS_TIMEOUT_MS', 800, 1, 600_000),
    paymentsRetries: readInt(env, 'PAYMENTS_RETRIES', 2, 0, 10),
    currency: readPattern(env, 'PAYMENTS_CURRENCY', 'EUR', /^[A-Z]{3}$/, 'an ISO 4217 code like EUR'),
    cardToken: readPattern(env, 'PAYMENTS_CARD_TOKEN', 'tok_visa_4242', /^tok_[a-z0-9_]{4,64}$/, 'a card token like tok_visa_4242'),
    testBreak: readBreaks(env),
    eventStream: readStreamName(env, 'ORDER_EVENTS_STREAM', 'orders.events'),
    eventStreamMaxLen: readInt(env, 'ORDER_EVENTS_MAXLEN', 100_000, 1, 1_000_000_000),
  };
}

function readPattern(env: NodeJS.ProcessEnv, name: string, fallback: string, pattern: RegExp, expected: string): string {
  const value = env[name] || fallback;
  if (!pattern.test(value)) throw new ConfigError(`${name} must be ${expected}, got \`${value}\``);
  return value;
}

function readBreaks(env: NodeJS.ProcessEnv): BrokenGuarantee[] {
  const raw = env.SERVICE_A_TEST_BREAK;
  if (!raw) return [];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.find((name) => !(BROKEN_GUARANTEES as readonly string[]).includes(name));
  if (unknown !== undefined) throw new ConfigError(`SERVICE_A_TEST_BREAK must list some of ${BROKEN_GUARANTEES.join(', ')}, got \`${unknown}\``);
  return names as BrokenGuarantee[];
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got \`${raw}\``);
  }
  return value;
}

function readUrl(env: NodeJS.ProcessEnv, name: string, fallback: string, protocols: string[]): string {
  const value = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//host:port), got \`${value}\``);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got \`${parsed.protocol}\``);
  return value;
}

function readStreamName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) throw new ConfigError(`${name} must be a Redis key of printable characters without spaces, got \`${value}\``);
  return value;
}
