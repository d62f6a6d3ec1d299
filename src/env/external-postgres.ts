/** A PostgreSQL server Accord did not start (`DATABASE_URL`): it only creates and drops its own databases there. */
import { AccordError, ErrorCodes } from '../errors/index.js';
import { onCleanup } from './cleanup.js';
import type { StartedPostgres } from './postgres.js';
import { adminQuery, databaseRegistry, dropCreatedDatabases } from './postgres-databases.js';
import { databaseUrlFor, redactUrl } from './postgres-url.js';

/** Checks that `databaseUrl` answers, and returns a handle whose stop drops the databases made through it. */
export async function connectExternal(databaseUrl: string, label = 'DATABASE_URL'): Promise<StartedPostgres> {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch {
    // Named by where the URL came from (the flag or the variable), never echoed: it may hold a password.
    throw new AccordError(label === 'DATABASE_URL' ? ErrorCodes.CONFIG_INVALID : ErrorCodes.USAGE, `${label} is not a valid URL (expected postgres://user:password@host:port/database)`);
  }
  const adminUrl = databaseUrl;
  try {
    await adminQuery(adminUrl, 'SELECT 1');
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
  }
  const urlFor = (name: string) => databaseUrlFor({ databaseUrl, port: 0 }, name);
  const registry = databaseRegistry(adminUrl, urlFor);
  const stop = async () => {
    await registry.settled();
    await dropCreatedDatabases(registry);
  };
  const unregister = onCleanup('external postgres databases', stop);
  const notEmbedded = async () => {
    throw new AccordError(ErrorCodes.USAGE, 'an external PostgreSQL (DATABASE_URL) cannot be halted or resumed by Accord');
  };
  return {
    embedded: false,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    adminUrl,
    tempDir: undefined,
    pid: undefined,
    urlFor,
    createDatabase: registry.createDatabase,
    dropDatabase: registry.dropDatabase,
    halt: notEmbedded,
    resume: notEmbedded,
    async stop() {
      unregister();
      await stop();
    },
  };
}
