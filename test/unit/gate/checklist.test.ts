import { expect } from 'chai';
import { buildChecklist, selectSteps } from '../../../src/gate/index.js';
import type { ChecklistScenario } from '../../../src/gate/index.js';
import EXAMPLE_CATALOG from '../../../examples/orders/scenarios/index.js';
import type { GateStep } from '../../../src/report/model.js';

const CATALOG: ChecklistScenario[] = [
  { name: 'happy-path', proves: ['end-to-end'] },
  { name: 'b-unavailable', proves: ['error-handling'] },
  { name: 'b-hangs', proves: ['error-handling'] },
  { name: 'data-consistency', proves: ['data-consistency'] },
  { name: 'redis-down', proves: ['error-handling'] },
  { name: 'postgres-down', proves: ['error-handling'] },
  { name: 'concurrent-last-stock', proves: ['data-consistency'] },
];
const SCENARIOS = CATALOG;
const NAMES = CATALOG.map((scenario) => scenario.name);

const step = (id: string, status: GateStep['status'], checks: GateStep['checks'] = [], extra: Partial<GateStep> = {}): GateStep => ({ id, title: id, status, durationMs: 1, checks, evidence: [], ...extra });
const pass = (id: string) => ({ id, name: id, status: 'pass' as const, message: 'ok' });

function passingSteps(): GateStep[] {
  return [
    step('contract-lint', 'pass', [pass('valid')]),
    step('contract-diff', 'pass', [pass('policy.semver')]),
    step('consumer-tests', 'pass', [pass('t')]),
    step('pacts-vs-contract', 'pass', [pass('compatible')]),
    step('environment', 'pass', [pass('postgres')]),
    step('schema', 'pass', [pass('identical')]),
    step('verify', 'pass', [pass('a request for an item')]),
    step('scenarios', 'pass', NAMES.map((name) => pass(`${name}/check`))),
    step('load', 'pass', [pass('latency.p99'), pass('rate.min'), pass('errors.rate'), pass('resource.cpu.service-a'), pass('baseline.p99')], {
      evidence: [{ label: 'performance baseline', href: 'docs/performance-baseline.json' }],
      details: { baseline: 'passed' },
    }),
    step('external-contracts', 'pass', [pass('payments-stub')]),
    step('docs', 'pass', [pass('architecture')], {
      evidence: [
        { label: 'architecture diagram', href: 'reports/docs/architecture.md' },
        { label: 'API contract documentation', href: 'reports/docs/contract.md' },
        ...NAMES.map((name) => ({ label: `sequence diagram ${name}`, href: `reports/docs/sequences/${name}.md` })),
      ],
    }),
  ];
}

describe('gate: buildChecklist', () => {
  it('ticks all fifteen items from a passing run, each linked to its evidence', () => {
    const checklist = buildChecklist({ steps: passingSteps(), scenarios: SCENARIOS });
    expect(checklist).to.have.length(15);
    expect(checklist.filter((item) => !item.ok).map((item) => item.item)).to.deep.equal([]);
    expect(checklist.every((item) => item.evidence.length > 0)).to.equal(true);
  });

  it('crosses, never ticks, an item whose step was skipped or whose evidence is missing', () => {
    const steps = passingSteps().map((s) => (s.id === 'load' ? step('load', 'skip', [], { details: { reason: 'not selected' } }) : s));
    const checklist = buildChecklist({ steps: steps.filter((s) => s.id !== 'docs'), scenarios: SCENARIOS });
    const crossed = checklist.filter((item) => !item.ok).map((item) => item.item);
    expect(crossed).to.include.members(['Benchmarks met', 'No regression from baseline', 'Resources within limits', 'Load tests passing', 'Performance baseline documented', 'Architecture diagram', 'Sequence diagrams for all scenarios']);
    expect(checklist.find((item) => item.item === 'Load tests passing')?.evidence).to.deep.equal([]);
  });

  it('crosses the scenario items from the failing scenario, and "all scenarios" when one did not run', () => {
    const steps = passingSteps().map((s) =>
      s.id === 'scenarios' ? step('scenarios', 'fail', [...NAMES.filter((name) => name !== 'happy-path').map((name) => pass(`${name}/check`)), { id: 'redis-down/A answers', name: 'x', status: 'fail', message: 'no' }]) : s,
    );
    const checklist = buildChecklist({ steps, scenarios: SCENARIOS });
    const of = (item: string) => checklist.find((entry) => entry.item === item);
    expect(of('Error handling validated')?.ok).to.equal(false);
    expect(of('Error handling validated')?.reason).to.include('redis-down/A answers');
    expect(of('End-to-end flows complete')?.ok).to.equal(false);
    expect(of('End-to-end flows complete')?.reason).to.include('happy-path did not run');
    expect(of('Data consistency verified across components')?.ok).to.equal(true);
  });

  it('a missing baseline entry leaves "no regression" and "baseline documented" crossed', () => {
    const steps = passingSteps().map((s) => (s.id === 'load' ? { ...s, checks: s.checks.filter((c) => !c.id.startsWith('baseline.')), details: { baseline: 'missing' } } : s));
    const checklist = buildChecklist({ steps, scenarios: SCENARIOS });
    expect(checklist.filter((item) => !item.ok).map((item) => item.item)).to.deep.equal(['No regression from baseline', 'Performance baseline documented']);
  });

  it('a service costing more CPU per request than the baseline allows crosses "no regression", naming it', () => {
    const costlier = { id: 'baseline.cpu-share.service-b', name: 'share', status: 'fail' as const, message: 'cpu-share.service-b: measured 0.51, allowed 0.445 (baseline 0.387)' };
    const steps = passingSteps().map((s) => (s.id === 'load' ? { ...s, status: 'fail' as const, checks: [...s.checks, costlier] } : s));
    const item = buildChecklist({ steps, scenarios: SCENARIOS }).find((entry) => entry.item === 'No regression from baseline');
    expect(item?.ok).to.equal(false);
    expect(item?.reason).to.include('cpu-share.service-b');
  });
});

