import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contractPathOf, DEFAULT_CONFIG_DIR, loadConfig, requireSetting, serviceNamed } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { checkHealth, isAlive, readUpState, remotePostgres, startEnvironment } from '../env/index.js';
import type { RemotePostgres, StartedEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { importModule } from './import-module.js';
import { isMessageProviders } from './message-providers.js';
import { loadPactFiles, parsePact } from './pact-files.js';
import type { PactFileSummary } from './pact-files.js';
import { verifyMessagesInChild } from './spawn-message-verifier.js';
import { defineProviderStates, isProviderStates } from './provider-states.js';
import type { ProviderStates } from './provider-states.js';
import { loadResponseConformance } from './response-conformance.js';
import { assertStatesDefined, checkBrokerSource, runVerification } from './verify-provider.js';
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
  /** Module whose default export is the provider's `defineProviderStates(...)`. @default pacts.yaml's `verify.states` */
  states?: string;
  /** Provider name in the pacts and service name in the environment. @default pacts.yaml's `verify.provider` */
  provider?: string;
  /** OpenAPI contract every response is checked against. @default the config's `contracts.path` */
  contract?: string;
  /**
   * Module whose default export is `defineMessageProviders(...)`: how the message pacts' provider
   * builds its messages. Needed when the pacts include message pacts. @default pacts.yaml's `verify.messages`
   */
  messages?: string;
  /** AsyncAPI document every built message is checked against. @default pacts.yaml's `verify.asyncApi` (none: the messages are checked against the pacts only) */
  asyncApi?: string;
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
  /** The env-file secret sent as the bearer token. @default pacts.yaml's `verify.tokenSecret`, else the provider service's only configured secret, if it has exactly one */
  tokenSecret?: string;
  /** A started environment to verify against (the gate's); it is left running. @default one started (database, Redis, the provider) and stopped here */
  environment?: StartedEnvironment;
  /** Start the provider on a free port, not its configured one (a provider that listens where PORT says). @default false: the configured port, free ones only for `port: 0` */
  freePorts?: boolean;
}

/** What verifies the pacts: each option, else pacts.yaml's `verify:` key; provider and states must be set by one of them. */
function verifySettingsOf(config: ResolvedConfig, options: RunVerificationLiveOptions) {
  const configured = config.pacts.verify;
  const required = (value: string | undefined, key: string, flag: string, what: string) =>
    requireSetting(config, value, { section: 'pacts', key: `verify.${key}`, purpose: `${what}; or pass ${flag}` });
  return {
    provider: required(options.provider ?? configured.provider, 'provider', '--provider', 'the provider whose pacts are verified'),
    states: required(options.states ?? configured.states, 'states', '--states', "the module that default-exports the provider's defineProviderStates(...)"),
    messages: options.messages ?? configured.messages,
    asyncApi: options.asyncApi ?? configured.asyncApi,
    tokenSecret: options.tokenSecret ?? configured.tokenSecret,
  };
}

/**
 * `accord verify`: checks every input first (pacts, provider states, contract), starts the
 * environment without the consumer (migrated PostgreSQL, Redis, the provider), verifies the
 * pacts against the live provider and stops everything, whatever happened.
 */
