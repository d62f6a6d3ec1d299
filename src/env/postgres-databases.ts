/** The databases Accord creates on a PostgreSQL server, and drops again (never any other). */
import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNotTearingDown } from './cleanup.js';

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs one statement on the maintenance database with a short-lived client. */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  // A teardown may stop the server under this client: PostgreSQL's "terminating connection"
  // then arrives as an 'error' event, fatal without a listener; the query rejects with it anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The databases one server handle has created: {@link databaseRegistry}. */
export type DatabaseRegistry = ReturnType<typeof databaseRegistry>;

/** Creates and drops databases through `adminUrl`, remembering which ones it created. */
export function databaseRegistry(adminUrl: string, urlFor: (name: string) => string) {
  const created = new Set<string>();
  const creating = new Set<Promise<void>>();
  return {
    created,
    /** Resolves once no CREATE DATABASE is in flight (a teardown then sees every database made). */
    async settled(): Promise<void> {
      await Promise.allSettled([...creating]);
    },
    async createDatabase(name: string, options: { template?: string } = {}): Promise<string> {
      assertNotTearingDown(`creating database ${name}`);
      const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : '';
      const creation = adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)}${template}`);
      creating.add(creation);
      try {
        await creation;
      } finally {
        creating.delete(creation);
      }
      created.add(name);
      return urlFor(name);
    },
    async dropDatabase(name: string): Promise<void> {
      if (!created.has(name)) {
        // Never drop what Accord did not create (README: "nothing is lost").
        throw new AccordError(ErrorCodes.USAGE, `refusing to drop database "${name}": Accord did not create it`);
      }
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      created.delete(name);
    },
  };
}

/** Drops every database `registry` created, once none is still being created; a failed drop is skipped. */
export async function dropCreatedDatabases(registry: DatabaseRegistry): Promise<void> {
  for (const name of [...registry.created]) await registry.dropDatabase(name).catch(() => undefined);
}