describe('gate: buildChecklist reads what each catalog scenario proves', () => {
  const withScenarios = (names: readonly string[]) => passingSteps().map((s) => (s.id === 'scenarios' ? { ...s, checks: names.map((name) => pass(`${name}/check`)) } : s));
  const functional = (checklist: ReturnType<typeof buildChecklist>) => Object.fromEntries(checklist.filter((item) => item.section === 'Functional').map((item) => [item.item, `${item.ok} ${item.reason}`]));

  it("the example catalog's declarations give the example's items", () => {
    const names = EXAMPLE_CATALOG.map((scenario) => scenario.name);
    expect(functional(buildChecklist({ steps: withScenarios(names), scenarios: EXAMPLE_CATALOG }))).to.include({
      'Error handling validated': 'true b-unavailable, b-hangs, redis-down, postgres-down: every check passed',
      'Data consistency verified across components': 'true data-consistency, concurrent-last-stock: every check passed',
      'End-to-end flows complete': 'true happy-path: every check passed',
    });
  });

  it("a team's own catalog feeds the items without naming the example's scenarios", () => {
    const catalog: ChecklistScenario[] = [{ name: 'checkout', proves: ['end-to-end', 'data-consistency'] }, { name: 'ledger-down', proves: ['error-handling'] }, { name: 'smoke' }];
    const items = functional(buildChecklist({ steps: withScenarios(['checkout', 'ledger-down', 'smoke']), scenarios: catalog }));
    expect(items).to.deep.equal({
      'All scenarios passing': 'true all 3 scenarios passed',
      'Error handling validated': 'true ledger-down: every check passed',
      'Data consistency verified across components': 'true checkout: every check passed',
      'End-to-end flows complete': 'true checkout: every check passed',
    });
  });

  it('an item no scenario declares is crossed, never ticked', () => {
    const items = functional(buildChecklist({ steps: withScenarios(['smoke']), scenarios: [{ name: 'smoke' }] }));
    expect(items['Error handling validated']).to.equal('false no evidence: no catalog scenario declares it in `proves`');
    expect(items['All scenarios passing']).to.equal('true all 1 scenarios passed');
  });
});

describe('gate: selectSteps', () => {
  it('--only verify brings the environment and teardown along, not the other steps', () => {
    expect([...selectSteps(['verify'], [])].sort()).to.deep.equal(['environment', 'teardown', 'verify']);
  });

  it('--skip removes a step; an unknown id is bad input naming the option and the known ids', () => {
    expect(selectSteps([], ['load']).has('load')).to.equal(false);
    expect(() => selectSteps([], ['lode'])).to.throw('--skip: unknown step "lode": expected one of contract-lint, contract-diff');
  });
});
