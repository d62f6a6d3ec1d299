/** The gate's steps in the order they run; ids are stable (they name `--only`/`--skip` and the report's `steps[]`). */
export const GATE_STEP_IDS = ['contract-lint', 'contract-diff', 'consumer-tests', 'pacts-vs-contract', 'environment', 'schema', 'verify', 'scenarios', 'load', 'external-contracts', 'docs', 'teardown'] as const;

/** One of {@link GATE_STEP_IDS}. */
export type GateStepId = (typeof GATE_STEP_IDS)[number];

/** What the gate knows about a step before running it. */
export interface GateStepInfo {
  readonly id: GateStepId;
  readonly title: string;
  /** Steps whose failure (or skip) means this one cannot say anything: it is skipped with the reason. */
  readonly dependsOn: readonly GateStepId[];
}

/**
 * The steps and their dependencies. `consumer-tests` regenerate the pacts that
 * `pacts-vs-contract` and `verify` read; every step that talks to a live system needs the one
 * `environment`. `external-contracts` comes after the scenarios and the load pass, whose traffic
 * the stubs recorded. `docs` writes whatever this run produced, so it depends on nothing; `teardown`
 * always runs.
 */
export const GATE_STEPS: readonly GateStepInfo[] = [
  { id: 'contract-lint', title: 'Contract lint', dependsOn: [] },
  { id: 'contract-diff', title: 'Contract diff against the baseline', dependsOn: [] },
  { id: 'consumer-tests', title: 'Consumer Pact tests', dependsOn: [] },
  { id: 'pacts-vs-contract', title: 'Pacts against the contract', dependsOn: ['consumer-tests'] },
  { id: 'environment', title: 'Environment (PostgreSQL, Redis, services)', dependsOn: [] },
  { id: 'schema', title: 'Database schema against the expected version', dependsOn: ['environment'] },
  { id: 'verify', title: 'Provider verification', dependsOn: ['environment', 'consumer-tests'] },
  { id: 'scenarios', title: 'Integration scenarios', dependsOn: ['environment'] },
  { id: 'load', title: 'Load pass', dependsOn: ['environment'] },
  { id: 'external-contracts', title: 'External contracts (the stubs\' recorded traffic)', dependsOn: ['environment'] },
  { id: 'docs', title: 'Documentation of this run', dependsOn: [] },
  { id: 'teardown', title: 'Teardown', dependsOn: [] },
];

/** True when `id` names a gate step. */
export function isGateStepId(id: string): id is GateStepId {
  return (GATE_STEP_IDS as readonly string[]).includes(id);
}
