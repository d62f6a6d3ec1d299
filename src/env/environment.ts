import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ResolvedConfig, ResolvedServiceConfig } from '../config/index.js';
import { registerSecret, requireSetting } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { getFreePort } from './free-port.js';
import { migrate } from './migrate.js';
import { runMigrationCommand } from './migration-command.js';
import { assignPorts } from './service-ports.js';
import { createRunLogDir } from './run-log-dir.js';
import type { StartedPostgres } from './postgres.js';
import { databaseUrlFor, startPostgres } from './postgres.js';
import type { StartedRedis } from './redis.js';
import { startRedis } from './redis.js';
import { serviceEnvironment } from './service-env.js';
import type { StartedService } from './service-process.js';
import { startService } from './service-process.js';

/** Options for {@link startEnvironment}. */
export interface StartEnvironmentOptions {
  /** Services to start (their dependencies are started too). @default every configured service */
  services?: readonly string[];
  /**
   * Where `<service>.log` files go. `accord up` passes the config's logs dir itself.
   * @default a folder of this run's own, `<config.environment.logs.dir>/runs/<run id>/`
   */
  logDir?: string;
  /** An external PostgreSQL instead of the embedded one. @default config.environment.postgres.url (DATABASE_URL) */
  databaseUrl?: string | undefined;
  /** An external Redis instead of a started redis-server. @default config.environment.redis.url (REDIS_URL) */
  redisUrl?: string | undefined;
  /** Ignore configured ports and pick free ones (tests, parallel runs). @default false */
  freePorts?: boolean;
  /** Told about each step as it completes (for progress output). */
  onProgress?: (event: EnvironmentProgress) => void;
}

/** One completed start-up step. */
export interface EnvironmentProgress {
  readonly step: 'postgres' | 'redis' | 'migrate' | 'service';
  /** The service name for `service` steps, `database` for `migrate`, else the step. */
  readonly name: string;
  /** A URL (redacted) or what was done. */
  readonly detail: string;
  readonly durationMs: number;
}

/**
 * The whole running environment: Postgres with a migrated database, Redis, the services. A system
 * whose config says `postgres: false` or `redis: false` has none: those parts are undefined.
 */
export interface StartedEnvironment {
  readonly config: ResolvedConfig;
  /** Undefined when the config says `postgres: false`. */
  readonly postgres: StartedPostgres | undefined;
  /** Undefined when the config says `redis: false`. */
  readonly redis: StartedRedis | undefined;
  /** The database Accord created and migrated (`<prefix>_<random>`); undefined without PostgreSQL. */
  readonly databaseName: string | undefined;
  /** Connection URL of {@link databaseName}; undefined without PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Started services in start order. */
  readonly services: ReadonlyMap<string, StartedService>;
  /** The started service `name`; throws ACCORD_USAGE when it was not started. */
  service(name: string): StartedService;
  /** Stops the services (reverse order), drops the database, stops Redis and Postgres. */
  stop(): Promise<void>;
}

/** {@link StartedEnvironment}'s PostgreSQL and Redis, both present. */
export interface BackingServices {
  readonly postgres: StartedPostgres;
  readonly redis: StartedRedis;
  readonly databaseName: string;
  readonly databaseUrl: string;
}

/** The environment's PostgreSQL and Redis, for code that needs both; ACCORD_USAGE naming the one the config says the system has not. */
export function backingServices(environment: StartedEnvironment): BackingServices {
  const { postgres, redis, databaseName, databaseUrl } = environment;
  if (!postgres || databaseName === undefined || databaseUrl === undefined) throw new AccordError(ErrorCodes.USAGE, 'this needs PostgreSQL, but the environment has none (environment.yaml says postgres: false)');
  if (!redis) throw new AccordError(ErrorCodes.USAGE, 'this needs Redis, but the environment has none (environment.yaml says redis: false)');
  return { postgres, redis, databaseName, databaseUrl };
}

const HOST = '127.0.0.1';

/**
 * Starts Postgres and Redis in parallel; once Redis answers, launches the services while Postgres
 * is still starting and the database is created and migrated: every URL is known up front, a
 * service's health check waits for its database, and a service's own start-up (loading its code) is the
 * longest step, so overlapping it with the database's saves most of a second. Ready means every
 * part done: migrated and every service healthy. Services stop in reverse dependency order. On any
 * failure everything already started is stopped before the error is thrown (a backing service's
 * error wins over the services' ones it caused); every part is also registered with `onCleanup`,
 * so Ctrl-C or a crash leaves nothing behind.
 */
