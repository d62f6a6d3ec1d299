import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import SCENARIOS from '../../examples/orders/scenarios/index.js';
import type { StartedPostgres } from '../../src/env/index.js';
import type { Trace } from '../../src/scenarios/index.js';
import { accord as run } from '../support/accord.js';
import { READ_TOKEN, WRITE_TOKEN, accord, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';
import { driftedConfig, reportOf } from './gate-support.js';

// A real `accord gate --publish` into a real `accord broker serve`, then can-i-deploy asked by
// Accord (with --require) and by the official `pact` CLI. The broker's own answers to evidence
// sent through its API are proven in broker-evidence.test.ts; this proves the gate sends it.
// Its 1.0.0 run is the suite's one whole gate: every step on one environment and the example's
// whole scenario catalog, each scenario's checks read from the report (gate.test.ts runs single
// steps, each failing on a broken input).
describe('accord gate --publish (e2e)', function () {
  this.timeout(600_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;
  let dir: string;
  // Free ports: the example's configured ones may be held by another run on the machine.
  const gate = (args: string[], token = WRITE_TOKEN) => run(['gate', '--free-ports', '--publish', '--broker-url', broker.url, '--broker-token', token, ...args]);
  const canIDeploy = (version: string, extra: string[] = []) => ['can-i-deploy', '-a', 'service-a', '-e', version, '--to-environment', 'production', ...extra];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-gate-publish-'));
    const database = await brokerDatabase('broker_e2e_gate_publish');
    postgres = database.postgres;
    broker = await serveBroker({ databaseUrl: database.url });
  });
  after(async () => {
    await broker?.stop();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('1.0.0, every step of a real run: one environment, every gate and scenario passing, the reports written; published, and can-i-deploy --require all says yes after record-deployment', async () => {
    const reportDir = join(dir, 'r100');
    // --baseline-ref none: the load step compares with the recorded baseline file (which has no entry
    // for the quick profile) instead of building the merge base and measuring it alongside.
    const result = await gate(['--version', '1.0.0', '--branch', 'main', '--profile', 'test/fixtures/gate/quick-profile.yaml', '--baseline-ref', 'none', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(0);
    const report = await reportOf(reportDir);
    expect(report.steps.map((step) => step.id)).to.deep.equal(['contract-lint', 'contract-diff', 'consumer-tests', 'pacts-vs-contract', 'environment', 'schema', 'verify', 'scenarios', 'load', 'external-contracts', 'docs', 'teardown', 'publish']);
    for (const step of report.steps) expect(step.status, step.id).to.be.oneOf(['pass', 'warn']);
    expect(report.steps.find((s) => s.id === 'teardown')?.details?.postgresStarts).to.equal(1);
    expect(report.steps.find((s) => s.id === 'consumer-tests')?.checks.length).to.be.greaterThan(5);
    // What the payments stub recorded during the scenarios and the load pass, against payments.yaml.
    expect(report.steps.find((s) => s.id === 'external-contracts')?.checks.map((c) => [c.id, c.status])).to.deep.equal([['payments-stub', 'pass']]);
    expect(report.checklist.find((c) => c.item === 'Contract tests passing for all integration points')?.reason).to.equal('consumer-tests: pass, verify: pass, external-contracts: pass');
    const scenarios = report.steps.find((s) => s.id === 'scenarios');
    expect((scenarios?.details?.diagrams as unknown[]).length).to.equal(SCENARIOS.length);
    // Each scenario of the catalog: its checks ran and passed, every fault undone, its trace recorded.
    for (const { name } of SCENARIOS) {
      const checks = scenarios?.checks.filter((c) => c.id.startsWith(`${name}/`)) ?? [];
      expect(checks.length, name).to.be.greaterThan(1);
      expect(checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), name).to.deep.equal([]);
      expect(checks.map((c) => c.id), name).to.include(`${name}/every faulted process is back and healthy`);
      const trace = JSON.parse(await readFile(join(reportDir, 'traces', `${name}.json`), 'utf8')) as Trace;
      expect(trace.correlations.length, `${name}: recorded correlations`).to.be.greaterThan(0);
    }
    // The stream scenarios' evidence names what happened on the real A → Redis Stream → C → PostgreSQL.
    const message = (id: string) => scenarios?.checks.find((c) => c.id === id)?.message ?? '';
    const lettered = message('poison-message/each bad entry is on the dead-letter stream with its reason');
    expect(lettered).to.match(/"the payload is not an order event: .*\/order\/quantity must be integer" after \d+ deliver/);
    expect(lettered).to.match(/"the payload is not JSON: /);
    expect(message('c-killed/C was killed mid-batch')).to.match(/^\d+ of 40 shipment\(s\) committed when SIGKILL was sent$/);
    // The quick profile has no baseline entry: both baseline items are crossed, never ticked without evidence.
    const crossed = report.checklist.filter((item) => !item.ok).map((item) => item.item);
    expect(crossed).to.deep.equal(['No regression from baseline', 'Performance baseline documented']);
    // The scope as environment.yaml's `uses` draws it: the services, their database and cache.
    expect(report.scope.components.map((c) => c.name)).to.include.members(['service-a', 'service-b', 'service-c', 'inventory', 'redis']);
    for (const file of ['acceptance.json', 'acceptance.md', 'acceptance.html', 'acceptance.txt', 'acceptance.junit.xml', 'docs/architecture.md', 'docs/contract.md', 'docs/sequences/happy-path.md', 'load/load-quick-profile.html']) {
      expect(await readFile(join(reportDir, file), 'utf8'), file).to.not.equal('');
    }
    expect(result.stderr).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z accord gate: load: /m);

    expect(result.stdout).to.match(/^publish\s+pass/m);
    expect(result.stdout).to.include(`published: ${broker.url}, version 1.0.0 (branch main): 2 pacts, 2 verification results, the provider contract, evidence of 10 steps for service-a, service-b, service-c`);
    expect(result.all).to.not.include(WRITE_TOKEN);
    const publish = report.steps.at(-1);
    expect(publish).to.deep.include({ id: 'publish', status: 'pass' });
    expect(publish?.details).to.deep.include({ brokerUrl: broker.url, version: '1.0.0', branch: 'main' });
    expect(JSON.stringify(report)).to.not.include(WRITE_TOKEN);

    const deployed = await accord(broker.url, ['record-deployment', '--pacticipant', 'service-b', '--version', '1.0.0', '--environment', 'production']);
    expect(deployed.exitCode, deployed.all).to.equal(0);
    const yes = await accord(broker.url, canIDeploy('1.0.0', ['--require', 'all']));
    expect(yes.exitCode, yes.all).to.equal(0);
    expect(yes.all).to.include('is published and passing for version 1.0.0 of service-a, version 1.0.0 of service-b');
    const official = await pactBroker(broker.url, canIDeploy('1.0.0'));
    expect(official.exitCode, official.all).to.equal(0);
    expect(official.all).to.include('Computer says yes');
  });

  it('1.0.1, a failing run (a migration drifting from schemas/database-v2.sql) is published too: no, naming schema and 1.0.1', async () => {
    const reportDir = join(dir, 'r101');
    // consumer-tests too: a run publishes the pacts only when its consumer tests wrote them.
    const result = await gate(['--config', await driftedConfig(dir), '--only', 'consumer-tests,schema', '--version', '1.0.1', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(1);
    expect(result.stdout).to.match(/^schema\s+FAIL/m);
    // The schema gate fails on the drifted migration, named in the output, the report and the checklist.
    expect(result.stdout).to.include('schema: failed checks');
    expect(result.stdout).to.include('accord gate: FAILED (schema)');
    expect(result.stdout).to.include('✗ Database schema matches the expected version');
    const report = await reportOf(reportDir);
    expect(report.ok).to.equal(false);
    const schema = report.steps.find((s) => s.id === 'schema');
    expect(schema?.status).to.equal('fail');
    expect(schema?.checks.filter((c) => c.status === 'fail').map((c) => c.id)).to.include('column:public.items.warehouse');
    expect(report.checklist.find((c) => c.item === 'Database schema matches the expected version')?.ok).to.equal(false);
    expect(result.stdout).to.match(/^publish\s+pass/m);
    const no = await accord(broker.url, canIDeploy('1.0.1', ['--require', 'all']));
    expect(no.exitCode, no.all).to.equal(1);
    expect(no.all).to.include('The schema evidence for version 1.0.1 of service-a failed');
    expect(no.all).to.include('Computer says no');
    // The official CLI weighs the pacts alone: the same pact content is verified, as before.
    const official = await pactBroker(broker.url, canIDeploy('1.0.1'));
    expect(official.exitCode, official.all).to.equal(0);
    expect(official.all).to.include('Computer says yes');
  });

  it('a version whose evidence was never sent is unknown (deployable null, exit 1)', async () => {
    const published = await accord(broker.url, ['publish', 'pacts/service-a-service-b.json', '-a', '1.0.2', '--branch', 'main']);
    expect(published.exitCode, published.all).to.equal(0);
    const unknown = await accord(broker.url, canIDeploy('1.0.2', ['--require', 'all', '--format', 'json']));
    expect(unknown.exitCode, unknown.all).to.equal(1);
    expect(JSON.parse(unknown.stdout).summary.deployable).to.equal(null);
  });

  it('a broker refusing the publish (a read-only token) is exit 1 with the broker\'s detail, the run\'s report written', async () => {
    const reportDir = join(dir, 'read-only');
    const result = await gate(['--only', 'contract-lint', '--version', '1.0.3', '--report-dir', reportDir], READ_TOKEN);
    expect(result.exitCode, result.all).to.equal(1);
    expect(result.stdout).to.match(/^publish\s+FAIL/m);
    expect(result.stdout, result.stdout).to.match(/not published: the Pact Broker refused [A-Z]+ \S+ \(403\)/);
    expect(result.all).to.not.include(READ_TOKEN);
    expect((await reportOf(reportDir)).steps.at(-1)).to.deep.include({ id: 'publish', status: 'fail' });
  });

  describe('bad input: one line, exit 2, before any step starts', () => {
    const cases: [string, () => string[], RegExp, string?][] = [
      ['--publish without a broker URL', () => ['gate', '--publish'], /^accord: --publish needs a broker: pass --broker-url URL or set PACT_BROKER_BASE_URL$/],
      ['--version without --publish', () => ['gate', '--version', '1.0.0'], /^accord: --version is only used with --publish$/],
      ['--branch without --publish', () => ['gate', '--branch', 'main'], /^accord: --branch is only used with --publish$/],
      ['an unreachable broker', () => ['gate', '--publish', '--broker-url', 'http://127.0.0.1:9', '--version', '1'], /^accord: cannot reach the Pact Broker at http:\/\/127\.0\.0\.1:9/],
      ['a token the broker rejects', () => ['gate', '--publish', '--broker-url', broker.url, '--broker-token', 'not-a-valid-token', '--version', '1'], /^accord: the Pact Broker refused GET \/ \(401\)/],
      ['no --version outside a git checkout', () => ['gate', '--publish', '--broker-url', broker.url, '--config', join(process.cwd(), 'config/integration')], /^accord: cannot take the version from git in .*: pass --version V$/, 'tmp'],
    ];
    for (const [what, args, message, where] of cases) {
      it(what, async () => {
        const result = await run(args(), where ? { cwd: dir } : {});
        expect(result.exitCode, result.all).to.equal(2);
        expect(result.stderr.trim().split('\n')).to.have.length(1);
        expect(result.stderr).to.match(message);
        expect(result.stderr).to.not.include('not-a-valid-token');
        expect(result.stdout).to.equal('');
      });
    }
  });
});
