import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { notApplicableSteps } from '../../../src/gate/applicability.js';
import type { RepositoryFacts } from '../../../src/gate/applicability.js';
import { buildChecklist, loadGateConfig, renderGateText } from '../../../src/gate/index.js';
import { notApplicableStep } from '../../../src/report/index.js';
import type { AcceptanceReport, GateStep } from '../../../src/report/index.js';

const NONE: RepositoryFacts = { hasCatalog: false, hasLoadProfile: false, hasPacts: false, hasProviderPacts: false };
const EXAMPLE: RepositoryFacts = { hasCatalog: true, hasLoadProfile: true, hasPacts: true, hasProviderPacts: true };

/** A config directory holding `files` (section name → YAML), loaded as the gate loads it. */
async function configOf(root: string, files: Record<string, string>) {
  await mkdir(path.join(root, 'config'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, 'config', `${name}.yaml`), text);
  const config = await loadConfig('config', { root, env: {} });
  return { config, gate: await loadGateConfig(config) };
}

const PROVIDER = {
  environment: 'services:\n  products:\n    command: node server.js\n    pacticipant: ProductService\npostgres: false\nredis: false\n',
  contracts: 'path: openapi.yaml\n',
  pacts: 'verify: { provider: ProductService, states: states.mjs }\n',
};
const CONSUMER = { environment: 'services: {}\npostgres: false\nredis: false\n', gate: 'consumerTests: { command: npm run test:pact }\ncanIDeploy: {}\n' };

describe('gate: which steps apply to the system', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'accord-applies-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a provider-only repository with its pacts: verify applies; consumer tests, schema, scenarios, load and stubs do not, each with its reason', async () => {
    const { config, gate } = await configOf(root, PROVIDER);
    const reasons = notApplicableSteps(config, gate, { ...NONE, hasPacts: true, hasProviderPacts: true });
    expect([...reasons.keys()].sort()).to.deep.equal(['consumer-tests', 'external-contracts', 'load', 'scenarios', 'schema']);
    expect(reasons.get('schema')).to.equal('environment.yaml says postgres: false: the system has no database');
    expect(reasons.get('consumer-tests')).to.contain('no consumerTests.command');
  });

  it('a provider without pacts in the repository: verify does not apply unless it reads them from the broker', async () => {
    const { config, gate } = await configOf(root, PROVIDER);
    expect(notApplicableSteps(config, gate, NONE).get('verify')).to.equal('no pact for provider "ProductService" in pacts/ (and gate.yaml\'s verify.fromBroker is not set)');
    const fromBroker = await configOf(root, { ...PROVIDER, gate: 'verify: { fromBroker: true }\n' });
    expect(notApplicableSteps(fromBroker.config, fromBroker.gate, NONE).has('verify')).to.equal(false);
    expect(notApplicableSteps(fromBroker.config, fromBroker.gate, NONE).has('environment')).to.equal(false);
  });

  it('a consumer-only repository: its consumer tests; no contract, no provider, no environment', async () => {
    const { config, gate } = await configOf(root, CONSUMER);
    const reasons = notApplicableSteps(config, gate, NONE);
    expect([...reasons.keys()].sort()).to.deep.equal(['contract-diff', 'contract-lint', 'environment', 'external-contracts', 'load', 'pacts-vs-contract', 'scenarios', 'schema', 'verify']);
    expect(reasons.get('pacts-vs-contract')).to.contain("the broker checks the published pacts against the provider's contract");
    expect(reasons.get('environment')).to.equal('no step that needs the running system applies');
  });

  it("the example system: every step applies", async () => {
    const example = path.resolve('examples/orders');
    const config = await loadConfig('config/integration', { root: example, env: {} });
    expect([...notApplicableSteps(config, await loadGateConfig(config), EXAMPLE).keys()]).to.deep.equal([]);
  });
});

