import { randomBytes } from 'node:crypto';
import { expectedSchemaOf } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { StartedEnvironment } from '../env/environment.js';
import { migrate } from '../env/migrate.js';
import { startPostgres } from '../env/postgres.js';
import { createScratchDatabase } from './scratch.js';
import { diffSchemas } from './schema-diff.js';
import type { SchemaDiffOptions, SchemaDiffResult } from './schema-diff.js';

/** Options for {@link diffMigratedSchema}. */
export type MigratedSchemaOptions = Omit<SchemaDiffOptions, 'postgres' | 'migrationsDir'> & {
  /** An external server instead of the embedded one. @default config.environment.postgres.url (DATABASE_URL) */
  databaseUrl?: string | undefined;
  /** A started environment whose migrated database is compared (the gate's); nothing is started or stopped. */
  environment?: StartedEnvironment | undefined;
};

/**
 * The default gate: migrates a fresh database the way the environment does (node-pg-migrate over
 * `config.schema.migrations`), then compares it with `config.schema.expected`, including the
 * schema-version check. The database and the server (when embedded) are removed afterwards.
 * Given a started `environment`, its own migrated database is compared instead, left as it is.
 */
export async function diffMigratedSchema(config: ResolvedConfig, options: MigratedSchemaOptions = {}): Promise<SchemaDiffResult> {
  const { databaseUrl, environment, ...diffOptions } = options;
  // Checked before anything starts: without an expected schema there is nothing to compare with.
  const expected = expectedSchemaOf(config);
  if (environment) {
    return diffSchemas({ database: environment.databaseUrl }, { file: expected }, { ...diffOptions, postgres: environment.postgres, migrationsDir: config.schema.migrations });
  }
  const postgres = await startPostgres({ databaseUrl: 'databaseUrl' in options ? databaseUrl : config.environment.postgres.url, settings: config.environment.postgres.settings });
  try {
    const name = `${config.environment.postgres.database}_${randomBytes(4).toString('hex')}`;
    // The migrations are the pull request's too: they run as the database's own unprivileged role.
    const database = await createScratchDatabase(postgres, { name, ...(diffOptions.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: diffOptions.statementTimeoutMs }) });
    try {
      await migrate(database.url, config.schema.migrations);
      return await diffSchemas({ database: database.url }, { file: expected }, { ...diffOptions, postgres, migrationsDir: config.schema.migrations });
    } finally {
      await database.drop();
    }
  } finally {
    await postgres.stop();
  }
}
