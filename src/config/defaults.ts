import type { UserConfig } from './types.js';

/** Deep-freezes a plain object so no caller can change the shared defaults. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The configuration directory every command and runner reads when given none. */
export const DEFAULT_CONFIG_DIR = 'config/integration';

/** Per-service defaults, applied under whatever a service entry leaves out. */
export const SERVICE_DEFAULTS = deepFreeze({
  cwd: '.',
  port: 0,
  health: '/health',
  env: {},
  dependsOn: [],
  secrets: [],
  startTimeoutMs: 60_000,
  stopGraceMs: 3_000,
});

/** How long the team's own migration command (`postgres.migrations.command`) may run. */
export const MIGRATION_COMMAND_TIMEOUT_MS = 120_000;

/**
 * The one set of defaults: what Accord uses where a config file says nothing. It names no
 * service, no contract and no expected schema: those belong to the system under test, so
 * `environment.services`, `contracts.path` and `schema.expected` come from the user's config or a
 * command says they are missing (see `requireSetting`).
 */
export const DEFAULT_CONFIG = deepFreeze({
  environment: {
    services: {},
    postgres: { version: 14, database: 'accord', migrations: 'migrations', settings: {} },
    redis: { version: 7, binary: 'redis-server' },
    logs: { dir: 'reports/logs' },
    envFile: '.env.integration-test',
  },
  contracts: { policy: 'semver', baseline: 'git:HEAD' },
  pacts: { dir: 'pacts' },
  schema: { migrations: 'migrations' },
} satisfies UserConfig);
