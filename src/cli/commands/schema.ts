import type { Command } from 'commander';
import { Option } from 'commander';
import { expectedSchemaOf, loadConfig } from '../../config/index.js';
import { redactUrl } from '../../env/index.js';
import { AccordError, ErrorCodes, ExitCodes, printable } from '../../errors/index.js';
import { diffMigratedSchema, diffSchemas, findingOf, formatDifferencesText, renderMigration } from '../../schema/index.js';
import type { DifferenceLevel, SchemaDiffResult, SchemaSource } from '../../schema/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';

interface DiffCommandOptions {
  config: string;
  format: 'text' | 'json' | 'sql';
  databaseUrl?: string;
  from?: string;
  to?: string;
  migrations?: string;
  columnOrder: DifferenceLevel;
  comments: DifferenceLevel;
  schema?: string[];
  excludeSchema?: string[];
  pgDump: boolean;
  statementTimeout?: number;
}

const LEVELS = ['error', 'info', 'ignore'];
const MAX_STATEMENT_TIMEOUT_S = 3600;

/** Throws USAGE naming `flag` unless `url` is a postgres:// URL (the URL itself is not echoed: it may hold a password). */
function assertPostgresUrl(url: string, flag: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new AccordError(ErrorCodes.USAGE, `${flag} is not a PostgreSQL URL (expected postgres://user:password@host:port/database)`);
  }
}

function parseStatementTimeout(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds >= 1 && seconds <= MAX_STATEMENT_TIMEOUT_S)) {
    throw new AccordError(ErrorCodes.USAGE, `--statement-timeout: expected seconds between 1 and ${MAX_STATEMENT_TIMEOUT_S}, got ${JSON.stringify(printable(value, 40))}`);
  }
  return seconds;
}

/** `accord schema diff`: live migrated database (or `--database-url`, or `--from`) against the expected schema. */
export function register(program: Command): void {
  const schema = program.command('schema').description('database schema drift');
  schema
    .command('diff')
    .description(
      'compare two schemas; the first is "actual", the second "expected". Default: a freshly migrated database vs schema.yaml\'s expected schema. Exit 1 on drift',
    )
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'sql']))
    .option('--database-url <url>', 'compare this live database (read-only) instead of a freshly migrated one')
    .option('--from <file>', 'compare this SQL file (loaded into a scratch database) as the first schema')
    .option('--to <file>', "the expected schema (default: schema.yaml's expected)")
    .option('--migrations <dir>', 'with --database-url: check the recorded migrations against this folder (default: schema.yaml migrations, when the database has a pgmigrations table)')
    .addOption(new Option('--column-order <level>', 'how a different column order is reported').choices(LEVELS).default('info'))
    .addOption(new Option('--comments <level>', 'how different comments are reported').choices(LEVELS).default('info'))
    .option('--schema <name...>', 'only compare these schemas')
    .option('--exclude-schema <name...>', 'leave these schemas out')
    .option('--no-pg-dump', 'skip the pg_dump --schema-only safety net')
    .option('--statement-timeout <seconds>', `how long one statement of a SQL file or migration may run (1-${MAX_STATEMENT_TIMEOUT_S}, default 30)`, parseStatementTimeout)
    .action(defineAction(async (options: DiffCommandOptions) => diff(options)));
}

async function diff(options: DiffCommandOptions): Promise<number> {
  if (options.from && options.databaseUrl) throw new AccordError(ErrorCodes.USAGE, 'give either --from FILE or --database-url URL as the first schema, not both');
  if (options.databaseUrl !== undefined) assertPostgresUrl(options.databaseUrl, '--database-url');
  const diffOptions = {
    columnOrder: options.columnOrder,
    comments: options.comments,
    safetyNet: options.pgDump,
    ...(options.statementTimeout === undefined ? {} : { statementTimeoutMs: options.statementTimeout * 1000 }),
    ...(options.schema ? { includeSchemas: options.schema } : {}),
    ...(options.excludeSchema ? { excludeSchemas: options.excludeSchema } : {}),
  };
  let result: SchemaDiffResult;
  let labels: { actual: string; expected: string };
  if (!options.from && !options.databaseUrl) {
    const config = await loadConfig(options.config);
    labels = { actual: `a database migrated from ${config.schema.migrations}`, expected: options.to ?? expectedSchemaOf(config) };
    result = options.to ? await diffMigratedSchema({ ...config, schema: { ...config.schema, expected: options.to } }, diffOptions) : await diffMigratedSchema(config, diffOptions);
  } else {
    const needsConfig = !options.to || (options.databaseUrl !== undefined && options.migrations === undefined);
    const config = needsConfig ? await loadConfig(options.config).catch((error: unknown) => (options.to ? undefined : Promise.reject(error))) : undefined;
    const expectedFile = options.to ?? (config ? expectedSchemaOf(config) : '');
    const actual: SchemaSource = options.from ? { file: options.from } : { database: options.databaseUrl ?? '' };
    const migrationsDir = options.databaseUrl ? (options.migrations ?? config?.schema.migrations) : undefined;
    labels = { actual: options.from ?? redactUrl(options.databaseUrl ?? ''), expected: expectedFile };
    result = await diffSchemas(actual, { file: expectedFile }, { ...diffOptions, ...(migrationsDir ? { migrationsDir, migrationsOptional: options.migrations === undefined } : {}) });
  }
  const write = (text: string) => process.stdout.write(text);
  for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
  // `finding` words each difference from the expected schema's side; `change` stays for existing readers.
  const differences = result.differences.map((difference) => ({ ...difference, finding: findingOf(difference) }));
  if (options.format === 'json') write(`${JSON.stringify({ identical: result.identical, differences }, null, 2)}\n`);
  else if (options.format === 'sql') write(`-- statements that turn ${labels.actual} into ${labels.expected}\n${result.statements.length > 0 ? renderMigration(result.statements) : '-- (none)\n'}`);
  else write(formatDifferencesText(result.differences, labels));
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}