export async function runVerificationLive(options: RunVerificationLiveOptions = {}): Promise<VerifyResult> {
  const env = options.env ?? process.env;
  const root = resolve(options.root ?? process.cwd());
  const config = options.environment?.config ?? (await loadConfig(options.configDir ?? DEFAULT_CONFIG_DIR, { root, env }));
  const configured = verifySettingsOf(config, options);
  // `provider` may name the service (its key) or its pacticipant name: pacts and the broker use the latter.
  const service = serviceNamed(config, configured.provider);
  const serviceKey = service?.name ?? configured.provider;
  const settings = { ...options, ...configured, provider: service?.pacticipant ?? configured.provider, env, onProgress: options.onProgress ?? (() => undefined) };
  const token = tokenOf(config, serviceKey, settings.tokenSecret);
  const states = await loadProviderStates(resolve(root, settings.states), root);

  let source: PactSource;
  let messagePlan: MessagePlan | undefined;
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
    await checkBrokerSource(source);
  } else {
    const pactSource = resolve(root, settings.pacts ?? config.pacts.dir);
    const pacts = await loadPactFiles(pactSource, { provider: settings.provider, cwd: root });
    // Fail on a missing state, or a message pact nobody can provide, before anything is started.
    assertStatesDefined(pacts, states, root);
    source = { kind: 'files', pacts };
    messagePlan = await planMessageVerification(pactSource, settings.messages === undefined ? undefined : resolve(root, settings.messages), settings.asyncApi === undefined ? undefined : resolve(root, settings.asyncApi), { config, root });
  }
  const contract = settings.contract ?? contractPathOf(config, 'the OpenAPI contract every verified response is checked against; or pass --contract');
  const conformance = await loadResponseConformance(resolve(root, contract), root);
  if (settings.providerBaseUrl) return verifyRunning(settings.providerBaseUrl, { ...settings, root, source, states, conformance, token });

  const timings: Record<string, number> = {};
  let started = Date.now();
  const owned = settings.environment === undefined;
  if (owned) settings.onProgress(`starting ${serviceKey} and what it needs`);
  const environment: StartedEnvironment = settings.environment ?? (await startEnvironment(config, { services: [serviceKey], freePorts: settings.freePorts ?? false }));
  timings.environmentStartMs = owned ? Date.now() - started : 0;
  try {
    const provider = environment.service(serviceKey);
    settings.onProgress(`verifying against ${provider.url}`);
    const database = environment.postgres;
    const postgres = database?.embedded ? { halt: () => database.halt(), resume: () => database.resume() } : undefined;
    const result = await runVerification({
      provider: settings.provider,
      providerBaseUrl: provider.url,
      source,
      states,
      databaseUrl: environment.databaseUrl || undefined,
      missingDatabase: `a provider state of ${settings.provider} uses the database (db), but the environment has none: declare postgres in environment.yaml`,
      redisUrl: environment.redis?.url || undefined,
      postgres,
      token,
      conformance,
      publish: settings.publish,
      cwd: root,
    });
    Object.assign(timings, result.timings);
    if (messagePlan === undefined) return { ...result, timings };
    settings.onProgress(`verifying ${messagePlan.provider}'s messages`);
    const messages = await verifyMessagesInChild({ pacts: messagePlan.pacts, providersModule: messagePlan.module, asyncApi: messagePlan.asyncApi, cwd: root });
    timings.messageVerifyMs = messages.timings.verifyMs ?? 0;
    return {
      ...result,
      ok: result.ok && messages.ok,
      interactions: [...result.interactions.map((interaction) => ({ ...interaction, provider: settings.provider })), ...messages.interactions],
      verifierOutput: `${result.verifierOutput}\n${messages.verifierOutput}`,
      timings,
    };
  } finally {
    started = Date.now();
    if (owned) await environment.stop();
    timings.environmentStopMs = Date.now() - started;
  }
}

/** The message pacts found beside the HTTP ones, and what verifies them. */
interface MessagePlan {
  provider: string;
  pacts: PactFileSummary[];
  module: string;
  asyncApi: string | undefined;
}

/**
 * Finds the message pacts in `source` (pacts whose interactions are all messages). Each must be for
 * the provider the message-providers module defines: a message pact for any other provider is bad
 * input, named. Undefined when there are none.
 */
