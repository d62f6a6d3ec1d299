import type { StartedPostgres, StartedRedis } from '../env/index.js';
import type { ScenarioRoles, ScenarioTables } from './scenarios-config.js';

/**
 * What the scenarios need of one running service process: the shape of the environment's
 * `StartedService` handle, kept structural so the scenarios depend on the handle, not on how
 * the environment starts it.
 */
export interface ServiceTarget {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  /** The JSON-lines log the environment writes for this service. */
  readonly logFile: string;
  /** Sends `signal` to the service process and returns at once (SIGTERM/SIGKILL end it; SIGSTOP/SIGCONT freeze and thaw it). */
  kill(signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** Resolves when the current process has exited (at once when none runs). */
  exited(): Promise<unknown>;
  /** Stops the service gracefully (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Starts the service again with the same port and settings, and waits until it is healthy. */
  restart(): Promise<void>;
}

/** Service A's retry settings as A was started with them: the scenarios derive their expectations from these. */
export interface RetrySettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly retryAfterSeconds: number;
}

/** The payments vendor's stub as the payment scenarios reach it, with A's payment settings as A runs with them. */
export interface PaymentsTarget {
  /** The stub's base URL (its admin endpoints live under `/__stub`). */
  readonly url: string;
  /** A's time limit of one authorize attempt (PAYMENTS_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** A's retries after the first attempt (PAYMENTS_RETRIES). */
  readonly retries: number;
}

/** The live system a scenario runs against and may fault. */
export interface ScenarioTargets {
  /** Which configured service plays each role, with its diagram label (scenarios.yaml). */
  readonly roles: ScenarioRoles;
  /** The tables the probes read and seed (scenarios.yaml). */
  readonly tables: ScenarioTables;
  readonly serviceA: ServiceTarget;
  readonly serviceB: ServiceTarget;
  readonly postgres: StartedPostgres;
  readonly redis: StartedRedis;
  /** URL of the migrated database Service B uses. */
  readonly databaseUrl: string;
  /** The bearer token B requires (never printed). */
  readonly serviceBToken: string;
  readonly retry: RetrySettings;
  /** The payments stub, when the environment runs one (the payment scenarios need it). */
  readonly payments?: PaymentsTarget;
  /** Service C and the streams between A and C, when the environment runs C. */
  readonly events?: EventTargets;
}

/** Service C and the stream names A and C are configured with (environment.yaml), for the stream scenarios. */
export interface EventTargets {
  readonly serviceC: ServiceTarget;
  /** The stream A publishes order events to and C consumes. */
  readonly stream: string;
  /** Where C moves a message it gave up on, with the reason. */
  readonly deadLetterStream: string;
}
