import { resolve } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { checkHealth } from '../env/index.js';
import { loadPactFiles } from './pact-files.js';
import { defineProviderStates } from './provider-states.js';
import type { ProviderHook, ProviderRequestFilter, ProviderStateFunction, ProviderStateHandler, ProviderStates } from './provider-states.js';
import { loadResponseConformance } from './response-conformance.js';
import { checkBrokerSource, runVerification } from './verify-provider.js';
import type { PactSource, PublishOptions } from './verify-provider.js';
import type { VerifyResult } from './verify-result.js';

/** Where {@link verifyProvider} reads the pacts from a broker. */
export interface VerifyProviderBroker {
  readonly url: string;
  /** Bearer token. @default none */
  readonly token?: string | undefined;
  /** @default [{ mainBranch: true }, { deployedOrReleased: true }] */
  readonly consumerVersionSelectors?: readonly Record<string, unknown>[];
  /** Pending pacts do not fail the verification. @default false */
  readonly includePending?: boolean;
  /** Also verify work-in-progress pacts published since this date (YYYY-MM-DD). */
  readonly includeWipPactsSince?: string;
}

/** Options for {@link verifyProvider}: pact-js's Verifier options, plus Accord's contract check. */
export interface VerifyProviderOptions {
  /** The provider's pacticipant name, as the pacts spell it (`ProductService`). */
  provider: string;
  /** The running provider, e.g. the app the test started in-process. */
  baseUrl: string;
  /** Pact files: a directory, a file or a list of them (relative to `cwd`). One of `pacts` and `broker`. */
  pacts?: string | readonly string[] | undefined;
  /** Read the pacts from a Pact Broker instead. */
  broker?: VerifyProviderBroker | undefined;
  /** Provider-state handlers by the name pacts use in `given(...)`: a function (setup) or `{ setup, teardown }`. @default {} */
  stateHandlers?: Readonly<Record<string, ProviderStateFunction | ProviderStateHandler>>;
  /** Or a states module's `defineProviderStates(...)` (its hooks and filter are used when these options give none). */
  states?: ProviderStates;
  beforeEach?: ProviderHook;
  afterEach?: ProviderHook;
  /** Changes each replayed request's headers (a fresh token). */
  requestFilter?: ProviderRequestFilter;
  /** OpenAPI contract every response is also checked against. @default none */
  contract?: string;
  /** Publish Accord's verdict to the broker (needs `broker`). */
  publish?: PublishOptions;
  /** The provider's database, emptied before every interaction and given to the states as `db`. @default none */
  databaseUrl?: string;
  /** The provider's Redis, given to the states as `redis`. */
  redisUrl?: string;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  /** Paths are relative to this. @default process.cwd() */
  cwd?: string;
}

/**
 * Verifies the pacts against a provider the caller started (in-process in a jest, vitest or mocha
 * test, so state handlers can set in-memory data), with pact-js's verifier underneath and Accord's
 * extras: contract conformance of every response and one verdict (what is published is what is
 * returned). A failed verification is `ok: false`; bad input throws an `AccordError`.
 */
export async function verifyProvider(options: VerifyProviderOptions): Promise<VerifyResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const states = statesOf(options);
  const source = await sourceOf(options, cwd);
  await checkBrokerSource(source);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const reachable = await checkHealth(baseUrl);
  if (reachable.status === undefined) throw new AccordError(ErrorCodes.SERVICE_UNHEALTHY, `verifyProvider: nothing answers at ${baseUrl} (${reachable.last}): start the provider first`);
  return runVerification({
    provider: options.provider,
    providerBaseUrl: baseUrl,
    source,
    states,
    databaseUrl: options.databaseUrl,
    missingDatabase: `verifyProvider: a provider state of ${options.provider} uses the database (db): pass databaseUrl`,
    redisUrl: options.redisUrl,
    conformance: options.contract === undefined ? undefined : await loadResponseConformance(resolve(cwd, options.contract), cwd),
    publish: options.publish,
    cwd,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

function statesOf(options: VerifyProviderOptions): ProviderStates {
  if (options.states && options.stateHandlers) throw new AccordError(ErrorCodes.USAGE, 'verifyProvider: give stateHandlers or states, not both');
  const base = options.states;
  const handlers: Record<string, ProviderStateFunction | ProviderStateHandler> = { ...options.stateHandlers };
  for (const name of base?.names ?? []) {
    const handler = base?.get(name);
    if (handler) handlers[name] = handler;
  }
  const hooks = {
    beforeEach: options.beforeEach ?? base?.beforeEach,
    afterEach: options.afterEach ?? base?.afterEach,
    requestFilter: options.requestFilter ?? base?.requestFilter,
  };
  return defineProviderStates(handlers, {
    cacheKeys: base?.cacheKeys ?? [],
    ...Object.fromEntries(Object.entries(hooks).filter(([, value]) => value !== undefined)),
  });
}

async function sourceOf(options: VerifyProviderOptions, cwd: string): Promise<PactSource> {
  if ((options.pacts === undefined) === (options.broker === undefined)) throw new AccordError(ErrorCodes.USAGE, 'verifyProvider: give pacts (files or a directory) or broker, one of them');
  if (options.publish && !options.broker) throw new AccordError(ErrorCodes.USAGE, 'verifyProvider: publish needs the pacts from broker: a pact read from a file has no broker to publish to');
  if (options.broker) {
    const { broker } = options;
    return {
      kind: 'broker',
      url: broker.url,
      token: broker.token,
      ...(broker.consumerVersionSelectors ? { consumerVersionSelectors: broker.consumerVersionSelectors } : {}),
      ...(broker.includePending ? { enablePending: true } : {}),
      ...(broker.includeWipPactsSince ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
    };
  }
  const paths = typeof options.pacts === 'string' ? [options.pacts] : [...(options.pacts ?? [])];
  const pacts = (await Promise.all(paths.map((path) => loadPactFiles(resolve(cwd, path), { provider: options.provider, cwd })))).flat();
  return { kind: 'files', pacts };
}
