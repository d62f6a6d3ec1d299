import { withEventLag } from './event-lag-gate.js';
import { relative, resolve } from 'node:path';
import pg from 'pg';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { startEnvironment } from '../env/index.js';
import type { EnvironmentProgress, StartedEnvironment } from '../env/index.js';
import type { LoadProfile } from './profile.js';
import { loadProfile } from './profile-loader.js';
import type { ResourceTarget } from './resource-sampler.js';
import { runLoad } from './run-load.js';
import type { LoadProgress, LoadResult } from './load-result.js';

/** The committed baseline of the example chain. */
export const DEFAULT_BASELINE_FILE = 'docs/performance-baseline.json';

/** Options of {@link runLoadLive}. */
export interface RunLoadLiveOptions {
  /** A profile name from load.yaml or a profile file. @default 'smoke' */
  readonly profile?: string;
  /** @default config/integration */
  readonly configDir?: string;
  /** The repository root. @default process.cwd() */
  readonly cwd?: string;
  /** A running service to load instead of starting the environment (loopback only). */
  readonly target?: string;
  /**
   * Baseline file; null compares with none. @default docs/performance-baseline.json when Accord
   * starts the environment; none with `target` (a baseline of the example chain says nothing about another server).
   */
  readonly baselineFile?: string | null;
  readonly updateBaseline?: boolean;
  /** Extra processes to sample with `target` (the environment's are added automatically). */
  readonly resources?: readonly ResourceTarget[];
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly onEnvironment?: (event: EnvironmentProgress) => void;
  readonly signal?: AbortSignal;
  /** A started environment to load (the gate's): the profile's rows are seeded into it, it is left running. @default one started and stopped here */
  readonly environment?: StartedEnvironment;
  /** Start the services on free ports, not their configured ones. @default false (a port of 0 is always a free one) */
  readonly freePorts?: boolean;
}

/**
 * The `accord load` pass: loads the profile, then either drives `target` or starts the whole
 * environment (Postgres, Redis, services on free ports), seeds the profile's rows, loads the
 * profile's service while sampling every service and backing process, and stops everything
 * again, also when the run fails.
 */
export async function runLoadLive(options: RunLoadLiveOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const configDir = options.configDir ?? DEFAULT_CONFIG_DIR;
  const profile = await loadProfile(options.profile ?? 'smoke', { configDir, cwd });
  const common = {
    profile,
    ...(options.updateBaseline ? { updateBaseline: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (options.target !== undefined) {
    return runLoad({
      ...common,
      target: options.target,
      resources: options.resources ?? [],
      ...(typeof options.baselineFile === 'string' ? { baselineFile: resolve(cwd, options.baselineFile) } : {}),
    });
  }

  const config = options.environment?.config ?? (await loadConfig(configDir, { root: cwd }));
  const service = profile.service;
  if (service === undefined) {
    throw new AccordError(ErrorCodes.PROFILE_INVALID, `${relative(cwd, profile.source) || profile.source}: service: required key is missing (the environment service load profile "${profile.name}" drives; or pass --target URL)`);
  }
  if (!config.environment.services.has(service)) {
    throw new AccordError(
      ErrorCodes.PROFILE_INVALID,
      `load profile "${profile.name}" drives service "${profile.service}", which ${configDir}/environment.yaml does not define (services: ${[...config.environment.services.keys()].join(', ')})`,
    );
  }
  const owned = options.environment === undefined;
  const environment =
    options.environment ??
    (await startEnvironment(config, {
      freePorts: options.freePorts ?? false,
      ...(options.onEnvironment ? { onProgress: options.onEnvironment } : {}),
    }));
  try {
    if (profile.seedSql) await seed(databaseOf(environment, profile), profile);
    const result = await runLoad({
      ...common,
      target: environment.service(service).url,
      resources: [...environmentResources(environment), ...(options.resources ?? [])],
      // null: the caller weighs the pass otherwise (the gate's A/B rounds against a baseline build).
      ...(options.baselineFile === null ? {} : { baselineFile: resolve(cwd, options.baselineFile ?? DEFAULT_BASELINE_FILE) }),
    });
    return profile.eventLag ? await withEventLag(result, profile, databaseOf(environment, profile)) : result;
  } finally {
    if (owned) await environment.stop();
  }
}

/** Every service and backing process of a started environment, as sampler targets. */
export function environmentResources(environment: StartedEnvironment): ResourceTarget[] {
  const targets: ResourceTarget[] = [];
  for (const service of environment.services.values()) {
    if (service.pid !== undefined) targets.push({ name: service.name, pid: service.pid, role: 'service' });
  }
  // The postmaster's tree includes a backend per connection; external servers have no local pid.
  if (environment.postgres?.pid !== undefined) targets.push({ name: 'postgres', pid: environment.postgres.pid, role: 'backing' });
  if (environment.redis?.pid !== undefined) targets.push({ name: 'redis', pid: environment.redis.pid, role: 'backing' });
  return targets;
}

/**
 * One round of an A/B sitting on a started environment: the profile's rows seeded, then the
 * profile driven against its service while every process is sampled; no baseline file (the rounds
 * are weighed against each other). With `eventLag`, the profile's event lag gate is read after it
 * (every round of both builds, so that each round leaves its consumer drained alike).
 */
export async function runLoadRound(
  environment: StartedEnvironment,
  profile: LoadProfile,
  options: { signal?: AbortSignal; resources?: readonly ResourceTarget[]; eventLag?: boolean } = {},
): Promise<LoadResult> {
  if (profile.seedSql) await seed(databaseOf(environment, profile), profile);
  const result = await runLoad({
    profile,
    target: environment.service(profile.service ?? '').url,
    resources: [...environmentResources(environment), ...(options.resources ?? [])],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return options.eventLag && profile.eventLag ? await withEventLag(result, profile, databaseOf(environment, profile)) : result;
}

/** The environment's database URL, which seeding and the event-lag gate need. */
function databaseOf(environment: StartedEnvironment, profile: LoadProfile): string {
  if (environment.databaseUrl !== undefined) return environment.databaseUrl;
  throw new AccordError(ErrorCodes.PROFILE_INVALID, `load profile "${profile.name}" seeds rows or reads event lag from PostgreSQL, but environment.yaml says postgres: false`);
}

async function seed(databaseUrl: string, profile: LoadProfile): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(profile.seedSql ?? '');
  } catch (error) {
    throw new AccordError(ErrorCodes.PROFILE_INVALID, `the seed SQL of load profile "${profile.name}" (${profile.source}) failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end();
  }
}
