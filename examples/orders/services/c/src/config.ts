/** Service C's settings, read from environment variables and validated before anything starts. */
export interface ServiceCConfig {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  /** The stream A publishes order events to. */
  stream: string;
  /** The consumer group C reads in; its position survives C's restarts. */
  group: string;
  /** This process's name in the group: stable, so a restarted C finds its own pending entries. */
  consumer: string;
  /** Where a message goes after `maxDeliveries` failed attempts, with the reason. */
  deadLetterStream: string;
  maxDeliveries: number;
  /** How long a delivered entry may stay unacknowledged before it is claimed and delivered again. */
  claimIdleMs: number;
  batchSize: number;
  /** How long one XREADGROUP waits for new entries. */
  blockMs: number;
  logLevel: string;
  /** Guarantees switched off on purpose, so the scenarios can show that they detect it. Tests only. */
  testBreak: ReadonlySet<TestBreak>;
}

/** The guarantees `SERVICE_C_TEST_BREAK` can switch off (comma-separated). */
export type TestBreak = 'idempotency' | 'dead-letter';

/** A setting that cannot be used; `message` is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TEST_BREAKS: readonly TestBreak[] = ['idempotency', 'dead-letter'];

/** Reads and validates Service C's settings from `env`; throws {@link ConfigError} on the first bad one. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceCConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is missing: set it to the PostgreSQL database that holds the shipments table');
  readUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  readUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:']);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got \`${logLevel}\``);
  const stream = readKey(env, 'ORDER_EVENTS_STREAM', 'orders.events');
  return {
    port: readInt(env, 'PORT', 8003, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    redisUrl,
    stream,
    group: readKey(env, 'CONSUMER_GROUP', 'service-c'),
    consumer: readKey(env, 'CONSUMER_NAME', 'service-c-1'),
    deadLetterStream: readKey(env, 'DEAD_LETTER_STREAM', `${stream}.dead-letter`),
    maxDeliveries: readInt(env, 'MAX_DELIVERIES', 5, 1, 1000),
    claimIdleMs: readInt(env, 'CLAIM_IDLE_MS', 5000, 10, 3_600_000),
    batchSize: readInt(env, 'BATCH_SIZE', 100, 1, 10_000),
    blockMs: readInt(env, 'BLOCK_MS', 1000, 1, 60_000),
    logLevel,
    testBreak: readTestBreak(env.SERVICE_C_TEST_BREAK),
  };
}

function readTestBreak(raw: string | undefined): ReadonlySet<TestBreak> {
  const names = (raw ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!(TEST_BREAKS as readonly string[]).includes(name)) throw new ConfigError(`SERVICE_C_TEST_BREAK must list ${TEST_BREAKS.join(' and/or ')}, got \`${name}\``);
  }
  return new Set(names as TestBreak[]);
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got \`${raw}\``);
  return value;
}

function readKey(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) throw new ConfigError(`${name} must be printable characters without spaces, got \`${value}\``);
  return value;
}

function readUrl(name: string, value: string, protocols: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//host:port), got a value that is not one`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got \`${parsed.protocol}\``);
}
