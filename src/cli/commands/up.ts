import { relative } from 'node:path';
import type { Command } from 'commander';
import { AccordError, ErrorCodes } from '../../errors/index.js';
import { renderTable } from '../../report/index.js';
import type { StartedEnvironment, StartedUpControl } from '../../env/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { progressLine } from '../progress-line.js';
import { untilSignal } from '../until-signal.js';

interface UpOptions {
  config: string;
  format: 'text' | 'json';
  freePorts?: boolean;
  services?: string;
  seed?: string | false;
}

/** `accord up`: start the whole environment, print where everything is, wait for Ctrl-C. */
export function register(program: Command): void {
  program
    .command('up')
    .description('start Postgres, Redis (those the system has) and the services; print their URLs and wait until Ctrl-C or `accord down`')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .option('--free-ports', 'ignore the configured service ports and pick free ones')
    .option('--services <names>', 'comma-separated services to start (their dependencies too)')
    .option('--seed <file>', "SQL run on the fresh database once migrated (default: environment.yaml's seed, if any)")
    .option('--no-seed', 'start with empty tables')
    .action(defineAction(async (options: UpOptions) => up(options)));
}

async function up(options: UpOptions): Promise<number> {
  // Loaded here, not at the top: every `accord` command registers `up`, few run it.
  const [{ loadConfig, redact }, { isAlive, onCleanup, readUpState, rewriteUpState, serveUpControl, startEnvironment, upStateOf, writeUpState }] = await Promise.all([
    import('../../config/index.js'),
    import('../../env/index.js'),
  ]);
  const root = process.cwd();
  const running = await readUpState(root);
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    throw new AccordError(ErrorCodes.ENV_ALREADY_RUNNING, `accord up is already running here (pid ${running.pid}, since ${running.startedAt}): run \`accord down\` first`);
  }
  const config = await loadConfig(options.config);
  // Read before anything starts: a missing seed file is answered in a moment, leaving nothing behind.
  // The configured seed is demo data for a new user's first request; tests seed their own rows.
  const configured = config.environment.seed;
  const seed = options.seed ?? (configured === undefined ? false : relative(root, configured) || configured);
  if (seed !== false && !config.environment.postgres.enabled) {
    throw new AccordError(ErrorCodes.USAGE, `seed ${seed}: this system has no database (environment.yaml says postgres: false): drop the seed or pass --no-seed`);
  }
  const seedSql = seed === false ? undefined : await readSeed(seed);
  const progress = progressLine(redact);
  const started = Date.now();
  const environment = await startEnvironment(config, {
    // `up` alone writes <logs dir>/<service>.log (one up per directory); other runs get their own folder.
    logDir: config.environment.logs.dir,
    freePorts: options.freePorts ?? false,
    ...(options.services ? { services: options.services.split(',').map((name) => name.trim()).filter(Boolean) } : {}),
    onProgress: (event) => progress(`${event.name.padEnd(10)} ${event.detail} (${event.durationMs} ms)`),
  });
  if (seed !== false && seedSql !== undefined && environment.databaseUrl !== undefined) {
    const seedStarted = Date.now();
    await seedDatabase(environment.databaseUrl, seed, seedSql);
    progress(`${'seed'.padEnd(10)} ${seed} (${Date.now() - seedStarted} ms)`);
  }
  // Its own embedded PostgreSQL can be halted and resumed by `accord verify --provider-base-url`
  // (a state like "the database is unreachable"); the restarted server's PID is recorded again.
  const postgres = environment.postgres?.embedded ? environment.postgres : undefined;
  let control: StartedUpControl | undefined;
  if (postgres) {
    control = await serveUpControl(postgres, { onChange: () => rewriteUpState(root, upStateOf(environment, process.pid, control)) });
    const stopControl = control.stop;
    onCleanup('accord up control endpoint', stopControl);
  }
  await writeUpState(root, upStateOf(environment, process.pid, control));
  watchServices(environment, progress, onCleanup);

  const rows = tableRows(environment, root);
  if (options.format === 'json') {
    process.stdout.write(`${redact(JSON.stringify({ status: 'up', pid: process.pid, startupMs: Date.now() - started, components: rows }, null, 2))}\n`);
  } else {
    process.stdout.write(`${renderTable(['component', 'url', 'pid', 'log'], rows.map((row) => [row.name, redact(row.url), row.pid === undefined ? '-' : String(row.pid), row.log ?? '-']), { rule: true })}\n`);
    process.stdout.write(`accord up: ready in ${Date.now() - started} ms; press Ctrl-C or run \`accord down\` to stop\n`);
  }
  return untilSignal();
}

/** The seed file's SQL; a missing or unreadable file is the user's error. */
async function readSeed(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `cannot read the seed file ${file}: ${error.code ?? error.message} (pass --no-seed to start empty)`);
  });
}

/** Runs the seed SQL on the environment's database; bad SQL is the user's error. */
async function seedDatabase(databaseUrl: string, file: string, sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } catch (error) {
    throw new AccordError(ErrorCodes.SQL_LOAD_FAILED, `the seed file ${file} did not load: ${(error as Error).message}`);
  } finally {
    await client.end();
  }
}

interface Row {
  name: string;
  url: string;
  pid: number | undefined;
  log?: string;
}

function tableRows(environment: StartedEnvironment, root: string): Row[] {
  const { postgres, redis, databaseUrl } = environment;
  return [
    // A system without a database or cache has no row for it.
    ...(postgres && databaseUrl !== undefined ? [{ name: 'postgres', url: databaseUrl, pid: postgres.pid }] : []),
    ...(redis ? [{ name: 'redis', url: redis.url, pid: redis.pid }] : []),
    ...[...environment.services.values()].map((service) => ({ name: service.name, url: service.url, pid: service.pid, log: relative(root, service.logFile) })),
  ];
}

/** Says so when a service dies while `up` waits (not while it tears down). */
function watchServices(environment: StartedEnvironment, progress: (line: string) => void, onCleanup: (name: string, run: () => void) => void): void {
  let stopping = false;
  for (const service of environment.services.values()) {
    service.onExit((exit) => {
      if (stopping) return;
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      progress(`${service.name} exited unexpectedly (${how}); its log: ${service.logFile}`);
    });
  }
  // Registered last, so it runs first on teardown.
  onCleanup('quiet service exits', () => {
    stopping = true;
  });
}
