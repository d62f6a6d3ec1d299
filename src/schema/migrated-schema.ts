import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { expectedSchemaOf } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { StartedEnvironment } from '../env/environment.js';
import { migrate } from '../env/migrate.js';
import { runMigrationCommand } from '../env/migration-command.js';
import { startPostgres } from '../env/postgres.js';
import { createRunLogDir } from '../env/run-log-dir.js';
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
 * The default gate: migrates a fresh database the way the environment does (the team's migration
 * command when the config names one, else `config.schema.migrations`: node-pg-migrate files or one
 * folder per migration), then compares it with `config.schema.expected`, including the
 * schema-version check. The database and the server (when embedded) are removed afterwards.
 * Given a started `environment`, its own migrated database is compared instead, left as it is.
 */
export async function diffMigratedSchema(config: ResolvedConfig, options: MigratedSchemaOptions = {}): Promise<SchemaDiffResult> {
  const { databaseUrl, environment, ...rest } = options;
  if (!config.environment.postgres.enabled) {
    throw new AccordError(ErrorCodes.USAGE, 'schema diff compares a migrated database, but this system has none (environment.yaml says postgres: false)');
  }
  // Checked before anything starts: without an expected schema there is nothing to compare with.
  const expected = expectedSchemaOf(config);
  const diffOptions = { ...rest, ...versionCheck(config, rest.ignoreTables) };
  if (environment) {
    if (!environment.postgres || environment.databaseUrl === undefined) throw new AccordError(ErrorCodes.USAGE, 'schema diff: the started environment has no PostgreSQL');
    return diffSchemas({ database: environment.databaseUrl }, { file: expected }, { ...diffOptions, postgres: environment.postgres });
  }
  const postgres = await startPostgres({ databaseUrl: 'databaseUrl' in options ? databaseUrl : config.environment.postgres.url, settings: config.environment.postgres.settings });
  try {
    const name = `${config.environment.postgres.database}_${randomBytes(4).toString('hex')}`;
    // The migrations are the pull request's too: they run as the database's own unprivileged role.
    const database = await createScratchDatabase(postgres, { name, ...(diffOptions.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: diffOptions.statementTimeoutMs }) });
    try {
      const command = config.environment.postgres.migrationCommand;
      if (command) {
        const logDir = await createRunLogDir(resolve(config.root, config.environment.logs.dir));
        await runMigrationCommand(command, { databaseUrl: database.url, cwd: config.root, logFile: join(logDir, 'migrations.log') });
      } else {
        await migrate(database.url, config.schema.migrations);
      }
      return await diffSchemas({ database: database.url }, { file: expected }, { ...diffOptions, postgres });
    } finally {
      await database.drop();
    }
  } finally {
    await postgres.stop();
  }
}

/**
 * Accord's own migrations are checked against `pgmigrations`; a team's own tool keeps its own
 * bookkeeping, so its table (when named) is left out of the comparison and the check is skipped.
 */
function versionCheck(config: ResolvedConfig, ignoreTables: readonly string[] | undefined): Pick<SchemaDiffOptions, 'migrationsDir' | 'ignoreTables'> {
  const command = config.environment.postgres.migrationCommand;
  if (!command) return { migrationsDir: config.schema.migrations };
  const table = command.table === undefined ? [] : [command.table.includes('.') ? command.table : `public.${command.table}`];
  return { ignoreTables: [...(ignoreTables ?? ['public.pgmigrations']), ...table] };
}
