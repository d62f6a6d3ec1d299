import { notApplicableReason } from '../report/model.js';
import type { ChecklistItem, ChecklistSection, Evidence, GateStep } from '../report/model.js';
import type { ScenarioProof } from '../scenarios/index.js';

/** A catalog scenario as the checklist sees it: its name and what its checks prove. */
export interface ChecklistScenario {
  readonly name: string;
  readonly proves?: readonly ScenarioProof[] | undefined;
}

/** What the checklist is judged from: the steps of the run and the scenarios the catalog holds. */
export interface ChecklistInput {
  readonly steps: readonly GateStep[];
  /** Every scenario of the catalog, in catalog order: "all scenarios" means these; each item reads what they declare they prove. */
  readonly scenarios: readonly ChecklistScenario[];
}

/** The steps an item is judged from: when none of them applies to this system, neither does the item. */
const DECIDED_BY: Readonly<Record<string, readonly string[]>> = {
  'All scenarios passing': ['scenarios'],
  'Error handling validated': ['scenarios'],
  'Data consistency verified across components': ['scenarios'],
  'End-to-end flows complete': ['scenarios'],
  'Benchmarks met': ['load'],
  'No regression from baseline': ['load'],
  'Resources within limits': ['load'],
  'Load tests passing': ['load'],
  'API contracts validated, no breaking changes': ['contract-lint', 'contract-diff', 'pacts-vs-contract', 'consumer-tests'],
  'Database schema matches the expected version': ['schema'],
  'Contract tests passing for all integration points': ['consumer-tests', 'verify', 'external-contracts'],
  'Sequence diagrams for all scenarios': ['scenarios'],
  'API contract documentation updated': ['contract-lint'],
  'Performance baseline documented': ['load'],
};

const ran = (step: GateStep | undefined): step is GateStep => step !== undefined && step.status !== 'skip';
const passed = (step: GateStep | undefined): step is GateStep => ran(step) && (step.status === 'pass' || step.status === 'warn');

/**
 * The integration-test plan's acceptance checklist, every item ticked or crossed from the run's
 * evidence and linked to it. An item whose evidence is missing (the step was skipped, a scenario
 * did not run, a file was not written) is crossed, never ticked. An item whose every step does
 * not apply to this system (no load profile, no database, a one-sided repository) is marked not
 * applicable with the steps' reasons: neither ticked nor crossed.
 */
