import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** Parameters a pact attaches to a provider state (`given('a user exists', { id: 'u-1' })`). */
export type ProviderStateParams = Readonly<Record<string, unknown>>;

/** The running PostgreSQL as a provider state may use it: only to simulate an outage. */
export interface ProviderStatePostgres {
  /** Stops the server (its data kept); the provider's queries fail as "unreachable". */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
}

/**
 * What a provider state function (and a hook) gets besides its parameters. Like pact-js's
 * state handlers, it also carries the provider's URL; the database and Redis only where the
 * system has them.
 */
export interface ProviderStateContext {
  /** The state's parameters (also the function's first argument). */
  readonly params: ProviderStateParams;
  /** The provider under verification, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /**
   * A pool on the provider's migrated database, emptied before every interaction. Read only
   * when the system has one: without a database, reading it fails the run with one line.
   */
  readonly db: Pool;
  /** The same pool under pact-js's usual name. */
  readonly pool: Pool;
  /** The provider's Redis, when the verification has one. */
  readonly redis: Redis | undefined;
  /** The environment's PostgreSQL, when Accord started it (undefined against an external server). */
  readonly postgres: ProviderStatePostgres | undefined;
}

/** Runs before or after each interaction (pact-js's `beforeEach` / `afterEach`); `params` is empty. */
export type ProviderHook = (context: ProviderStateContext) => Promise<void> | void;

/** A replayed request as a {@link ProviderRequestFilter} sees it: its headers may be changed. */
export interface FilteredRequest {
  /** The provider the request goes to (where a fresh token can be asked for). */
  readonly baseUrl: string;
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Path without the query. */
  readonly path: string;
  /** Lower-case names; set, change or delete entries to change what the provider receives. */
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Changes each request the verifier replays before the provider gets it (a fresh token).
 * Either return (or resolve) when done, or call `next()` as pact-js's Express-style filters do.
 */
export type ProviderRequestFilter = (request: FilteredRequest, response: undefined, next: (error?: unknown) => void) => Promise<void> | void;

/**
 * Sets a state up or tears it down. The object it may return is handed to the verifier as
 * provider-state values (pact's `fromProviderState` injects them into the request).
 */
export type ProviderStateFunction = (params: ProviderStateParams, context: ProviderStateContext) => Promise<Record<string, unknown> | void>;

/** A state with a teardown: what `setup` changed outside the database (which is emptied anyway). */
export interface ProviderStateHandler {
  readonly setup: ProviderStateFunction;
  readonly teardown?: ProviderStateFunction;
}

/** The provider states a provider answers, by the exact name pacts use in `given(...)`. */
export interface ProviderStates {
  /** Every state name, in definition order. */
  readonly names: readonly string[];
  /** The handler of `name`, or undefined when none is defined. */
  get(name: string): ProviderStateHandler | undefined;
  /** Redis key patterns that cache database rows, deleted before every interaction. */
  readonly cacheKeys: readonly string[];
  /** Runs before each interaction, after the data reset and before its states. */
  readonly beforeEach?: ProviderHook | undefined;
  /** Runs after each interaction. */
  readonly afterEach?: ProviderHook | undefined;
  /** Changes each replayed request's headers. */
  readonly requestFilter?: ProviderRequestFilter | undefined;
}

/** Options for {@link defineProviderStates}. */
export interface DefineProviderStatesOptions {
  /** Redis key patterns (SCAN MATCH syntax) in which the provider caches rows the states write. @default [] */
  cacheKeys?: readonly string[];
  /** Runs before each interaction, after the data reset and before its states. */
  beforeEach?: ProviderHook;
  /** Runs after each interaction. */
  afterEach?: ProviderHook;
  /** Changes each replayed request's headers before the provider gets it (e.g. a fresh bearer token). */
  requestFilter?: ProviderRequestFilter;
}

const BRAND = Symbol.for('accord.provider-states');

/**
 * Registers a provider's state functions: plain functions (setup only) or `{ setup, teardown }`.
 * `accord verify` loads the module that default-exports the result.
 */
export function defineProviderStates(
  handlers: Readonly<Record<string, ProviderStateFunction | ProviderStateHandler>>,
  options: DefineProviderStatesOptions = {},
): ProviderStates {
  const table = new Map<string, ProviderStateHandler>();
  for (const [name, handler] of Object.entries(handlers)) {
    if (name.trim() === '') {
      throw new AccordError(ErrorCodes.USAGE, 'defineProviderStates: a provider state name must not be empty');
    }
    if (typeof handler === 'function') {
      table.set(name, { setup: handler });
    } else if (handler && typeof handler.setup === 'function' && (handler.teardown === undefined || typeof handler.teardown === 'function')) {
      table.set(name, handler);
    } else {
      throw new AccordError(ErrorCodes.USAGE, `defineProviderStates: expected state "${name}" to be a function or { setup, teardown? }, got ${describeValue(handler)}`);
    }
  }
  for (const key of ['beforeEach', 'afterEach', 'requestFilter'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'function') throw new AccordError(ErrorCodes.USAGE, `defineProviderStates: ${key} must be a function, got ${describeValue(value)}`);
  }
  const states: ProviderStates & { [BRAND]: true } = {
    [BRAND]: true,
    names: Object.freeze([...table.keys()]),
    get: (name) => table.get(name),
    cacheKeys: Object.freeze([...(options.cacheKeys ?? [])]),
    beforeEach: options.beforeEach,
    afterEach: options.afterEach,
    requestFilter: options.requestFilter,
  };
  return Object.freeze(states);
}

/** True when `value` was built by {@link defineProviderStates}. */
export function isProviderStates(value: unknown): value is ProviderStates {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `\`${String(value)}\` (${typeof value})`;
}
