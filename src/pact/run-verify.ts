import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/index.js';
import { startEnvironment } from '../env/index.js';
import type { StartedEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { importModule } from './import-module.js';
import { isMessageProviders } from './message-providers.js';
import { loadPactFiles, parsePact } from './pact-files.js';
import type { PactFileSummary } from './pact-files.js';
import { verifyMessagesInChild } from './spawn-message-verifier.js';
import { isProviderStates } from './provider-states.js';
import type { ProviderStates } from './provider-states.js';
import { loadResponseConformance } from './response-conformance.js';
import { assertStatesDefined, verifyProvider } from './verify-provider.js';
import type { PactSource, PublishOptions } from './verify-provider.js';
import type { VerifyResult } from './verify-result.js';

/** Options for {@link runVerify}. */
export interface RunVerifyOptions {
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
  /**
   * Module whose default export is `defineMessageProviders(...)`: how the message pacts' provider
   * builds its messages. Used when the pacts include message pacts. @default consumers/service-a/test/message-providers.ts
   */
  messages?: string;
  /** AsyncAPI document every built message is checked against. @default contracts/order-events.asyncapi.yaml */
  asyncApi?: string;
  /** Publish the results to the broker (`PACT_BROKER_BASE_URL`); the pacts are then read from it. */
  publish?: PublishOptions;
  /** Where `PACT_BROKER_BASE_URL` / `PACT_BROKER_TOKEN` come from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told about each phase, for progress output. */
  onProgress?: (message: string) => void;
}

const DEFAULTS = {
  configDir: 'config/integration',
  states: 'providers/service-b/test/states.ts',
  provider: 'service-b',
  messages: 'consumers/service-a/test/message-providers.ts',
  asyncApi: 'contracts/order-events.asyncapi.yaml',
} as const;

/**
 * `accord verify`: checks every input first (pacts, provider states, contract), starts the
 * environment without the consumer (migrated PostgreSQL, Redis, the provider), verifies the
 * pacts against the live provider and stops everything, whatever happened.
 */
export async function runVerify(options: RunVerifyOptions = {}): Promise<VerifyResult> {
  const settings = { ...DEFAULTS, ...options, env: options.env ?? process.env, onProgress: options.onProgress ?? (() => undefined) };
  const root = resolve(settings.root ?? process.cwd());
  const config = await loadConfig(settings.configDir, { root, env: settings.env });
  const states = await loadProviderStates(resolve(root, settings.states), root);

  let source: PactSource;
  let messagePlan: MessagePlan | undefined;
  if (settings.publish) {
    const url = settings.env.PACT_BROKER_BASE_URL;
    if (!url) throw new AccordError(ErrorCodes.USAGE, '--publish needs a Pact Broker: set PACT_BROKER_BASE_URL (and PACT_BROKER_TOKEN when it requires one)');
    source = { kind: 'broker', url, token: settings.env.PACT_BROKER_TOKEN || undefined };
  } else {
    const pactSource = resolve(root, settings.pacts ?? config.pacts.dir);
    const pacts = await loadPactFiles(pactSource, { provider: settings.provider, cwd: root });
    // Fail on a missing state, or a message pact nobody can provide, before anything is started.
    assertStatesDefined(pacts, states, root);
    source = { kind: 'files', pacts };
    messagePlan = await planMessageVerification(pactSource, resolve(root, settings.messages), resolve(root, settings.asyncApi), root);
  }
  const conformance = await loadResponseConformance(resolve(root, settings.contract ?? config.contracts.path), root);

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
    const result = await verifyProvider({
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
    await environment.stop();
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
async function planMessageVerification(source: string, module: string, asyncApi: string, root: string): Promise<MessagePlan | undefined> {
  const shown = (file: string) => relative(root, file) || file;
  const info = await stat(source);
  const files = info.isDirectory() ? (await readdir(source)).filter((name) => name.endsWith('.json')).sort().map((name) => join(source, name)) : [source];
  const messagePacts: PactFileSummary[] = [];
  for (const file of files) {
    const pact = parsePact(await readFile(file, 'utf8'), shown(file));
    if (pact.interactions.length > 0 && pact.interactions.every((interaction) => interaction.kind === 'message')) messagePacts.push({ ...pact, file });
  }
  if (messagePacts.length === 0) return undefined;
  const loaded = (await importModule(pathToFileURL(module).href).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ? 'not found' : `failed to load: ${(error as Error).message.split('\n')[0]}`;
    throw new AccordError(ErrorCodes.PACT_INVALID, `${shown(messagePacts[0]?.file ?? source)} is a message pact, but the message provider module ${shown(module)} ${reason}: expected a module whose default export is defineMessageProviders({...})`);
  })) as { default?: unknown };
  if (!isMessageProviders(loaded.default)) throw new AccordError(ErrorCodes.PACT_INVALID, `message provider module ${shown(module)} must default-export defineMessageProviders({...})`);
  const provider = loaded.default.provider;
  const unknown = messagePacts.filter((pact) => pact.provider !== provider);
  if (unknown.length > 0) {
    const list = unknown.map((pact) => `${shown(pact.file)} (provider "${pact.provider}")`).join(', ');
    throw new AccordError(ErrorCodes.PACT_INVALID, `message pact for an unknown provider: ${list}; ${shown(module)} provides messages for "${provider}" only`);
  }
  const hasAsyncApi = await stat(asyncApi).then(() => true, () => false);
  return { provider, pacts: messagePacts, module, asyncApi: hasAsyncApi ? asyncApi : undefined };
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