// eslint-disable-next-line max-lines-per-function -- one start sequence whose closures share what its teardown must undo at any interrupt
export async function startEnvironment(config: ResolvedConfig, options: StartEnvironmentOptions = {}): Promise<StartedEnvironment> {
  const settings = {
    logDir: options.logDir === undefined ? undefined : resolve(config.root, options.logDir),
    databaseUrl: 'databaseUrl' in options ? options.databaseUrl : config.environment.postgres.url,
    redisUrl: 'redisUrl' in options ? options.redisUrl : config.environment.redis.url,
    freePorts: options.freePorts ?? false,
    onProgress: options.onProgress ?? (() => undefined),
  };
  const selected = selectServices(config, options.services);
  checkSecrets(config, selected);
  const logDir = settings.logDir ?? (await createRunLogDir(resolve(config.root, config.environment.logs.dir)));
  const ports = await assignPorts(selected, settings.freePorts, HOST);
  const { enabled: hasPostgres, migrationCommand } = config.environment.postgres;
  const hasRedis = config.environment.redis.enabled;
  if (hasPostgres && !migrationCommand) await assertMigrationsDir(config);
  const pgPort = !hasPostgres || settings.databaseUrl ? undefined : await getFreePort();
  const databaseName = hasPostgres ? `${config.environment.postgres.database}_${randomBytes(4).toString('hex')}` : undefined;
  const databaseUrl = databaseName === undefined ? undefined : databaseUrlFor({ databaseUrl: settings.databaseUrl, port: pgPort ?? 0 }, databaseName);

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const value = await work();
    return [value, Date.now() - started];
  };
  // A part the system does not have is "started" as undefined, so the sequence below stays one.
  const none = Promise.resolve<[undefined, number]>([undefined, 0]);
  const pgStart = hasPostgres
    ? timed(() => startPostgres({ databaseUrl: settings.databaseUrl, settings: config.environment.postgres.settings, ...(pgPort === undefined ? {} : { port: pgPort }) }))
    : none;
  const redisStart = hasRedis ? timed(() => startRedis({ redisUrl: settings.redisUrl, binary: config.environment.redis.binary })) : none;
  // Progress is told once both backing services are up, so a failed start prints only its error.
  const backing = Promise.all([pgStart, redisStart]);
  backing.then(
    ([[postgres, pgMs], [redis, redisMs]]) => {
      if (postgres) settings.onProgress({ step: 'postgres', name: 'postgres', detail: postgres.embedded ? `embedded PostgreSQL 14 on ${postgres.host}:${postgres.port}` : `external PostgreSQL on ${postgres.host}:${postgres.port}`, durationMs: pgMs });
      if (redis) settings.onProgress({ step: 'redis', name: 'redis', detail: redis.url, durationMs: redisMs });
    },
    () => undefined,
  );
  const databaseReady = pgStart.then(async ([postgres]) => {
    if (!postgres || databaseName === undefined || databaseUrl === undefined) return postgres;
    registerSecret(postgres.password);
    const [detail, migrateMs] = await timed(async () => {
      await postgres.createDatabase(databaseName);
      return migrateDatabase(config, databaseUrl, logDir);
    });
    await backing;
    settings.onProgress({ step: 'migrate', name: 'database', detail: `${databaseName}, ${detail}`, durationMs: migrateMs });
    return postgres;
  });
  const [redisResult] = await Promise.allSettled([redisStart]);
  // Services connect to Redis as they start: they are launched once it answers (a few tens of ms).
  const launching = new AbortController();
  const urls = new Map([...ports].map(([name, port]) => [name, `http://${HOST}:${port}`]));
  const launches =
    redisResult.status === 'rejected'
      ? []
      : selected.map((service) => {
          const port = ports.get(service.name) ?? 0;
          return timed(() =>
            startService(
              {
                name: service.name,
                command: service.command,
                cwd: service.cwd,
                host: HOST,
                port,
                health: service.health,
                env: serviceEnvironment(service, { host: HOST, port, databaseUrl, redisUrl: redisResult.value[0]?.url, urls, secrets: config.secrets }),
                logFile: join(logDir, `${service.name}.log`),
                startTimeoutMs: service.startTimeoutMs,
                stopGraceMs: service.stopGraceMs,
              },
              { signal: launching.signal },
            ),
          );
        });
  // A database that cannot start or migrate cancels the services' start instead of letting them
  // wait out their health timeouts.
  databaseReady.catch(() => launching.abort());
  const [pgOutcome, databaseOutcome, ...serviceOutcomes] = await Promise.allSettled([pgStart, databaseReady, ...launches]);

  const services = new Map<string, StartedService>();
  // Keep start order in the map, so stop() runs in reverse dependency order.
  serviceOutcomes.forEach((outcome, index) => {
    const service = selected[index];
    if (outcome.status === 'fulfilled' && service) services.set(service.name, outcome.value[0]);
  });
  const postgres = pgOutcome.status === 'fulfilled' ? pgOutcome.value[0] : undefined;
  const redis = redisResult.status === 'fulfilled' ? redisResult.value[0] : undefined;
  const stopAll = async () => {
    for (const service of [...services.values()].reverse()) await service.stop();
    services.clear();
    // Postgres drops the databases it created (external) or removes the whole cluster (embedded).
    await Promise.all([redis?.stop(), postgres?.stop()]);
  };
  const failure = [pgOutcome, redisResult, databaseOutcome, ...serviceOutcomes].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure || (hasPostgres && !postgres) || (hasRedis && !redis)) {
    await stopAll();
    throw failure?.reason ?? new Error('environment start failed without an error');
  }
  serviceOutcomes.forEach((outcome, index) => {
    const service = selected[index];
    if (outcome.status === 'fulfilled' && service) settings.onProgress({ step: 'service', name: service.name, detail: outcome.value[0].url, durationMs: outcome.value[1] });
  });

  return {
    config,
    postgres,
    redis,
    databaseName,
    databaseUrl,
    services,
    service(name) {
      const service = services.get(name);
      if (!service) throw new AccordError(ErrorCodes.USAGE, `service "${name}" is not part of this environment (started: ${[...services.keys()].join(', ') || 'none'})`);
      return service;
    },
    stop: stopAll,
  };
}

