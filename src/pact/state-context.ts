import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { ProviderStateContext, ProviderStateParams, ProviderStatePostgres } from './provider-states.js';

/** Options for {@link createStateContexts}. */
export interface StateContextOptions {
  readonly baseUrl: string;
  /** The provider's database pool; undefined when the verification has no database. */
  readonly pool: Pool | undefined;
  readonly redisUrl: string | undefined;
  readonly postgres: ProviderStatePostgres | undefined;
  /** The one line a state that reads `db` gets when there is no database. */
  readonly missingDatabase: string;
  /** Told once when a state needed the missing database: the run is then bad input, not a failed pact. */
  readonly onMissingDatabase: (error: AccordError) => void;
}

/** Builds each state call's context; the Redis client is opened on first use and closed by `close`. */
export interface StateContexts {
  of(params: ProviderStateParams): ProviderStateContext;
  close(): void;
}

/**
 * The database is read lazily so that a provider without one (in-memory data, an ORM the states
 * call through HTTP) verifies without a database URL, and one that needs it fails with one line.
 */
export function createStateContexts(options: StateContextOptions): StateContexts {
  let redis: Redis | undefined;
  const database = (): Pool => {
    if (options.pool) return options.pool;
    const error = new AccordError(ErrorCodes.USAGE, options.missingDatabase);
    options.onMissingDatabase(error);
    throw error;
  };
  const redisClient = (): Redis | undefined => {
    if (options.redisUrl === undefined) return undefined;
    if (!redis) {
      redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
    }
    return redis;
  };
  return {
    of: (params) => ({
      params,
      baseUrl: options.baseUrl,
      get db() {
        return database();
      },
      get pool() {
        return database();
      },
      get redis() {
        return redisClient();
      },
      postgres: options.postgres,
    }),
    close: () => redis?.disconnect(),
  };
}