async function planMessageVerification(source: string, configuredModule: string | undefined, asyncApi: string | undefined, { config, root }: { config: ResolvedConfig; root: string }): Promise<MessagePlan | undefined> {
  const shown = (file: string) => relative(root, file) || file;
  const info = await stat(source);
  const files = info.isDirectory() ? (await readdir(source)).filter((name) => name.endsWith('.json')).sort().map((name) => join(source, name)) : [source];
  const messagePacts: PactFileSummary[] = [];
  for (const file of files) {
    const pact = parsePact(await readFile(file, 'utf8'), shown(file));
    if (pact.interactions.length > 0 && pact.interactions.every((interaction) => interaction.kind === 'message')) messagePacts.push({ ...pact, file });
  }
  if (messagePacts.length === 0) return undefined;
  const module = requireSetting(config, configuredModule, { section: 'pacts', key: 'verify.messages', purpose: `${shown(messagePacts[0]?.file ?? source)} is a message pact: the module that default-exports defineMessageProviders(...); or pass --messages` });
  const loaded = (await importModule(pathToFileURL(module).href).catch((error: unknown) => {
    const reason = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes(String((error as NodeJS.ErrnoException).code)) ? 'not found' : `failed to load: ${(error as Error).message.split('\n')[0]}`;
    throw new AccordError(ErrorCodes.PACT_INVALID, `${shown(messagePacts[0]?.file ?? source)} is a message pact, but the message provider module ${shown(module)} ${reason}: expected a module whose default export is defineMessageProviders({...})`);
  })) as { default?: unknown };
  if (!isMessageProviders(loaded.default)) throw new AccordError(ErrorCodes.PACT_INVALID, `message provider module ${shown(module)} must default-export defineMessageProviders({...})`);
  const provider = loaded.default.provider;
  const unknown = messagePacts.filter((pact) => pact.provider !== provider);
  if (unknown.length > 0) {
    const list = unknown.map((pact) => `${shown(pact.file)} (provider "${pact.provider}")`).join(', ');
    throw new AccordError(ErrorCodes.PACT_INVALID, `message pact for an unknown provider: ${list}; ${shown(module)} provides messages for "${provider}" only`);
  }
  const hasAsyncApi = asyncApi !== undefined && (await stat(asyncApi).then(() => true, () => false));
  return { provider, pacts: messagePacts, module, asyncApi: hasAsyncApi ? asyncApi : undefined };
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
 * Verifies a provider that is already running: nothing is started or stopped. Its states get
 * its database (when one reads it): the `accord up` running in `root` when it is that provider,
 * else `databaseUrl`; none, and a state that reads it ends the run with one line.
 */
async function verifyRunning(providerBaseUrl: string, run: RunningProvider): Promise<VerifyResult> {
  const baseUrl = providerBaseUrl.replace(/\/+$/, '');
  let { databaseUrl, redisUrl } = run;
  let postgres: RemotePostgres | undefined;
  if (!databaseUrl) {
    const up = await readUpState(run.root);
    const ours = up && isAlive(up.pid) && up.env && Object.values(up.urls).some((url) => url.replace(/\/+$/, '') === baseUrl);
    if (ours && up.env?.DATABASE_URL) {
      databaseUrl = up.env.DATABASE_URL;
      redisUrl ??= up.env.REDIS_URL;
      // Its embedded PostgreSQL is Accord's own: `up` halts and resumes it when a state asks.
      if (up.control) postgres = remotePostgres(up.control);
    }
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
    missingDatabase: `--provider-base-url ${providerBaseUrl}: the provider states need its database: pass --database-url URL (no accord up running here serves that URL)`,
    redisUrl,
    // Only an `accord up`'s own server; an external one is not ours to stop (such states fail with their own message).
    postgres,
    token: run.token,
    conformance: run.conformance,
    publish: run.publish,
    cwd: run.root,
  });
}

/** The bearer token for the provider: the named secret, else the provider's one configured secret. */
function tokenOf(config: ResolvedConfig, provider: string, secret: string | undefined): string | undefined {
  const secrets = config.environment.services.get(provider)?.secrets ?? [];
  const name = secret ?? (secrets.length === 1 ? secrets[0] : undefined);
  return name === undefined ? undefined : config.secrets[name];
}

/** Imports a provider-states module and checks it default-exports `defineProviderStates(...)`. */
export async function loadProviderStates(file: string, root = process.cwd()): Promise<ProviderStates> {
  const shown = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  let module: { default?: unknown };
  try {
    module = (await importModule(pathToFileURL(file).href, { defineProviderStates })) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(file)) {
      throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `provider states module ${shown} not found: expected a module whose default export is defineProviderStates({...})`);
    }
    throw new AccordError(ErrorCodes.PROVIDER_STATE_MISSING, `provider states module ${shown} failed to load: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (!isProviderStates(module.default)) {
    throw new AccordError(ErrorCodes.PROVIDER_STATE_MISSING, `provider states module ${shown} must default-export defineProviderStates({...}), got ${module.default === undefined ? 'no default export' : typeof module.default}`);
  }
  return module.default;
}
