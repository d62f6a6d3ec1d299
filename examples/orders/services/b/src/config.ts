/** Service B's settings, read from environment variables and validated before anything starts. */
export interface ServiceBConfig {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  token: string;
  logLevel: string;
  /** Extra latency per request, for the benchmark that proves the load gate catches a slower build (BENCH_SLOWDOWN_MS). @default 0 */
  slowdownMs: number;
  /** CPU burnt per request, as a build whose code does more work would (BENCH_SLOWDOWN_CPU_MS, fractions allowed). @default 0 */
  slowdownCpuMs: number;
}

/** A setting that cannot be used; `message` is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates Service B's settings from `env`; throws {@link ConfigError} on the first bad one. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceBConfig {
  const token = env.SERVICE_B_TOKEN;
  if (!token) {
    throw new ConfigError('SERVICE_B_TOKEN is missing: set it to the bearer token clients must send (see .env.integration-test)');
  }
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is missing: expected postgres://user:password@host:port/database');
  return {
    port: readPort(env, 8002),
    host: env.HOST || '127.0.0.1',
    databaseUrl: readUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']),
    redisUrl: readUrl('REDIS_URL', env.REDIS_URL || 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    token,
    logLevel: readLogLevel(env),
    slowdownMs: readSlowdown(env),
    slowdownCpuMs: readCpuSlowdown(env),
  };
}

function readSlowdown(env: NodeJS.ProcessEnv): number {
  const raw = env.BENCH_SLOWDOWN_MS;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`BENCH_SLOWDOWN_MS must be a non-negative integer (milliseconds), got \`${raw}\``);
  return Number(raw);
}

function readCpuSlowdown(env: NodeJS.ProcessEnv): number {
  const raw = env.BENCH_SLOWDOWN_CPU_MS;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(`BENCH_SLOWDOWN_CPU_MS must be a non-negative number (milliseconds), got \`${raw}\``);
  return Number(raw);
}

function readPort(env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got \`${raw}\``);
  return port;
}

function readUrl(name: string, value: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // The value is not echoed: a database URL carries a password.
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//host:port), got a value that does not parse`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got \`${parsed.protocol}\``);
  }
  return value;
}

function readLogLevel(env: NodeJS.ProcessEnv): string {
  const level = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got \`${level}\``);
  return level;
}