describe('gate: not applicable in the checklist and the summary', () => {
  const pass = (id: string): GateStep => ({ id, title: id, status: 'pass', durationMs: 1, checks: [{ id: 'ok', name: id, status: 'pass', message: 'ok' }], evidence: [] });
  const na = (id: string, reason: string) => notApplicableStep(id, id, reason);
  const providerRun = (verify: GateStep): GateStep[] => [
    pass('contract-lint'),
    pass('contract-diff'),
    na('consumer-tests', 'no consumer side'),
    pass('pacts-vs-contract'),
    pass('environment'),
    na('schema', 'no database'),
    verify,
    na('scenarios', 'no catalog'),
    na('load', 'no load profile'),
    na('external-contracts', 'no external service'),
    { ...pass('docs'), evidence: [{ label: 'architecture diagram', href: 'reports/docs/architecture.md' }, { label: 'API contract documentation', href: 'reports/docs/contract.md' }] },
  ];

  it('marks items whose steps do not apply as not applicable, apart from crossed ones; the rest decide', () => {
    const checklist = buildChecklist({ steps: providerRun(pass('verify')), scenarios: [] });
    const notApplicable = checklist.filter((item) => item.notApplicable).map((item) => item.item);
    expect(notApplicable).to.deep.equal([
      'All scenarios passing',
      'Error handling validated',
      'Data consistency verified across components',
      'End-to-end flows complete',
      'Benchmarks met',
      'No regression from baseline',
      'Resources within limits',
      'Load tests passing',
      'Database schema matches the expected version',
      'Sequence diagrams for all scenarios',
      'Performance baseline documented',
    ]);
    expect(checklist.find((item) => item.item === 'Database schema matches the expected version')).to.include({ ok: false, reason: 'no database' });
    const applicable = checklist.filter((item) => !item.notApplicable);
    expect(applicable.filter((item) => !item.ok).map((item) => item.item)).to.deep.equal([]);
    expect(checklist.find((item) => item.item === 'Contract tests passing for all integration points')?.reason).to.equal('verify: pass');

    // A failed verification crosses the contract-tests item: not applicable never hides a failure.
    const failed = buildChecklist({ steps: providerRun({ ...pass('verify'), status: 'fail' }), scenarios: [] });
    expect(failed.find((item) => item.item === 'Contract tests passing for all integration points')).to.include({ ok: false, reason: 'verify: fail' });
    expect(failed.find((item) => item.item === 'Contract tests passing for all integration points')?.notApplicable).to.equal(undefined);
  });

  it("a consumer-only run's contract item is decided by can-i-deploy after --publish, crossed without it", () => {
    const steps = [na('contract-lint', 'no contract'), na('contract-diff', 'no contract'), pass('consumer-tests'), na('pacts-vs-contract', 'the broker checks')];
    const item = (extra: GateStep[]) => buildChecklist({ steps: [...steps, ...extra], scenarios: [] }).find((entry) => entry.item === 'API contracts validated, no breaking changes');
    expect(item([])).to.include({ ok: false });
    expect(item([])?.reason).to.contain('no evidence');
    expect(item([pass('can-i-deploy')])).to.include({ ok: true, reason: 'can-i-deploy passed' });
    expect(item([{ ...pass('can-i-deploy'), status: 'fail' }])).to.include({ ok: false, reason: 'can-i-deploy: fail' });
  });

  it('the text summary shows n/a steps and counts the checklist over the items that apply', () => {
    const steps = providerRun(pass('verify'));
    const report = { ok: true, durationMs: 1000, steps, checklist: buildChecklist({ steps, scenarios: [] }) } as unknown as AcceptanceReport;
    const text = renderGateText(report);
    expect(text).to.match(/^schema\s+n\/a\s+.*not applicable: no database$/m);
    expect(text).to.contain('– Database schema matches the expected version: not applicable: no database');
    expect(text).to.contain('checklist 4/4 ticked (11 not applicable)');
  });
});
