import type { ResolvedConfig } from '../config/index.js';
import type { GateConfig } from './gate-config.js';
import { GATE_STEPS } from './steps.js';
import type { GateStepId } from './steps.js';

/** What the gate knows about the repository before any step runs, beyond its config. */
export interface RepositoryFacts {
  /** The team's scenario catalog is configured (scenarios.yaml `catalog:`). */
  readonly hasCatalog: boolean;
  /** load.yaml exists, or the gate was given a profile file. */
  readonly hasLoadProfile: boolean;
  /** The pacts directory holds at least one pact naming the verified provider. */
  readonly hasProviderPacts: boolean;
  /** The pacts directory holds at least one pact file. */
  readonly hasPacts: boolean;
}

/** Why each step does not apply to this system, by step id (steps that apply are absent). */
export type NotApplicable = ReadonlyMap<GateStepId, string>;

/** The steps whose work needs the running system. */
const NEEDS_ENVIRONMENT = GATE_STEPS.filter((step) => step.dependsOn.includes('environment')).map((step) => step.id);

/**
 * Which steps apply to the system the config describes: a provider-only repository has no
 * consumer tests, a consumer-only one no provider to verify, no running system and (its
 * provider's contract being in the broker) no contract of its own; a system without PostgreSQL
 * has no schema. A step that does not apply is shown as such, never as failed, and does not
 * stop the steps after it. Pure: {@link RepositoryFacts} carries what had to be read from disk.
 */
export function notApplicableSteps(config: ResolvedConfig, gate: GateConfig, facts: RepositoryFacts): NotApplicable {
  const reasons = new Map<GateStepId, string>();
  const hasContract = config.contracts.path !== undefined;
  const hasConsumerTests = gate.consumerTests.command !== undefined;
  const provider = gate.verify.provider;
  if (!hasContract) {
    const why = 'contracts.yaml names no OpenAPI contract: this repository provides no HTTP API of its own';
    reasons.set('contract-lint', why);
    reasons.set('contract-diff', why);
    reasons.set('pacts-vs-contract', "no provider contract in this repository: the broker checks the published pacts against the provider's contract (bi-directional)");
  } else if (!hasConsumerTests && !facts.hasPacts) {
    reasons.set('pacts-vs-contract', `no consumer tests and no pact in ${shownDir(config)}: no pact to check against the contract`);
  }
  if (!hasConsumerTests) reasons.set('consumer-tests', 'gate.yaml names no consumerTests.command: this repository has no consumer side');
  if (!config.environment.postgres.enabled) reasons.set('schema', 'environment.yaml says postgres: false: the system has no database');
  else if (config.schema.expected === undefined) reasons.set('schema', 'schema.yaml names no expected schema');
  if (provider === undefined) reasons.set('verify', 'pacts.yaml names no verify.provider: this repository has no provider side');
  else if (!gate.verify.fromBroker && !hasConsumerTests && !facts.hasProviderPacts) reasons.set('verify', `no pact for provider "${provider}" in ${shownDir(config)} (and gate.yaml's verify.fromBroker is not set)`);
  if (!facts.hasCatalog) reasons.set('scenarios', 'scenarios.yaml names no scenario catalog');
  if (!facts.hasLoadProfile) reasons.set('load', 'no load.yaml: the system has no load profile');
  if (gate.external.length === 0) reasons.set('external-contracts', 'gate.yaml lists no external service');
  if (NEEDS_ENVIRONMENT.every((id) => reasons.has(id))) reasons.set('environment', 'no step that needs the running system applies');
  return reasons;
}

function shownDir(config: ResolvedConfig): string {
  const dir = config.pacts.dir;
  return `${dir.startsWith(`${config.root}/`) ? dir.slice(config.root.length + 1) : dir}/`;
}
