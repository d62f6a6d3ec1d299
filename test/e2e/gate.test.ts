import { example } from '../support/accord.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { AcceptanceReport } from '../../src/report/model.js';
import { GATE_FIXTURES as FIXTURES, configWith, reportOf } from './gate-support.js';

// `accord gate` as a user runs it, from the repository root; CI=true gives the plain progress lines.
// Free ports: the example's configured ones may be held by another run on the machine.
const accord = (args: readonly string[]) => execa('node', ['bin/accord.js', 'gate', '--free-ports', ...args], { reject: false, env: { CI: 'true' } });

/** Each failing step is named in the text output and the JSON, and the checklist item it backs is crossed. */
async function expectFailed(result: { exitCode?: number | undefined; stdout: string; stderr: string }, reportDir: string, failures: Readonly<Record<string, string>>): Promise<AcceptanceReport> {
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(1);
  const report = await reportOf(reportDir);
  expect(report.ok).to.equal(false);
  for (const [step, item] of Object.entries(failures)) {
    expect(result.stdout).to.match(new RegExp(`^${step}\\s+FAIL`, 'm'));
    expect(result.stdout).to.include(`${step}: failed checks`);
    expect(report.steps.find((s) => s.id === step)?.status, step).to.equal('fail');
    expect(report.checklist.find((c) => c.item === item)?.ok, item).to.equal(false);
    expect(result.stdout).to.include(`✗ ${item}`);
  }
  expect(result.stdout).to.include(`accord gate: FAILED (${Object.keys(failures).join(', ')})`);
  return report;
}

// The whole gate, every step passing on one environment, runs once in the suite: in
// gate-publish.test.ts, whose run also publishes. Here each step fails on its own broken input.
describe('accord gate (e2e)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-gate-e2e-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails contract-diff on a breaking change without a major bump', async () => {
    const config = await configWith(dir, 'breaking', { 'contracts.yaml': `path: ${FIXTURES}/breaking-change/contract.yaml\npolicy: semver\nbaseline: contracts/service-a-to-b.yaml\n` });
    const reportDir = join(dir, 'breaking-report');
    const result = await accord(['--config', config, '--only', 'contract-diff', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, { 'contract-diff': 'API contracts validated, no breaking changes' });
    expect(report.steps.find((s) => s.id === 'contract-diff')?.checks.some((c) => c.status === 'fail' && c.id.startsWith('response-required-property-removed'))).to.equal(true);
  });

  // The schema step failing on a migration that drifts from schemas/database-v2.sql: gate-publish.test.ts's
  // 1.0.1 run, which publishes that failure.

  it('crosses "API contract documentation updated" when a committed page is stale, naming docs/contract.md', async () => {
    // The committed docs/contract.md documents contracts/service-a-to-b.yaml, not this contract.
    const config = await configWith(dir, 'stale-docs', { 'contracts.yaml': `path: ${FIXTURES}/breaking-change/contract.yaml\npolicy: semver\nbaseline: contracts/service-a-to-b.yaml\n` });
    const reportDir = join(dir, 'stale-docs-report');
    const result = await accord(['--config', config, '--only', 'contract-lint,docs', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, { docs: 'API contract documentation updated' });
    expect(report.steps.find((s) => s.id === 'contract-lint')?.status).to.be.oneOf(['pass', 'warn']);
    expect(report.checklist.find((c) => c.item === 'API contract documentation updated')?.reason).to.match(/^committed docs are stale: (.+, )?docs\/contract\.md(, .+)? \(run accord docs\)$/);
  });

  // Three steps that each need the whole environment, each broken on its own input, on ONE
  // environment: every start of the example costs seconds, and no step's input touches another's.
  it('fails verify (a pact expecting a field B does not send), scenarios (A configured not to retry) and load (a latency threshold missed) in one run, each named', async () => {
    const pacts = (await readFile(example('config/integration/pacts.yaml'), 'utf8')).replace(/^dir: pacts$/m, `dir: ${FIXTURES}/pact-expects-unsent-field`);
    const environment = (await readFile('test/fixtures/scenarios/no-retries/environment.yaml', 'utf8')).replace(/^logs:\n {2}dir: .*$/m, `logs:\n  dir: ${join(dir, 'no-retries-logs')}`);
    // Scenario 2, which must fail without retries, and the happy path, which must not: not the whole catalog (gate-publish.test.ts runs that).
    const catalog = join(dir, 'two-scenarios.mts'); // .mts: an ES module without a package.json saying so
    await writeFile(catalog, `import { bUnavailable } from ${JSON.stringify(example('scenarios/b-unavailable.js'))};\nimport { happyPath } from ${JSON.stringify(example('scenarios/happy-path.js'))};\nexport default [happyPath, bUnavailable];\n`);
    const scenarios = (await readFile(example('config/integration/scenarios.yaml'), 'utf8')).replace(/^catalog: .*$/m, `catalog: ${catalog}`);
    const config = await configWith(dir, 'runtime-fails', { 'pacts.yaml': pacts, 'environment.yaml': environment, 'scenarios.yaml': scenarios });
    const reportDir = join(dir, 'runtime-fails-report');
    // --baseline-ref none: the thresholds fail the load step; no baseline build need be measured beside it.
    const result = await accord(['--config', config, '--only', 'verify,scenarios,load', '--profile', `${FIXTURES}/impossible-latency.yaml`, '--baseline-ref', 'none', '--report-dir', reportDir]);
    const report = await expectFailed(result, reportDir, {
      verify: 'Contract tests passing for all integration points',
      scenarios: 'All scenarios passing',
      load: 'Benchmarks met',
    });
    expect(report.steps.find((s) => s.id === 'environment')?.status).to.equal('pass');

    const unsent = report.steps.find((s) => s.id === 'verify')?.checks.filter((c) => c.status === 'fail') ?? [];
    expect(unsent.map((c) => c.id)).to.deep.equal(['a request for an item']);
    expect(unsent[0]?.message).to.include('warehouse');

    expect(report.checklist.find((c) => c.item === 'Error handling validated')?.ok).to.equal(false);
    const scenarioChecks = report.steps.find((s) => s.id === 'scenarios')?.checks ?? [];
    expect(scenarioChecks.filter((c) => c.status === 'fail' && c.id.startsWith('b-unavailable/'))).to.not.deep.equal([]);
    expect(scenarioChecks.filter((c) => c.status === 'fail' && !c.id.startsWith('b-unavailable/')).map((c) => `${c.id}: ${c.message}`)).to.deep.equal([]);
    expect(scenarioChecks.filter((c) => c.id.startsWith('happy-path/'))).to.not.deep.equal([]);

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
    // Without --publish nothing is published: no publish step.
    expect(Object.keys(status)).to.not.include('publish');
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
