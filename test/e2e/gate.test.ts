import { example } from '../support/accord.js';
import SCENARIOS from '../../examples/orders/scenarios/index.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { AcceptanceReport } from '../../src/report/model.js';
import { GATE_FIXTURES as FIXTURES, configWith, driftedConfig, reportOf } from './gate-support.js';

// `accord gate` as a user runs it, from the repository root; CI=true gives the plain progress lines.
const accord = (args: readonly string[]) => execa('node', ['bin/accord.js', 'gate', ...args], { reject: false, env: { CI: 'true' } });

/** The failing step is named in the text output and the JSON, and the checklist item it backs is crossed. */
async function expectFailed(result: { exitCode?: number | undefined; stdout: string; stderr: string }, reportDir: string, step: string, item: string): Promise<AcceptanceReport> {
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(1);
  expect(result.stdout).to.match(new RegExp(`^${step}\\s+FAIL`, 'm'));
  expect(result.stdout).to.include(`${step}: failed checks`);
  expect(result.stdout).to.match(new RegExp(`accord gate: FAILED \\(${step}\\)`));
  const report = await reportOf(reportDir);
  expect(report.ok).to.equal(false);
  expect(report.steps.find((s) => s.id === step)?.status).to.equal('fail');
  const entry = report.checklist.find((c) => c.item === item);
  expect(entry?.ok, item).to.equal(false);
  expect(result.stdout).to.include(`✗ ${item}`);
  return report;
}