/** The configured migrations folder must exist before anything starts (a team's own command reads what it reads). */
async function assertMigrationsDir(config: ResolvedConfig): Promise<void> {
  const dir = config.environment.postgres.migrations;
  if (await stat(dir).then((info) => info.isDirectory(), () => false)) return;
  const shown = relative(config.root, dir) || dir;
  throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `migrations directory ${shown} not found (environment.postgres.migrations): create it, name the team's migration command (postgres.migrations.command), or say postgres: false for a system without a database`);
}

/** Migrates the fresh database: the team's own command when the config names one, else Accord applies the folder. Returns what was done, for progress. */
async function migrateDatabase(config: ResolvedConfig, databaseUrl: string, logDir: string): Promise<string> {
  const { migrations, migrationCommand } = config.environment.postgres;
  if (migrationCommand) {
    await runMigrationCommand(migrationCommand, { databaseUrl, cwd: config.root, logFile: join(logDir, 'migrations.log') });
    return `migrated by ${migrationCommand.line}`;
  }
  const { applied } = await migrate(databaseUrl, migrations);
  return `${applied.length} migrations from ${relative(config.root, migrations) || '.'}/`;
}

/** The requested services plus everything they depend on, in start order. */
function selectServices(config: ResolvedConfig, names: readonly string[] | undefined): ResolvedServiceConfig[] {
  const all = config.environment.services;
  // Accord names no service of its own: an environment.yaml without any is said so before anything starts.
  if (all.size === 0 && (names === undefined || names.length > 0)) {
    requireSetting(config, undefined, { section: 'environment', key: 'services', purpose: `the services to start${names ? ` (asked for ${names.join(', ')})` : ''}` });
  }
  if (!names) return [...all.values()];
  const wanted = new Set<string>();
  const add = (name: string) => {
    const service = all.get(name);
    if (!service) throw new AccordError(ErrorCodes.USAGE, `unknown service "${name}": expected one of ${[...all.keys()].join(', ')}`);
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dependency of service.dependsOn) add(dependency);
  };
  for (const name of names) add(name);
  return [...all.values()].filter((service) => wanted.has(service.name));
}

/** Every secret a selected service needs must be in the env file (checked before anything starts). */
function checkSecrets(config: ResolvedConfig, services: readonly ResolvedServiceConfig[]): void {
  const missing = new Map<string, string[]>();
  for (const service of services) {
    for (const name of service.secrets) {
      if (config.secrets[name]) continue;
      missing.set(name, [...(missing.get(name) ?? []), service.name]);
    }
  }
  if (missing.size === 0) return;
  const file = relative(config.root, config.environment.envFile) || config.environment.envFile;
  const list = [...missing].map(([name, users]) => `${name} (needed by ${users.join(', ')})`).join(', ');
  throw new AccordError(ErrorCodes.SECRET_MISSING, `${list} ${missing.size === 1 ? 'is' : 'are'} not set in ${file}: add a line like ${[...missing.keys()][0]}=<value>`);
}
