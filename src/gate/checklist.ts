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

const ran = (step: GateStep | undefined): step is GateStep => step !== undefined && step.status !== 'skip';
const passed = (step: GateStep | undefined): step is GateStep => ran(step) && (step.status === 'pass' || step.status === 'warn');

/**
 * The integration-test plan's acceptance checklist, every item ticked or crossed from the run's
 * evidence and linked to it. An item whose evidence is missing (the step was skipped, a scenario
 * did not run, a file was not written) is crossed, never ticked.
 */
export function buildChecklist(input: ChecklistInput): ChecklistItem[] {
  const step = (id: string) => input.steps.find((s) => s.id === id);
  const checklist: ChecklistItem[] = [];
  const add = (section: ChecklistSection, item: string, ok: boolean, reason: string, evidence: readonly Evidence[]) => checklist.push({ section, item, ok, reason, evidence });
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
    const failed = checks.filter((check) => check.status === 'fail');
    return failed.length > 0 ? { ok: false, reason: failed.map((check) => check.message).join('; ') } : { ok: true, reason: `${checks.length} ${what} checks passed` };
  };
  const benchmarks = loadChecks(['latency.', 'rate.min', 'errors.'], 'threshold');
  add('Performance', 'Benchmarks met', benchmarks.ok, benchmarks.reason, link('load'));
  const regression = loadChecks(['baseline.p', 'baseline.rate', 'baseline.cpu'], 'baseline');
  add('Performance', 'No regression from baseline', regression.ok, regression.reason, link('load'));
  const resources = loadChecks(['resource.'], 'resource');
  add('Performance', 'Resources within limits', resources.ok, resources.reason, link('load'));
  add('Performance', 'Load tests passing', passed(load), ran(load) ? `load step: ${load.status}` : 'the load pass did not run', link('load'));

  // Contracts.
  const lint = step('contract-lint');
  const diff = step('contract-diff');
  const pacts = step('pacts-vs-contract');
  const contractsOk = passed(lint) && passed(diff) && passed(pacts);
  add(
    'Contracts',
    'API contracts validated, no breaking changes',
    contractsOk,
    contractsOk ? 'contract-lint, contract-diff and pacts-vs-contract passed' : `${[lint, diff, pacts].map((s, i) => `${['contract-lint', 'contract-diff', 'pacts-vs-contract'][i]}: ${s?.status ?? 'not run'}`).join(', ')}`,
    link('contract-lint', 'contract-diff', 'pacts-vs-contract'),
  );
  const schema = step('schema');
  add('Contracts', 'Database schema matches the expected version', passed(schema), ran(schema) ? `schema step: ${schema.status}` : 'the schema step did not run', link('schema'));
  const consumer = step('consumer-tests');
  const verify = step('verify');
  // The vendors' side: no pact to verify, so the stubs' recorded traffic of this run is the evidence.
  const external = step('external-contracts');
  const externalFailed = ran(external) ? external.checks.filter((check) => check.status === 'fail').map((check) => check.message) : [];
  const contractTests = passed(consumer) && passed(verify) && passed(external);
  add(
    'Contracts',
    'Contract tests passing for all integration points',
    contractTests,
    `consumer-tests: ${consumer?.status ?? 'not run'}, verify: ${verify?.status ?? 'not run'}, external-contracts: ${external?.status ?? 'not run'}${externalFailed.length > 0 ? ` (${externalFailed.join('; ')})` : ''}`,
    link('consumer-tests', 'verify', 'external-contracts'),
  );

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
  const documented = baselineEvidence.length > 0 && (baselineStatus === 'passed' || baselineStatus === 'regressed');
  add('Documentation', 'Performance baseline documented', documented, documented ? `the run was compared with ${baselineEvidence[0]?.href}` : ran(load) ? `no baseline entry for this profile (${String(baselineStatus)})` : 'the load pass did not run', baselineEvidence);
  return checklist;
}
