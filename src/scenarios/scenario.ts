import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Exchange } from '../stub/index.js';
import type { CheckOutcome } from './check.js';
import type { ActiveFault } from './faults.js';
import type { ScenarioHttp } from './http.js';
import type { LogLine } from './log-lines.js';
import type { Recording } from './recorder.js';

/** One service of the system, by its environment.yaml name: where it answers, its settings, and the faults it can be put in. */
export interface ScenarioService {
  readonly name: string;
  /** Its base URL (no trailing slash). */
  readonly url: string;
  /** The process id now (it changes when the service is restarted). */
  readonly pid: number | undefined;
  /** The env environment.yaml gives it: derive expectations (timeouts, retries) from these, never hard-code them. */
  readonly env: Readonly<Record<string, string>>;
  /** The names of the secrets environment.yaml gives it; their values through {@link ScenarioContext.secret}. */
  readonly secrets: readonly string[];
  /** Stops it gracefully (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL: a crash, no chance to finish anything) and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again (stopped, killed, paused or running) with the same port and settings, and waits until it is healthy. */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP): its socket still accepts connections, but it never answers. */
  pause(): Promise<void>;
  /** Thaws it after {@link pause} (SIGCONT). */
  resume(): Promise<void>;
}

/** The system's PostgreSQL: a pool on the migrated database the services use, and the server's faults. */
export interface ScenarioPostgres {
  /** A pool on the migrated database; its idle connections die quietly while the server is halted. */
  readonly pool: pg.Pool;
  /** The database's URL. */
  readonly url: string;
  /** Stops the server (SIGINT is its fast shutdown; SIGKILL a crash); the data is kept. */
  halt(signal?: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the halted server again on the same port and data. */
  resume(): Promise<void>;
}

/** The system's Redis: a client on it, and the server's faults. */
export interface ScenarioRedis {
  /** An ioredis client (lazy, few retries): look at keys and streams, add entries. */
  readonly client: Redis;
  readonly url: string;
  /** Freezes the redis-server (SIGSTOP): connections stay open, nothing is answered. Only a server Accord started. */
  pause(): Promise<void>;
  /** Stops the redis-server process (the port is kept). */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Brings Redis back from {@link pause} (thawed) or {@link halt} (started again). */
  resume(): Promise<void>;
}

/** A stub Accord serves for a service that is not ours (`accord stub serve`): its faults and what it recorded. */
export interface ScenarioStub {
  readonly name: string;
  readonly url: string;
  /** Switches a fault mode on (`{ mode: 'latency', delayMs: 2000, operations: ['authorize'] }`); throws when the stub refuses it. */
  fault(fault: Readonly<Record<string, unknown>>): Promise<void>;
  /** Switches the stub back to answering from its contract. */
  heal(): Promise<void>;
  /** Every exchange the stub recorded, oldest first. */
  exchanges(): Promise<Exchange[]>;
}

/** What {@link ScenarioContext.waitForLog} looks for: a predicate, or fields a line must have. */
export type LogMatch = ((line: LogLine) => boolean) | { readonly service?: string; readonly event?: string; readonly correlationId?: string };

/**
 * Everything a scenario's steps and checks can use: the live system by its config names, an HTTP
 * client whose calls are recorded, the data stores when the system has them, the stubs, the log
 * lines, and waits. Every fault is undone after the scenario, whatever happened.
 */
export interface ScenarioContext {
  readonly scenario: string;
  /** A short random tag of this run of the scenario (6 uppercase hex digits): make names unique per run with it. */
  readonly run: string;
  /** The started services by their environment.yaml names, in start order. */
  readonly services: ReadonlyMap<string, ScenarioService>;
  /** The started service `name`; throws naming the started ones when there is none. */
  service(name: string): ScenarioService;
  /** The configured env of service `name` (shorthand for `service(name).env`). */
  env(name: string): Readonly<Record<string, string>>;
  /** The value of secret `name` from the config's env file; throws when it is not set. Never print it. */
  secret(name: string): string;
  /** Calls the services; every call is recorded for the trace and the sequence diagram. */
  readonly http: ScenarioHttp;
  /** PostgreSQL, when the system has it. */
  readonly postgres: ScenarioPostgres | undefined;
  /** Redis, when the system has it. */
  readonly redis: ScenarioRedis | undefined;
  /** The stub service `name` (an `accord stub serve` of environment.yaml). */
  stub(name: string): ScenarioStub;
  /** What the services logged since the scenario started (`logs.of(service, event)`, `logs.forCorrelation(id)`, `logs.waitFor(...)`). */
  readonly logs: Recording;
  /** Waits until a line matching `match` is logged (since the scenario started) or `timeoutMs` passes; the first such line, or undefined. */
  waitForLog(match: LogMatch, timeoutMs?: number): Promise<LogLine | undefined>;
  /**
   * Polls `sql` on the database until it returns a row (and `until` holds of the rows, when given)
   * or `timeoutMs` passes; returns the last rows read.
   */
  waitForRows<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: { until?: (rows: readonly R[]) => boolean; timeoutMs?: number }): Promise<R[]>;
  /** The faults in force now (the runner undoes them after the scenario). */
  activeFaults(): ActiveFault[];
  /** A fresh id, unique per run: `scn-<scenario>-<label>-<random>`, used as correlation id or idempotency key. */
  id(label: string): string;
  /**
   * A named moment of the scenario where a test may interfere with the system (change a row
   * behind a service's back, stop one more process...) to prove the checks notice. A no-op otherwise.
   */
  point(name: string): Promise<void>;
}

/** One named expectation of a scenario, judged on what the actions returned. */
export interface ScenarioCheck<O> {
  readonly name: string;
  verify(outcome: O, ctx: ScenarioContext): CheckOutcome | Promise<CheckOutcome>;
}

/**
 * What a scenario's passing checks are evidence of, for the gate's acceptance checklist:
 * `error-handling` (it injects a fault and judges how the system copes), `data-consistency` (it
 * compares the data the components hold), `end-to-end` (it walks a request through every component).
 */
export type ScenarioProof = 'error-handling' | 'data-consistency' | 'end-to-end';

/** The proofs a scenario may declare, in checklist order. */
export const SCENARIO_PROOFS: readonly ScenarioProof[] = Object.freeze(['error-handling', 'data-consistency', 'end-to-end']);

/** A scenario: a name, an optional setup, the actions (including faults) and the checks that judge them. */
export interface ScenarioDefinition<S, O> {
  /** kebab-case; names the trace and diagram files and `--only`. */
  readonly name: string;
  /** One line for humans (diagram titles, JUnit, `--list`). */
  readonly title: string;
  /** What this scenario's checks are evidence for in the gate's checklist. @default [] */
  readonly proves?: readonly ScenarioProof[];
  /** The {@link ScenarioContext.point} names the actions pass, for tests that interfere. */
  readonly points?: readonly string[];
  setup?(ctx: ScenarioContext): Promise<S>;
  actions(ctx: ScenarioContext, setup: S): Promise<O>;
  readonly checks: readonly ScenarioCheck<O>[];
}

/** A scenario with its types erased, as the runner holds it. */
export type Scenario = ScenarioDefinition<unknown, unknown>;

/** Declares a scenario; the generic parameters tie setup → actions → checks together. */
export function defineScenario<S, O>(definition: ScenarioDefinition<S, O>): Scenario {
  return definition as unknown as Scenario;
}