describe('accord gate (e2e)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-gate-e2e-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every step on one environment (PostgreSQL started once), passes, ticks the checklist and writes the reports', async () => {
    const reportDir = join(dir, 'full');
    const result = await accord(['--profile', `${FIXTURES}/quick-profile.yaml`, '--report-dir', reportDir]);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(0);
    const report = await reportOf(reportDir);
    expect(report.steps.map((step) => step.id)).to.deep.equal(['contract-lint', 'contract-diff', 'consumer-tests', 'pacts-vs-contract', 'environment', 'schema', 'verify', 'scenarios', 'load', 'external-contracts', 'docs', 'teardown']);
    for (const step of report.steps) expect(step.status, step.id).to.be.oneOf(['pass', 'warn']);
    expect(report.steps.find((s) => s.id === 'teardown')?.details?.postgresStarts).to.equal(1);
    expect(report.steps.find((s) => s.id === 'consumer-tests')?.checks.length).to.be.greaterThan(5);
    // What the payments stub recorded during the scenarios and the load pass, against payments.yaml.
    expect(report.steps.find((s) => s.id === 'external-contracts')?.checks.map((c) => [c.id, c.status])).to.deep.equal([['payments-stub', 'pass']]);
    expect(report.checklist.find((c) => c.item === 'Contract tests passing for all integration points')?.reason).to.equal('consumer-tests: pass, verify: pass, external-contracts: pass');
    const scenarios = report.steps.find((s) => s.id === 'scenarios');
    expect((scenarios?.details?.diagrams as unknown[]).length).to.equal(SCENARIOS.length);
    // The quick profile has no baseline entry: both baseline items are crossed, never ticked without evidence.
    const crossed = report.checklist.filter((item) => !item.ok).map((item) => item.item);
    expect(crossed).to.deep.equal(['No regression from baseline', 'Performance baseline documented']);
    expect(report.scope.components.map((c) => c.name)).to.include.members(['service-a', 'service-b', 'postgres', 'redis']);
    for (const file of ['acceptance.json', 'acceptance.md', 'acceptance.html', 'acceptance.txt', 'acceptance.junit.xml', 'docs/architecture.md', 'docs/contract.md', 'docs/sequences/happy-path.md', 'load/load-quick-profile.html']) {
      expect(await readFile(join(reportDir, file), 'utf8'), file).to.not.equal('');
    }
    expect(result.stderr).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z accord gate: load: /m);
  });

  it('fails contract-diff on a breaking change without a major bump', async () => {
    const config = await configWith(dir, 'breaking', { 'contracts.yaml': `path: ${FIXTURES}/breaking-change/contract.yaml\npolicy: semver\nbaseline: contracts/service-a-to-b.yaml\n` });
    const reportDir = join(dir, 'breaking-report');
    const result = await accord(['--config', config, '--only', 'contract-diff', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'contract-diff', 'API contracts validated, no breaking changes');
    expect(report.steps.find((s) => s.id === 'contract-diff')?.checks.some((c) => c.status === 'fail' && c.id.startsWith('response-required-property-removed'))).to.equal(true);
  });

  it('fails verify on a pact expecting a field B does not send', async () => {
    const pacts = (await readFile(example('config/integration/pacts.yaml'), 'utf8')).replace(/^dir: pacts$/m, `dir: ${FIXTURES}/pact-expects-unsent-field`);
    const config = await configWith(dir, 'pact', { 'pacts.yaml': pacts });
    const reportDir = join(dir, 'pact-report');
    const result = await accord(['--config', config, '--only', 'verify', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'verify', 'Contract tests passing for all integration points');
    const failed = report.steps.find((s) => s.id === 'verify')?.checks.filter((c) => c.status === 'fail') ?? [];
    expect(failed.map((c) => c.id)).to.deep.equal(['a request for an item']);
    expect(failed[0]?.message).to.include('warehouse');
  });

  it('fails schema on a migration that drifts from schemas/database-v2.sql', async () => {
    const config = await driftedConfig(dir);
    const reportDir = join(dir, 'drift-report');
    const result = await accord(['--config', config, '--only', 'schema', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'schema', 'Database schema matches the expected version');
    expect(report.steps.find((s) => s.id === 'schema')?.checks.filter((c) => c.status === 'fail').map((c) => c.id)).to.include('column:public.items.warehouse');
  });

  it('crosses "API contract documentation updated" when a committed page is stale, naming docs/contract.md', async () => {
    // The committed docs/contract.md documents contracts/service-a-to-b.yaml, not this contract.
    const config = await configWith(dir, 'stale-docs', { 'contracts.yaml': `path: ${FIXTURES}/breaking-change/contract.yaml\npolicy: semver\nbaseline: contracts/service-a-to-b.yaml\n` });
    const reportDir = join(dir, 'stale-docs-report');
    const result = await accord(['--config', config, '--only', 'contract-lint,docs', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'docs', 'API contract documentation updated');
    expect(report.steps.find((s) => s.id === 'contract-lint')?.status).to.be.oneOf(['pass', 'warn']);
    expect(report.checklist.find((c) => c.item === 'API contract documentation updated')?.reason).to.match(/^committed docs are stale: (.+, )?docs\/contract\.md(, .+)? \(run accord docs\)$/);
  });

  it('fails scenarios when a scenario check fails (A configured not to retry)', async () => {
    const environment = await readFile('test/fixtures/scenarios/no-retries/environment.yaml', 'utf8');
    const config = await configWith(dir, 'no-retries', { 'environment.yaml': environment.replace(/^logs:\n {2}dir: .*$/m, `logs:\n  dir: ${join(dir, 'no-retries-logs')}`) });
    const reportDir = join(dir, 'scenarios-report');
    const result = await accord(['--config', config, '--only', 'scenarios', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'scenarios', 'All scenarios passing');
    expect(report.checklist.find((c) => c.item === 'Error handling validated')?.ok).to.equal(false);
    const failed = report.steps.find((s) => s.id === 'scenarios')?.checks.filter((c) => c.status === 'fail') ?? [];
    expect(failed.filter((c) => !c.id.startsWith('b-unavailable/')).map((c) => `${c.id}: ${c.message}`)).to.deep.equal([]);
  });

  it('fails load when a latency threshold is missed', async () => {
    const reportDir = join(dir, 'load-report');
    const result = await accord(['--only', 'load', '--profile', `${FIXTURES}/impossible-latency.yaml`, '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, 'load', 'Benchmarks met');
    const p99 = report.steps.find((s) => s.id === 'load')?.checks.find((c) => c.id === 'latency.p99');
    expect(p99?.status).to.equal('fail');
    expect(p99?.measured).to.include({ limit: 1, unit: 'ms' });
  });

  it('skips the steps that depend on a failed one, with the reason, and still runs the rest', async () => {
    const config = await configWith(dir, 'consumer-fails', { 'gate.yaml': 'consumerTests:\n  command: node -e process.exit(3)\n' });
    const reportDir = join(dir, 'consumer-fails-report');
    const result = await accord(['--config', config, '--only', 'consumer-tests,pacts-vs-contract,contract-lint', '--report-dir', reportDir]);
    expect(result.exitCode, result.stdout).to.equal(1);
    const report = await reportOf(reportDir);
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status).to.include({ 'contract-lint': 'pass', 'consumer-tests': 'fail', 'pacts-vs-contract': 'skip' });
    expect(report.steps.find((s) => s.id === 'pacts-vs-contract')?.details?.reason).to.equal('skipped: consumer-tests failed');
    expect(result.stdout).to.match(/^pacts-vs-contract\s+skip\s+[\d.]+ s\s+skipped: consumer-tests failed$/m);
  });

  it('--fail-fast stops at the first failed step', async () => {
    const config = await configWith(dir, 'fail-fast', { 'contracts.yaml': `path: ${FIXTURES}/breaking-change/contract.yaml\npolicy: semver\nbaseline: contracts/service-a-to-b.yaml\n` });
    const reportDir = join(dir, 'fail-fast-report');
    const result = await accord(['--config', config, '--only', 'contract-diff,pacts-vs-contract', '--fail-fast', '--report-dir', reportDir]);
    expect(result.exitCode).to.equal(1);
    const report = await reportOf(reportDir);
    expect(report.steps.find((s) => s.id === 'pacts-vs-contract')?.details?.reason).to.equal('not run: --fail-fast after contract-diff failed');
  });

  describe('bad input: one line, exit 2, before anything starts', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown step id', ['--only', 'lint'], /^accord: --only: unknown step "lint": expected one of contract-lint, /],
      ['a baseline ref that does not exist', ['--baseline', 'git:no-such-ref-4711'], /^accord: --baseline git:no-such-ref-4711: git ref "no-such-ref-4711" does not exist/],
      ['a report dir that is a file', ['--report-dir', 'package.json'], /^accord: --report-dir package.json is a file: expected a directory/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const result = await accord(args);
        expect(result.exitCode).to.equal(2);
        expect(result.stderr.trim().split('\n')).to.have.length(1);
        expect(result.stderr).to.match(message);
        expect(result.stdout).to.equal('');
      });
    }

    it('a gate.yaml that is not YAML: its file:line, once', async () => {
      const config = await configWith(dir, 'gate-not-yaml', { 'gate.yaml': 'verify:\n  provider: [unclosed\n' });
      const result = await accord(['--config', config, '--only', 'contract-lint', '--report-dir', join(dir, 'gate-not-yaml-report')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(/^accord: .*gate\.yaml:\d+:\d+: invalid YAML: /);
      expect(result.stdout).to.equal('');
    });

    it('an external point naming no service of environment.yaml', async () => {
      const gate = (await readFile(example('config/integration/gate.yaml'), 'utf8')).replace('- service: payments-stub', '- service: payments-stubb');
      const config = await configWith(dir, 'external-typo', { 'gate.yaml': gate });
      const result = await accord(['--config', config, '--only', 'external-contracts', '--report-dir', join(dir, 'external-typo-report')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(/^accord: .*gate\.yaml: external service "payments-stubb" is not a service of environment\.yaml \(it has payments-stub, service-b, service-a, service-c\)$/m);
      expect(result.stdout).to.equal('');
    });
  });
});
