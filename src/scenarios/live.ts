import type { ResolvedConfig, ResolvedServiceConfig } from '../config/index.js';
import type { EnvironmentProgress, StartedEnvironment } from '../env/index.js';
import { startEnvironment } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { requireConfiguredCatalog } from './catalog.js';
import { runScenarios, selectScenarios } from './run-scenarios.js';
import type { RunScenariosOptions, ScenariosResult } from './run-scenarios.js';
import type { Scenario } from './scenario.js';
import { loadScenariosConfig, participantsOf } from './scenarios-config.js';
import type { ScenariosConfig } from './scenarios-config.js';
import type { ScenarioTargets, ServiceTarget } from './targets.js';

/** A copy of `config` whose services get `overrides` on top of their configured env (e.g. short retry timings for tests). */
export function withServiceEnv(config: ResolvedConfig, overrides: Readonly<Record<string, Readonly<Record<string, string | number>>>>): ResolvedConfig {
  const services = new Map<string, ResolvedServiceConfig>();
  for (const [name, service] of config.environment.services) {
    const extra = overrides[name];
    const env = { ...service.env };
    for (const [key, value] of Object.entries(extra ?? {})) env[key] = String(value);
    services.set(name, { ...service, env });
  }
  for (const name of Object.keys(overrides)) {
    if (!services.has(name)) throw new AccordError(ErrorCodes.USAGE, `service env overrides name "${name}", which the config does not define: expected one of ${[...services.keys()].join(', ')}`);
  }
  return { ...config, environment: { ...config.environment, services } };
}

/**
 * The scenario targets of a started environment: every started service with its configured env
 * and secrets, PostgreSQL and its migrated database, Redis, and the diagram participants
 * (scenarios.yaml's roles, or the services' start order).
 */
export function scenarioTargets(env: StartedEnvironment, scenarios: Pick<ScenariosConfig, 'roles'> = { roles: undefined }): ScenarioTargets {
  const services = new Map<string, ServiceTarget>();
  for (const [name, started] of env.services) {
    const configured = env.config.environment.services.get(name);
    services.set(name, {
      name,
      get url() {
        return started.url;
      },
      get pid() {
        return started.pid;
      },
      logFile: started.logFile,
      health: configured?.health ?? '/health',
      env: configured?.env ?? {},
      secrets: configured?.secrets ?? [],
      kill: (signal) => started.kill(signal),
      exited: () => started.exited(),
      stop: () => started.stop(),
      restart: () => started.restart(),
    });
  }
  return {
    participants: participantsOf(env.config, scenarios.roles),
    services,
    secrets: env.config.secrets,
    ...(env.postgres && env.databaseUrl !== undefined ? { postgres: { server: env.postgres, databaseUrl: env.databaseUrl } } : {}),
    ...(env.redis ? { redis: env.redis } : {}),
  };
}

/** Options for {@link runScenariosLive}. */
export interface LiveRunOptions extends RunScenariosOptions {
  /** The scenarios to run. @default the catalog scenarios.yaml names (its `catalog:` module) */
  catalog?: readonly Scenario[];
  /** Where the services' logs go (the recordings read them). @default the config's logs dir */
  logDir?: string;
  /** Told about each environment start-up step. */
  onEnvironment?: (progress: EnvironmentProgress) => void;
  /** A started environment to run against (the gate's); left running, with every fault undone. @default one started and stopped here */
  environment?: StartedEnvironment;
  /** Start the services on free ports, not their configured ones. @default false (a port of 0 is always a free one) */
  freePorts?: boolean;
}

/** A live run's result and how long the environment took to start and stop. */
export interface LiveRunResult extends ScenariosResult {
  readonly environmentStartMs: number;
  readonly environmentStopMs: number;
}

/** Starts the environment (configured ports unless `freePorts`), runs the scenarios against it, and stops it whatever happened. */
export async function runScenariosLive(config: ResolvedConfig, options: LiveRunOptions = {}): Promise<LiveRunResult> {
  // A missing catalog, bad --only names and an invalid scenarios.yaml fail before anything starts.
  const scenarios = await loadScenariosConfig(config);
  const catalog = options.catalog ?? (await requireConfiguredCatalog(config, scenarios)).scenarios;
  selectScenarios(catalog, options.only);
  if (options.environment) {
    const result = await runScenarios(catalog, scenarioTargets(options.environment, scenarios), options);
    return { ...result, environmentStartMs: 0, environmentStopMs: 0 };
  }
  const started = performance.now();
  const env = await startEnvironment(config, {
    freePorts: options.freePorts ?? false,
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
    ...(options.onEnvironment ? { onProgress: options.onEnvironment } : {}),
  });
  const environmentStartMs = Math.round(performance.now() - started);
  let result: ScenariosResult;
  let stopping: number;
  try {
    result = await runScenarios(catalog, scenarioTargets(env, scenarios), options);
  } finally {
    stopping = performance.now();
    await env.stop();
  }
  return { ...result, environmentStartMs, environmentStopMs: Math.round(performance.now() - stopping) };
}
