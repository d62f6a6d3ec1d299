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

/** What a provider state function gets besides its parameters. */
export interface ProviderStateContext {
  /** A pool on the provider's migrated database, emptied before every interaction. */
  readonly db: Pool;
  /** The environment's PostgreSQL, when Accord started it (undefined against an external server). */
  readonly postgres: ProviderStatePostgres | undefined;
}

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
}

/** Options for {@link defineProviderStates}. */
export interface DefineProviderStatesOptions {
  /** Redis key patterns (SCAN MATCH syntax) in which the provider caches rows the states write. @default [] */
  cacheKeys?: readonly string[];
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
  const states: ProviderStates & { [BRAND]: true } = {
    [BRAND]: true,
    names: Object.freeze([...table.keys()]),
    get: (name) => table.get(name),
    cacheKeys: Object.freeze([...(options.cacheKeys ?? [])]),
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