export function buildChecklist(input: ChecklistInput): ChecklistItem[] {
  const step = (id: string) => input.steps.find((s) => s.id === id);
  const checklist: ChecklistItem[] = [];
  const notApplicable = (...ids: string[]) => {
    const reasons = ids.map((id) => notApplicableReason(step(id)));
    return reasons.length > 0 && reasons.every((reason) => reason !== undefined) ? [...new Set(reasons)].join('; ') : undefined;
  };
  const add = (section: ChecklistSection, item: string, ok: boolean, reason: string, evidence: readonly Evidence[]) => {
    const why = notApplicable(...(DECIDED_BY[item] ?? []));
    checklist.push(why === undefined ? { section, item, ok, reason, evidence } : { section, item, ok: false, notApplicable: true, reason: why, evidence: [] });
  };
  const link = (...ids: string[]): Evidence[] => ids.filter((id) => ran(step(id))).map((id) => ({ label: `step ${id}`, href: `#step-${id}` }));

  // Functional: from the scenarios' own checks.
  const scenarios = step('scenarios');
  const scenarioChecks = (names: readonly string[]) => {
    if (!ran(scenarios)) return { ok: false, reason: 'scenarios did not run' };
    if (names.length === 0) return { ok: false, reason: 'no evidence: no catalog scenario declares it in `proves`' };
    const missing = names.filter((name) => !scenarios.checks.some((check) => check.id.startsWith(`${name}/`)));
    if (missing.length > 0) return { ok: false, reason: `no evidence: ${missing.join(', ')} did not run` };
    const failed = scenarios.checks.filter((check) => names.some((name) => check.id.startsWith(`${name}/`)) && check.status === 'fail');
    return failed.length > 0 ? { ok: false, reason: `failed: ${failed.map((check) => check.id).join('; ')}` } : { ok: true, reason: `${names.join(', ')}: every check passed` };
  };
  const proving = (proof: ScenarioProof) => input.scenarios.filter((scenario) => scenario.proves?.includes(proof)).map((scenario) => scenario.name);
  const all = scenarioChecks(input.scenarios.map((scenario) => scenario.name));
  add('Functional', 'All scenarios passing', all.ok, all.ok ? `all ${input.scenarios.length} scenarios passed` : all.reason, link('scenarios'));
  const errors = scenarioChecks(proving('error-handling'));
  add('Functional', 'Error handling validated', errors.ok, errors.reason, link('scenarios'));
  const consistency = scenarioChecks(proving('data-consistency'));
  add('Functional', 'Data consistency verified across components', consistency.ok, consistency.reason, link('scenarios'));
  const e2e = scenarioChecks(proving('end-to-end'));
  add('Functional', 'End-to-end flows complete', e2e.ok, e2e.reason, link('scenarios'));

  // Performance: from the load pass's checks.
  const load = step('load');
  const loadChecks = (prefixes: readonly string[], what: string) => {
    if (!ran(load)) return { ok: false, reason: 'the load pass did not run' };
    const checks = load.checks.filter((check) => prefixes.some((prefix) => check.id.startsWith(prefix)));
    if (checks.length === 0) return { ok: false, reason: `no evidence: the load pass has no ${what} check` };
    // An A/B measure the rounds could not decide (inconclusive) is no evidence of no regression.
    const failed = checks.filter((check) => check.status === 'fail' || (check.id.startsWith('ab.') && check.status === 'warn'));
    return failed.length > 0 ? { ok: false, reason: failed.map((check) => check.message).join('; ') } : { ok: true, reason: `${checks.length} ${what} checks passed` };
  };
  const benchmarks = loadChecks(['latency.', 'rate.min', 'errors.'], 'threshold');
  add('Performance', 'Benchmarks met', benchmarks.ok, benchmarks.reason, link('load'));
  const regression = loadChecks(['baseline.p', 'baseline.rate', 'baseline.cpu', 'ab.'], 'baseline');
  add('Performance', 'No regression from baseline', regression.ok, regression.reason, link('load'));
  const resources = loadChecks(['resource.'], 'resource');
  add('Performance', 'Resources within limits', resources.ok, resources.reason, link('load'));
  add('Performance', 'Load tests passing', passed(load), ran(load) ? `load step: ${load.status}` : 'the load pass did not run', link('load'));

  // Contracts.
  const lint = step('contract-lint');
  const contracts = contractsItem(step, notApplicable);
  add('Contracts', 'API contracts validated, no breaking changes', contracts.ok, contracts.reason, link(...contracts.steps));
  const schema = step('schema');
  add('Contracts', 'Database schema matches the expected version', passed(schema), ran(schema) ? `schema step: ${schema.status}` : 'the schema step did not run', link('schema'));
  const tests = contractTestsItem(step, notApplicable);
  add('Contracts', 'Contract tests passing for all integration points', tests.ok, tests.reason, link(...tests.steps));

  // Documentation: the files this run wrote (or the baseline it was compared with).
  const docs = step('docs');
  const docFile = (label: string) => (ran(docs) ? docs.evidence.filter((evidence) => evidence.label.startsWith(label)) : []);
  const architecture = docFile('architecture diagram');
  add('Documentation', 'Architecture diagram', architecture.length > 0, architecture.length > 0 ? `written to ${architecture[0]?.href}` : 'the docs step did not run', architecture);
  const sequences = docFile('sequence diagram');
  const allSequences = sequences.length >= input.scenarios.length && input.scenarios.length > 0;
  add('Documentation', 'Sequence diagrams for all scenarios', allSequences, allSequences ? `${sequences.length} sequence diagrams from this run` : `${sequences.length} of ${input.scenarios.length} scenarios have a diagram from this run`, sequences);
  const contractDoc = docFile('API contract documentation');
  // A committed page that accord docs would write differently is documentation not updated.
  const stale = ran(docs) ? ((docs.details?.stale as string[] | undefined) ?? []) : [];
  const contractReason = stale.length > 0 ? `committed docs are stale: ${stale.join(', ')} (run accord docs)` : contractDoc.length > 0 ? `written from the linted contract: ${contractDoc[0]?.href}` : 'the docs step did not run';
  add('Documentation', 'API contract documentation updated', contractDoc.length > 0 && passed(lint) && stale.length === 0, contractReason, contractDoc);
  const baselineEvidence = ran(load) ? load.evidence.filter((evidence) => evidence.label === 'performance baseline') : [];
  const baselineStatus = load?.details?.baseline;
  // A baseline build measured beside the candidate is named by its commit rather than a file.
  const baselineBuild = load?.details?.baselineBuild;
  const documented = (baselineEvidence.length > 0 && (baselineStatus === 'passed' || baselineStatus === 'regressed')) || typeof baselineBuild === 'string';
  add('Documentation', 'Performance baseline documented', documented, documented ? `the run was compared with ${typeof baselineBuild === 'string' ? baselineBuild : baselineEvidence[0]?.href}` : ran(load) ? `no baseline entry for this profile (${String(baselineStatus)})` : 'the load pass did not run', baselineEvidence);
  return checklist;
}

type StepOf = (id: string) => GateStep | undefined;
type NotApplicableOf = (...ids: string[]) => string | undefined;

/**
 * "API contracts validated": the contract steps that apply. Steps that do not are left out; a
 * consumer-only repository's pacts are checked against the provider's contract by the broker,
 * which can-i-deploy's answer (after --publish) carries.
 */
function contractsItem(step: StepOf, notApplicable: NotApplicableOf): { ok: boolean; reason: string; steps: string[] } {
  const steps = ['contract-lint', 'contract-diff', 'pacts-vs-contract', 'can-i-deploy'].filter((id) => notApplicable(id) === undefined && (id !== 'can-i-deploy' || step(id) !== undefined));
  const ok = steps.length > 0 && steps.every((id) => passed(step(id)));
  const reason =
    steps.length === 0
      ? "no evidence: the pacts were checked against no contract (publish them with --publish: the broker checks them against the provider's contract and can-i-deploy answers)"
      : ok
        ? `${steps.join(', ')} passed`
        : steps.map((id) => `${id}: ${step(id)?.status ?? 'not run'}`).join(', ');
  return { ok, reason, steps };
}

/** "Contract tests passing for all integration points": consumer tests, verification and the vendors' side (the stubs' recorded traffic), those that apply. */
function contractTestsItem(step: StepOf, notApplicable: NotApplicableOf): { ok: boolean; reason: string; steps: string[] } {
  const external = step('external-contracts');
  const externalFailed = ran(external) ? external.checks.filter((check) => check.status === 'fail').map((check) => check.message) : [];
  const steps = ['consumer-tests', 'verify', 'external-contracts'].filter((id) => notApplicable(id) === undefined);
  const ok = steps.every((id) => passed(step(id)));
  return { ok, reason: `${steps.map((id) => `${id}: ${step(id)?.status ?? 'not run'}`).join(', ')}${externalFailed.length > 0 ? ` (${externalFailed.join('; ')})` : ''}`, steps };
}
