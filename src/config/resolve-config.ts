import { isAbsolute, resolve } from 'node:path';
import { parseCommandString } from 'execa';
import { DEFAULT_CONFIG, MIGRATION_COMMAND_TIMEOUT_MS, SERVICE_DEFAULTS } from './defaults.js';
import type { ForeignSection, ResolvedConfig, ResolvedMigrationCommand, ResolvedServiceConfig, ResolvedServiceUse, ServiceUseKind, UserConfig, UserMigrationsConfig, UserServiceConfig, UserServiceUse } from './types.js';

/** Where a resolved config came from; everything else comes from the user config or the defaults. */
export interface ResolveContext {
  /** The repository root relative paths are resolved against. */
  root: string;
  /** The config directory. */
  dir: string;
  /** Values of the env file. */
  secrets: Readonly<Record<string, string>>;
  /** The process environment (DATABASE_URL, REDIS_URL). */
  env: Readonly<Record<string, string | undefined>>;
  /** Files of the config dir owned by other capabilities. */
  sections?: ReadonlyMap<string, ForeignSection>;
}

/**
 * Fills a (validated) {@link UserConfig} from {@link DEFAULT_CONFIG} into a {@link ResolvedConfig}.
 * Each service gets the per-service defaults; the defaults name no service and no contract.
 */
export function resolveConfig(user: UserConfig, context: ResolveContext): ResolvedConfig {
  const root = resolve(context.root);
  const path = (value: string) => (isAbsolute(value) ? value : resolve(root, value));
  // A git:REF[:PATH] spec is not a path; a file is resolved against the root like every other path.
  const pathOrGitSpec = (value: string) => (value.startsWith('git:') ? value : path(value));
  const optionalPath = (value: string | undefined) => (value === undefined ? undefined : path(value));
  const defaults = DEFAULT_CONFIG;
  const environment = user.environment ?? {};
  const verify = user.pacts?.verify ?? {};
  const userServices: Record<string, UserServiceConfig> = environment.services ?? defaults.environment.services;
  const services = orderServices(
    Object.entries(userServices).map(([name, service]) => resolveService(name, service, path)),
  );
  const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  const postgres = environment.postgres || {};
  const redis = environment.redis || {};
  const migrations = postgres.migrations;
  const migrationsDir = (typeof migrations === 'string' ? migrations : migrations?.dir) ?? defaults.environment.postgres.migrations;

  return {
    root,
    dir: path(context.dir),
    environment: {
      services,
      postgres: {
        enabled: environment.postgres !== false,
        version: postgres.version ?? defaults.environment.postgres.version,
        database: postgres.database ?? defaults.environment.postgres.database,
        migrations: path(migrationsDir),
        migrationCommand: migrationCommandOf(migrations),
        settings: stringValues(postgres.settings ?? defaults.environment.postgres.settings),
        // A system without a database is given none, whatever the shell exports.
        url: environment.postgres === false ? undefined : nonEmpty(context.env.DATABASE_URL),
      },
      redis: {
        enabled: environment.redis !== false,
        version: redis.version ?? defaults.environment.redis.version,
        binary: redis.binary ?? defaults.environment.redis.binary,
        url: environment.redis === false ? undefined : nonEmpty(context.env.REDIS_URL),
      },
      logs: { dir: path(environment.logs?.dir ?? defaults.environment.logs.dir) },
      envFile: path(environment.envFile ?? defaults.environment.envFile),
      seed: optionalPath(environment.seed),
      compose: environment.compose === undefined ? undefined : { file: path(environment.compose.file), network: environment.compose.network, volumes: { ...environment.compose.volumes } },
    },
    contracts: {
      path: optionalPath(user.contracts?.path),
      // Naming the consumers asks for their verdict unless a policy is named too.
      policy: user.contracts?.policy ?? (user.contracts?.consumers === undefined ? defaults.contracts.policy : 'consumers'),
      baseline: pathOrGitSpec(user.contracts?.baseline ?? defaults.contracts.baseline),
      refs: { allowHosts: [...(user.contracts?.refs?.allowHosts ?? [])] },
      // `broker`, `broker:…` name the broker; anything else is a pacts directory.
      ...(user.contracts?.consumers === undefined ? {} : { consumers: /^broker(:|$)/.test(user.contracts.consumers) ? user.contracts.consumers : path(user.contracts.consumers) }),
    },
    pacts: {
      dir: path(user.pacts?.dir ?? defaults.pacts.dir),
      verify: {
        provider: verify.provider,
        states: optionalPath(verify.states),
        messages: optionalPath(verify.messages),
        asyncApi: optionalPath(verify.asyncApi),
        tokenSecret: verify.tokenSecret,
      },
    },
    schema: {
      expected: optionalPath(user.schema?.expected),
      // The environment's migrations folder unless schema.yaml names another.
      migrations: path(user.schema?.migrations ?? (postgres.migrations === undefined ? defaults.schema.migrations : migrationsDir)),
    },
    secrets: { ...context.secrets },
    sections: context.sections ?? new Map(),
  };
}

function resolveService(name: string, service: UserServiceConfig, path: (value: string) => string): ResolvedServiceConfig {
  const d = SERVICE_DEFAULTS;
  return {
    name,
    pacticipant: service.pacticipant ?? name,
    command: parseCommandString(service.command ?? ''),
    cwd: path(service.cwd ?? d.cwd),
    port: service.port ?? d.port,
    health: service.health ?? d.health,
    env: stringValues(service.env ?? d.env),
    dependsOn: [...(service.dependsOn ?? d.dependsOn)],
    secrets: [...(service.secrets ?? d.secrets)],
    startTimeoutMs: service.startTimeoutMs ?? d.startTimeoutMs,
    stopGraceMs: service.stopGraceMs ?? d.stopGraceMs,
    uses: (service.uses ?? []).map(resolveUse),
  };
}

/** `{database: main}` → `{kind: 'database', name: 'main'}` (the schema allowed exactly one kind key). */
function resolveUse(use: UserServiceUse): ResolvedServiceUse {
  const [kind, name] = Object.entries(use).find(([key]) => key !== 'via') as [ServiceUseKind, string];
  return 'via' in use && use.via !== undefined ? { kind, name, via: use.via } : { kind, name };
}

/** The team's migration command from `postgres.migrations: { command }`, if any. */
function migrationCommandOf(migrations: string | UserMigrationsConfig | undefined): ResolvedMigrationCommand | undefined {
  if (typeof migrations !== 'object' || migrations.command === undefined) return undefined;
  return { line: migrations.command, argv: parseCommandString(migrations.command), timeoutMs: migrations.timeoutMs ?? MIGRATION_COMMAND_TIMEOUT_MS, table: migrations.table };
}

function stringValues(values: Readonly<Record<string, string | number | boolean>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
}

/** Services in start order: listing order, except that a service comes after what it depends on. */
function orderServices(services: ResolvedServiceConfig[]): Map<string, ResolvedServiceConfig> {
  const byName = new Map(services.map((service) => [service.name, service]));
  const ordered = new Map<string, ResolvedServiceConfig>();
  const visiting = new Set<string>();
  const visit = (service: ResolvedServiceConfig) => {
    // Unknown names and cycles were reported by validation; here they are simply skipped.
    if (ordered.has(service.name) || visiting.has(service.name)) return;
    visiting.add(service.name);
    for (const dependency of service.dependsOn) {
      const target = byName.get(dependency);
      if (target) visit(target);
    }
    ordered.set(service.name, service);
  };
  for (const service of services) visit(service);
  return ordered;
}
