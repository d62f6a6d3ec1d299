import type { StartedPostgres, StartedRedis } from '../env/index.js';
import type { SequenceParticipants } from './sequence-diagram.js';

/**
 * What the scenarios need of one running service process: the shape of the environment's
 * `StartedService` handle plus its configuration, kept structural so the scenarios depend on the
 * handle, not on how the environment starts it.
 */
export interface ServiceTarget {
  /** Its name in environment.yaml; also the `service` field of its log lines. */
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  /** The JSON-lines log the environment writes for this service. */
  readonly logFile: string;
  /** Its health path (environment.yaml `health`), polled after a fault is undone. */
  readonly health: string;
  /** The env environment.yaml gives it (what it runs with), for a catalog to derive its expectations from. */
  readonly env: Readonly<Record<string, string>>;
  /** The names of the secrets environment.yaml gives it. */
  readonly secrets: readonly string[];
  /** Sends `signal` to the service process and returns at once (SIGTERM/SIGKILL end it; SIGSTOP/SIGCONT freeze and thaw it). */
  kill(signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** Resolves when the current process has exited (at once when none runs). */
  exited(): Promise<unknown>;
  /** Stops the service gracefully (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Starts the service again with the same port and settings, and waits until it is healthy. */
  restart(): Promise<void>;
}

/** The PostgreSQL server of the environment and the migrated database the services use. */
export interface PostgresTarget {
  readonly server: Pick<StartedPostgres, 'halt' | 'resume' | 'pid'>;
  /** URL of the migrated database. */
  readonly databaseUrl: string;
}

/** The Redis server of the environment. */
export type RedisTarget = Pick<StartedRedis, 'url' | 'host' | 'port' | 'pid' | 'external' | 'halt' | 'resume'>;

/** The live system a scenario runs against and may fault. */
export interface ScenarioTargets {
  /** Who the sequence diagrams draw as consumer (A), provider (B) and worker (W). */
  readonly participants: SequenceParticipants;
  /** The started services by their environment.yaml names, in start order. */
  readonly services: ReadonlyMap<string, ServiceTarget>;
  /** The secrets the config loaded (from its env file), by name; never printed. */
  readonly secrets: Readonly<Record<string, string>>;
  /** PostgreSQL, when the system has it. */
  readonly postgres?: PostgresTarget | undefined;
  /** Redis, when the system has it. */
  readonly redis?: RedisTarget | undefined;
}
