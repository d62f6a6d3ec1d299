import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { redactUrl } from '../env/postgres.js';
import * as Q from './catalog-queries.js';
import { buildModel } from './build-model.js';
import type { CatalogRows } from './build-model.js';
import type { SchemaModel } from './model.js';

/** Options for {@link introspectDatabase}. */
export interface IntrospectOptions {
  /** Tables left out (`schema.table`), with the sequences they own. @default ['public.pgmigrations'] (node-pg-migrate's own table) */
  ignoreTables?: readonly string[];
}

const DEFAULTS: Required<IntrospectOptions> = Object.freeze({ ignoreTables: ['public.pgmigrations'] });

/**
 * Reads the catalog of a database into a name-keyed model, in one read-only transaction.
 * `target` is a URL (a connection is opened and closed) or a connected client not inside a
 * transaction (reused as is, e.g. by the corpus harness).
 */
export async function introspectDatabase(target: string | pg.Client, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const settings = { ...DEFAULTS, ...options };
  if (typeof target !== 'string') return readCatalog(target, settings);
  // default_transaction_read_only guards the session too: introspection must never write.
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000, options: '-c default_transaction_read_only=on' });
  try {
    await client.connect();
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(target)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await readCatalog(client, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readCatalog(client: pg.Client, settings: Required<IntrospectOptions>): Promise<SchemaModel> {
  // One round trip: a read-only snapshot, qualified names (the text must not depend on a
  // role's search_path), every catalog query, commit.
  const queries = [
    'SHOW server_version',
    Q.SCHEMAS_SQL,
    Q.EXTENSIONS_SQL,
    Q.COLLATIONS_SQL,
    Q.ENUMS_SQL,
    Q.DOMAINS_SQL,
    Q.RELATIONS_SQL,
    Q.SEQUENCES_SQL,
    Q.COLUMNS_SQL,
    Q.CONSTRAINTS_SQL,
    Q.INDEXES_SQL,
    Q.FUNCTIONS_SQL,
    Q.TRIGGERS_SQL,
    Q.POLICIES_SQL,
    Q.VIEW_DEPENDENCIES_SQL,
    Q.PRIVILEGES_SQL,
  ];
  const script = ['BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY', 'SET LOCAL search_path TO pg_catalog', ...queries, 'COMMIT'].join(';\n');
  const results = (await client.query(script)) as unknown as pg.QueryResult[];
  // The first two results are BEGIN and SET.
  const rowsOf = (query: number): CatalogRows['schemas'] => (results[query + 2]?.rows ?? []) as CatalogRows['schemas'];
  const version = String(rowsOf(0)[0]?.server_version ?? 'unknown');
  const rows: CatalogRows = {
    schemas: rowsOf(1),
    extensions: rowsOf(2),
    collations: rowsOf(3),
    enums: rowsOf(4),
    domains: rowsOf(5),
    relations: rowsOf(6),
    sequences: rowsOf(7),
    columns: rowsOf(8),
    constraints: rowsOf(9),
    indexes: rowsOf(10),
    functions: rowsOf(11),
    triggers: rowsOf(12),
    policies: rowsOf(13),
    viewDependencies: rowsOf(14),
    privileges: rowsOf(15),
  };
  return buildModel(version, rows, new Set(settings.ignoreTables));
}
