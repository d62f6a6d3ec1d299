import type { ResolvedConfig, ResolvedServiceConfig } from '../config/index.js';
import type { EnvironmentProgress, StartedEnvironment } from '../env/index.js';
import { startEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { SCENARIOS } from './catalog/index.js';
import { runScenarios, selectScenarios } from './run-scenarios.js';
import type { RunScenariosOptions, ScenariosResult } from './run-scenarios.js';
import { loadScenariosConfig } from './scenarios-config.js';
import type { ScenarioRoles, ScenariosConfig } from './scenarios-config.js';
import type { PaymentsTarget, RetrySettings, ScenarioTargets } from './targets.js';

const RETRY_VARIABLES = ['B_TIMEOUT_MS', 'B_RETRIES', 'B_RETRY_BASE_MS', 'B_RETRY_MAX_MS', 'RETRY_AFTER_SECONDS'] as const;
const PAYMENT_VARIABLES = ['PAYMENTS_TIMEOUT_MS', 'PAYMENTS_RETRIES'] as const;

/**
 * Reads `names` from the consumer's env as non-negative integers. They must all be in the config
 * (environment.yaml): the scenarios' expectations are derived from them, and a default written
 * here would be a guess about someone else's service.
 */
function integersOf<N extends string>(env: Readonly<Record<string, string>>, names: readonly N[], purpose: string, consumer: string): Record<N, number> {
  const missing = names.filter((name) => env[name] === undefined || env[name] === '');
  if (missing.length > 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${consumer}'s env to set ${missing.join(', ')} in environment.yaml: the scenarios derive their ${purpose} expectations from them`);
  const values = {} as Record<N, number>;
  for (const name of names) {
    const raw = env[name] ?? '';
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${consumer}'s ${name} to be a non-negative integer, got \`${raw}\``);
    values[name] = value;
  }
  return values;
}

/** The retry settings the consumer runs with, read from the environment variables its config gives it. */
export function retrySettingsOf(env: Readonly<Record<string, string>>, consumer: string): RetrySettings {
  const read = integersOf(env, RETRY_VARIABLES, 'retry', consumer);
  return {
    timeoutMs: read.B_TIMEOUT_MS,
    retries: read.B_RETRIES,
    retryBaseMs: read.B_RETRY_BASE_MS,
    retryMaxMs: read.B_RETRY_MAX_MS,
    retryAfterSeconds: read.RETRY_AFTER_SECONDS,
  };
}

/** The vendor stub of a started environment and the consumer's payment settings, or undefined when it runs no stub. */
export function paymentsTargetOf(env: StartedEnvironment, roles: ScenarioRoles, consumerEnv: Readonly<Record<string, string>>): PaymentsTarget | undefined {
  const stub = roles.vendorStub?.service;
  if (stub === undefined || !env.config.environment.services.has(stub)) return undefined;
  const read = integersOf(consumerEnv, PAYMENT_VARIABLES, 'payment', roles.consumer.service);
  return { url: env.service(stub).url, timeoutMs: read.PAYMENTS_TIMEOUT_MS, retries: read.PAYMENTS_RETRIES };
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

/** The scenario targets of a started environment: the services playing scenarios.yaml's roles, Redis, Postgres and the migrated database. */
export function scenarioTargets(env: StartedEnvironment, scenarios: Pick<ScenariosConfig, 'roles' | 'tables'>): ScenarioTargets {
  const { roles, tables } = scenarios;
  const provider = roles.provider.service;
  // The provider's token is the one secret environment.yaml says it needs.
  const secrets = env.config.environment.services.get(provider)?.secrets ?? [];
  const secret = secrets.length === 1 ? secrets[0] : undefined;
  const token = secret === undefined ? undefined : env.config.secrets[secret];
  if (!token) throw new AccordError(ErrorCodes.SECRET_MISSING, `${provider} needs exactly one secret in environment.yaml, set in ${env.config.environment.envFile}: the scenarios call Service B with it as the bearer token (found ${secrets.join(', ') || 'none'})`);
  const serviceA = env.service(roles.consumer.service);
  const serviceAEnv = env.config.environment.services.get(serviceA.name)?.env ?? {};
  const payments = paymentsTargetOf(env, roles, serviceAEnv);
  return {
    roles,
    tables,
    serviceA,
    serviceB: env.service(provider),
    postgres: env.postgres,
    redis: env.redis,
    databaseUrl: env.databaseUrl,
    serviceBToken: token,
    retry: retrySettingsOf(serviceAEnv, serviceA.name),
    ...eventTargetsOf(env, roles),
    ...(payments === undefined ? {} : { payments }),
  };
}

/**
 * Service C and its streams when the environment runs C. The stream names must be in C's env in
 * environment.yaml (and A's must name the same stream): a default here would be a guess.
 */
function eventTargetsOf(env: StartedEnvironment, roles: ScenarioRoles): Pick<ScenarioTargets, 'events'> {
  const services = env.config.environment.services;
  const worker = roles.worker?.service;
  const c = worker === undefined ? undefined : services.get(worker);
  if (!c) return {};
  const consumer = roles.consumer.service;
  const stream = c.env.ORDER_EVENTS_STREAM;
  const deadLetterStream = c.env.DEAD_LETTER_STREAM;
  if (!stream || !deadLetterStream) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${c.name}'s env to set ORDER_EVENTS_STREAM and DEAD_LETTER_STREAM in environment.yaml: the stream scenarios read those streams`);
  const published = services.get(consumer)?.env.ORDER_EVENTS_STREAM;
  if (published !== stream) throw new AccordError(ErrorCodes.CONFIG_INVALID, `Expected ${consumer}'s ORDER_EVENTS_STREAM (${published ?? 'unset'}) to equal ${c.name}'s (${stream}) in environment.yaml: C must consume the stream A publishes to`);
  return { events: { serviceC: env.service(c.name), stream, deadLetterStream } };
}

/** Options for {@link runScenariosLive}. */
export interface LiveRunOptions extends RunScenariosOptions {
  /** Where the services' logs go (the recordings read them). @default the config's logs dir */
  logDir?: string;
  /** Told about each environment start-up step. */
  onEnvironment?: (progress: EnvironmentProgress) => void;
  /** A started environment to run against (the gate's); left running, with every fault undone. @default one started and stopped here */
  environment?: StartedEnvironment;
}

/** A live run's result and how long the environment took to start and stop. */
export interface LiveRunResult extends ScenariosResult {
  readonly environmentStartMs: number;
  readonly environmentStopMs: number;
}

/** Starts the environment (free ports), runs the scenarios against it, and stops it whatever happened. */
export async function runScenariosLive(config: ResolvedConfig, options: LiveRunOptions = {}): Promise<LiveRunResult> {
  // Bad --only names and a missing or invalid scenarios.yaml fail before anything starts.
  selectScenarios(SCENARIOS, options.only);
  const scenarios = await loadScenariosConfig(config);
  if (options.environment) {
    const result = await runScenarios(SCENARIOS, scenarioTargets(options.environment, scenarios), options);
    return { ...result, environmentStartMs: 0, environmentStopMs: 0 };
  }
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
    result = await runScenarios(SCENARIOS, scenarioTargets(env, scenarios), options);
  } finally {
    stopping = performance.now();
    await env.stop();
  }
  return { ...result, environmentStartMs, environmentStopMs: Math.round(performance.now() - stopping) };
}
