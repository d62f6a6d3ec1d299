import type { ResolvedConfig, ResolvedServiceConfig } from '../config/index.js';
import type { EnvironmentProgress, StartedEnvironment } from '../env/index.js';
import { startEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { SCENARIOS } from './catalog/index.js';
import { runScenarios, selectScenarios } from './run-scenarios.js';
import type { RunScenariosOptions, ScenariosResult } from './run-scenarios.js';
import type { RetrySettings, ScenarioTargets } from './targets.js';

// Service A's own defaults (consumers/service-a/src/config.ts), used when the config sets nothing.
const A_DEFAULTS = { B_TIMEOUT_MS: 1000, B_RETRIES: 3, B_RETRY_BASE_MS: 100, B_RETRY_MAX_MS: 2000, RETRY_AFTER_SECONDS: 5 } as const;

/** The retry settings Service A runs with, read from the environment variables its config gives it. */
export function retrySettingsOf(env: Readonly<Record<string, string>>): RetrySettings {
  const read = (name: keyof typeof A_DEFAULTS) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return A_DEFAULTS[name];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected service-a's ${name} to be a non-negative integer, got \`${raw}\``);
    return value;
  };
  return {
    timeoutMs: read('B_TIMEOUT_MS'),
    retries: read('B_RETRIES'),
    retryBaseMs: read('B_RETRY_BASE_MS'),
    retryMaxMs: read('B_RETRY_MAX_MS'),
    retryAfterSeconds: read('RETRY_AFTER_SECONDS'),
  };
}

/** A copy of `config` whose services get `overrides` on top of their configured env (e.g. short retry timings for tests). */
export function withServiceEnv(config: ResolvedConfig, overrides: Readonly<Record<string, Readonly<Record<string, string | number>>>>): ResolvedConfig {
  const services = new Map<string, ResolvedServiceConfig>();
  for (const [name, service] of config.environment.services) {
    const extra = overrides[name];
    const env = { ...service.env };
    for (const [key, value] of Object.entries(extra ?? {})) env[key] = String(value);
    services.set(name, { ...service, env });
  }
  for (const name of Object.keys(overrides)) {
    if (!services.has(name)) throw new AccordError(ErrorCodes.USAGE, `service env overrides name "${name}", which the config does not define: expected one of ${[...services.keys()].join(', ')}`);
  }
  return { ...config, environment: { ...config.environment, services } };
}

/** The scenario targets of a started environment: its service-a, service-b, Redis, Postgres and migrated database. */
export function scenarioTargets(env: StartedEnvironment): ScenarioTargets {
  const token = env.config.secrets.SERVICE_B_TOKEN;
  if (!token) throw new AccordError(ErrorCodes.SECRET_MISSING, `SERVICE_B_TOKEN is not set in ${env.config.environment.envFile}: the scenarios call Service B with it`);
  const serviceA = env.service('service-a');
  return {
    serviceA,
    serviceB: env.service('service-b'),
    postgres: env.postgres,
    redis: env.redis,
    databaseUrl: env.databaseUrl,
    serviceBToken: token,
    retry: retrySettingsOf(env.config.environment.services.get(serviceA.name)?.env ?? {}),
  };
}

/** Options for {@link runScenariosLive}. */
export interface LiveRunOptions extends RunScenariosOptions {
  /** Where the services' logs go (the recordings read them). @default the config's logs dir */
  logDir?: string;
  /** Told about each environment start-up step. */
  onEnvironment?: (progress: EnvironmentProgress) => void;
}

/** A live run's result and how long the environment took to start and stop. */
export interface LiveRunResult extends ScenariosResult {
  readonly environmentStartMs: number;
  readonly environmentStopMs: number;
}

/** Starts the environment (free ports), runs the scenarios against it, and stops it whatever happened. */
export async function runScenariosLive(config: ResolvedConfig, options: LiveRunOptions = {}): Promise<LiveRunResult> {
  // Bad --only names fail before anything starts.
  selectScenarios(SCENARIOS, options.only);
  const started = performance.now();
  const env = await startEnvironment(config, {
    freePorts: true,
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
    ...(options.onEnvironment ? { onProgress: options.onEnvironment } : {}),
  });
  const environmentStartMs = Math.round(performance.now() - started);
  let result: ScenariosResult;
  let stopping: number;
  try {
    result = await runScenarios(SCENARIOS, scenarioTargets(env), options);
  } finally {
    stopping = performance.now();
    await env.stop();
  }
  return { ...result, environmentStartMs, environmentStopMs: Math.round(performance.now() - stopping) };
}
