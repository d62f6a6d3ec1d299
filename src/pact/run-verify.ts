import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../config/index.js';
import { checkHealth, isAlive, readUpState, startEnvironment } from '../env/index.js';
import type { StartedEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { loadPactFiles } from './pact-files.js';
import { isProviderStates } from './provider-states.js';
import type { ProviderStates } from './provider-states.js';
import { loadResponseConformance } from './response-conformance.js';
import { assertStatesDefined, runVerification } from './verify-provider.js';
import type { PactSource, PublishOptions } from './verify-provider.js';
import type { VerifyResult } from './verify-result.js';

/** Options for {@link runVerificationLive}. */
export interface RunVerificationLiveOptions {
  /** Config directory. @default config/integration */
  configDir?: string;
  /** Repository root. @default process.cwd() */
  root?: string;
  /** Pact directory or file. @default the config's `pacts.dir` */
  pacts?: string;
  /** Module whose default export is the provider's `defineProviderStates(...)`. @default providers/service-b/test/states.ts */
  states?: string;
  /** Provider name in the pacts and service name in the environment. @default service-b */
  provider?: string;
  /** OpenAPI contract every response is checked against. @default the config's `contracts.path` */
  contract?: string;
  /** Publish the results to the broker (`PACT_BROKER_BASE_URL`); the pacts are then read from it. */
  publish?: PublishOptions;
  /** Where `PACT_BROKER_BASE_URL` / `PACT_BROKER_TOKEN` come from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Read the pacts from the broker even without publishing (fetch-only). @default false */
  fromBroker?: boolean;
  /** The broker. @default env PACT_BROKER_BASE_URL */
  brokerUrl?: string;
  /** The broker's bearer token. @default env PACT_BROKER_TOKEN */
  brokerToken?: string;
  /** Which consumer versions' pacts the broker gives. @default [{ mainBranch: true }, { deployedOrReleased: true }] */
  consumerVersionSelectors?: readonly Record<string, unknown>[];
  /** Pending pacts do not fail the verification (the broker says which are pending). @default false */
  includePending?: boolean;
  /** Also verify work-in-progress pacts published since this date (YYYY-MM-DD). */
  includeWipPactsSince?: string;
  /** An already running provider: nothing is started, the states use `databaseUrl`. */
  providerBaseUrl?: string;
  /** With `providerBaseUrl`: the provider's database, which the states write. */
  databaseUrl?: string;
  /** With `providerBaseUrl`: the provider's Redis, whose cache keys are cleared between interactions. */
  redisUrl?: string;
  /** Told about each phase, for progress output. */
  onProgress?: (message: string) => void;
}

const DEFAULTS = { configDir: DEFAULT_CONFIG_DIR, states: 'providers/service-b/test/states.ts', provider: 'service-b' } as const;

/**
 * `accord verify`: checks every input first (pacts, provider states, contract), starts the
 * environment without the consumer (migrated PostgreSQL, Redis, the provider), verifies the
 * pacts against the live provider and stops everything, whatever happened.
 */
export async function runVerificationLive(options: RunVerificationLiveOptions = {}): Promise<VerifyResult> {
  const settings = { ...DEFAULTS, ...options, env: options.env ?? process.env, onProgress: options.onProgress ?? (() => undefined) };
  const root = resolve(settings.root ?? process.cwd());
  const config = await loadConfig(settings.configDir, { root, env: settings.env });
  const states = await loadProviderStates(resolve(root, settings.states), root);

  let source: PactSource;
  if (settings.publish || settings.fromBroker) {
    const url = settings.brokerUrl || settings.env.PACT_BROKER_BASE_URL;
    if (!url) {
      const flag = settings.publish ? '--publish needs a Pact Broker: set' : '--from-broker needs a Pact Broker: pass --broker-url or set';
      throw new AccordError(ErrorCodes.USAGE, `${flag} PACT_BROKER_BASE_URL (and PACT_BROKER_TOKEN when it requires one)`);
    }
    source = {
      kind: 'broker',
      url,
      token: settings.brokerToken || settings.env.PACT_BROKER_TOKEN || undefined,
      ...(settings.consumerVersionSelectors && settings.consumerVersionSelectors.length > 0 ? { consumerVersionSelectors: settings.consumerVersionSelectors } : {}),
      ...(settings.includePending ? { enablePending: true } : {}),
      ...(settings.includeWipPactsSince ? { includeWipPactsSince: settings.includeWipPactsSince } : {}),
    };
  } else {
    const pacts = await loadPactFiles(resolve(root, settings.pacts ?? config.pacts.dir), { provider: settings.provider, cwd: root });
    // Fail on a missing state before anything is started.
    assertStatesDefined(pacts, states, root);
    source = { kind: 'files', pacts };
  }
  const conformance = await loadResponseConformance(resolve(root, settings.contract ?? config.contracts.path), root);
  if (settings.providerBaseUrl) return verifyRunning(settings.providerBaseUrl, { ...settings, root, source, states, conformance, token: config.secrets.SERVICE_B_TOKEN });

  const timings: Record<string, number> = {};
  let started = Date.now();
  settings.onProgress(`starting PostgreSQL, Redis and ${settings.provider}`);
  const environment: StartedEnvironment = await startEnvironment(config, { services: [settings.provider], freePorts: true });
  timings.environmentStartMs = Date.now() - started;
  try {
    const provider = environment.service(settings.provider);
    settings.onProgress(`verifying against ${provider.url}`);
    const postgres = environment.postgres.embedded
      ? { halt: () => environment.postgres.halt(), resume: () => environment.postgres.resume() }
      : undefined;
    const result = await runVerification({
      provider: settings.provider,
      providerBaseUrl: provider.url,
      source,
      states,
      databaseUrl: environment.databaseUrl,
      redisUrl: environment.redis.url,
      postgres,
      token: config.secrets.SERVICE_B_TOKEN,
      conformance,
      publish: settings.publish,
      cwd: root,
    });
    Object.assign(timings, result.timings);
    return { ...result, timings };
  } finally {
    started = Date.now();
    await environment.stop();
    timings.environmentStopMs = Date.now() - started;
  }
}

interface RunningProvider {
  readonly root: string;
  readonly provider: string;
  readonly source: PactSource;
  readonly states: ProviderStates;
  readonly conformance: Awaited<ReturnType<typeof loadResponseConformance>>;
  readonly token: string | undefined;
  readonly publish?: PublishOptions | undefined;
  readonly databaseUrl?: string | undefined;
  readonly redisUrl?: string | undefined;
  readonly onProgress: (message: string) => void;
}

/**
 * Verifies a provider that is already running: nothing is started or stopped. Its states need
 * its database: the `accord up` running in `root` when it is that provider, else `databaseUrl`.
 */
async function verifyRunning(providerBaseUrl: string, run: RunningProvider): Promise<VerifyResult> {
  const baseUrl = providerBaseUrl.replace(/\/+$/, '');
  let { databaseUrl, redisUrl } = run;
  if (!databaseUrl) {
    const up = await readUpState(run.root);
    const ours = up && isAlive(up.pid) && up.env && Object.values(up.urls).some((url) => url.replace(/\/+$/, '') === baseUrl);
    if (!ours || !up.env?.DATABASE_URL) {
      throw new AccordError(
        ErrorCodes.USAGE,
        `--provider-base-url ${providerBaseUrl}: the provider states need its database: pass --database-url URL (no accord up running here serves that URL)`,
      );
    }
    databaseUrl = up.env.DATABASE_URL;
    redisUrl ??= up.env.REDIS_URL;
  }
  const reachable = await checkHealth(baseUrl);
  if (reachable.status === undefined) {
    throw new AccordError(ErrorCodes.SERVICE_UNHEALTHY, `--provider-base-url ${providerBaseUrl}: nothing answers there (${reachable.last}): start the provider first`);
  }
  run.onProgress(`verifying against the running ${run.provider} at ${baseUrl}`);
  return runVerification({
    provider: run.provider,
    providerBaseUrl: baseUrl,
    source: run.source,
    states: run.states,
    databaseUrl,
    redisUrl,
    // Not ours to stop: states that simulate a database outage fail with their own message.
    postgres: undefined,
    token: run.token,
    conformance: run.conformance,
    publish: run.publish,
    cwd: run.root,
  });
}

/** Imports a provider-states module and checks it default-exports `defineProviderStates(...)`. */
export async function loadProviderStates(file: string, root = process.cwd()): Promise<ProviderStates> {
  const shown = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  let module: { default?: unknown };
  try {
    module = (await importModule(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(file)) {
      throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `provider states module ${shown} not found: expected a module whose default export is defineProviderStates({...})`);
    }
    throw new AccordError(ErrorCodes.PROVIDER_STATE_MISSING, `provider states module ${shown} failed to load: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (!isProviderStates(module.default)) {
    throw new AccordError(ErrorCodes.PROVIDER_STATE_MISSING, `provider states module ${shown} must default-export defineProviderStates({...}), got ${module.default === undefined ? 'no default export' : typeof module.default}`);
  }
  return module.default;
}

/**
 * Imports a module by URL. The built CLI (dist/) runs without tsx, so a TypeScript module (the
 * default states file is) goes through tsx's scoped `tsImport`, loaded only then.
 */
async function importModule(url: string): Promise<unknown> {
  if (import.meta.url.endsWith('.ts') || !/\.[cm]?tsx?$/.test(url)) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}
