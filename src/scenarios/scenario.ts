import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { CheckOutcome } from './check.js';
import type { FaultInjector } from './faults.js';
import type { Recording } from './recorder.js';
import type { SystemClient } from './system-client.js';
import type { ScenarioTables } from './scenarios-config.js';
import type { RetrySettings, ScenarioTargets } from './targets.js';

/** Everything a scenario's steps and checks can use: the live system, its data, its logs and the fault injector. */
export interface ScenarioContext {
  readonly scenario: string;
  readonly targets: ScenarioTargets;
  /** A's retry settings as A runs with them: expectations are derived from these, never hard-coded. */
  readonly retry: RetrySettings;
  readonly client: SystemClient;
  /** A pool on the migrated database (the same one B uses). */
  readonly db: pg.Pool;
  /** The tables the probes read and seed, as scenarios.yaml names them. */
  readonly tables: ScenarioTables;
  /** A client on the Redis both services use, to look at the cache. */
  readonly redis: Redis;
  readonly faults: FaultInjector;
  /** What the services logged since the scenario started. */
  readonly recording: Recording;
  /** A fresh id, unique per run: `scn-<scenario>-<label>-<random>`, used as correlation id or idempotency key. */
  id(label: string): string;
  /** A fresh sku matching B's pattern, unique per run, so scenarios never see each other's rows. */
  sku(label: string): string;
  /**
   * A named moment of the scenario where a test may interfere with the system (change a row
   * behind B's back, stop one more process...) to prove the checks notice. A no-op otherwise.
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

/** A scenario: a name, an optional setup, the actions (including faults) and the checks that judge them. */
export interface ScenarioDefinition<S, O> {
  /** kebab-case; names the trace and diagram files and `--only`. */
  readonly name: string;
  /** One line for humans (diagram titles, JUnit). */
  readonly title: string;
  /** The checklist items this scenario's checks are evidence for. @default [] */
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
