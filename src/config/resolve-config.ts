import { isAbsolute, resolve } from 'node:path';
import { parseCommandString } from 'execa';
import { DEFAULT_CONFIG, SERVICE_DEFAULTS } from './defaults.js';
import type { ForeignSection, ResolvedConfig, ResolvedServiceConfig, UserConfig, UserServiceConfig } from './types.js';

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

  return {
    root,
    dir: path(context.dir),
    environment: {
      services,
      postgres: {
        version: environment.postgres?.version ?? defaults.environment.postgres.version,
        database: environment.postgres?.database ?? defaults.environment.postgres.database,
        migrations: path(environment.postgres?.migrations ?? defaults.environment.postgres.migrations),
        settings: stringValues(environment.postgres?.settings ?? defaults.environment.postgres.settings),
        url: nonEmpty(context.env.DATABASE_URL),
      },
      redis: {
        version: environment.redis?.version ?? defaults.environment.redis.version,
        binary: environment.redis?.binary ?? defaults.environment.redis.binary,
        url: nonEmpty(context.env.REDIS_URL),
      },
      logs: { dir: path(environment.logs?.dir ?? defaults.environment.logs.dir) },
      envFile: path(environment.envFile ?? defaults.environment.envFile),
      seed: optionalPath(environment.seed),
      compose: environment.compose === undefined ? undefined : { file: path(environment.compose.file), network: environment.compose.network, volumes: { ...environment.compose.volumes } },
    },
    contracts: {
      path: optionalPath(user.contracts?.path),
      policy: user.contracts?.policy ?? defaults.contracts.policy,
      baseline: pathOrGitSpec(user.contracts?.baseline ?? defaults.contracts.baseline),
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
      migrations: path(user.schema?.migrations ?? defaults.schema.migrations),
    },
    secrets: { ...context.secrets },
    sections: context.sections ?? new Map(),
  };
}

function resolveService(name: string, service: UserServiceConfig, path: (value: string) => string): ResolvedServiceConfig {
  const d = SERVICE_DEFAULTS;
  return {
    name,
    command: parseCommandString(service.command ?? ''),
    cwd: path(service.cwd ?? d.cwd),
    port: service.port ?? d.port,
    health: service.health ?? d.health,
    env: stringValues(service.env ?? d.env),
    dependsOn: [...(service.dependsOn ?? d.dependsOn)],
    secrets: [...(service.secrets ?? d.secrets)],
    startTimeoutMs: service.startTimeoutMs ?? d.startTimeoutMs,
    stopGraceMs: service.stopGraceMs ?? d.stopGraceMs,
  };
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
