import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { StartedPostgres } from '../../src/env/index.js';
import { accord as run } from '../support/accord.js';
import { READ_TOKEN, WRITE_TOKEN, accord, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';
import { driftedConfig, reportOf } from './gate-support.js';

// A real `accord gate --publish` into a real `accord broker serve`, then can-i-deploy asked by
// Accord (with --require) and by the official `pact` CLI. The broker's own answers to evidence
// sent through its API are proven in broker-evidence.test.ts; this proves the gate sends it.
describe('accord gate --publish (e2e)', function () {
  this.timeout(600_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;
  let dir: string;
  const gate = (args: string[], token = WRITE_TOKEN) => run(['gate', '--publish', '--broker-url', broker.url, '--broker-token', token, ...args]);
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

  it('1.0.0, every step of a real run: published, and can-i-deploy --require all says yes after record-deployment', async () => {
    const reportDir = join(dir, 'r100');
    const result = await gate(['--version', '1.0.0', '--branch', 'main', '--profile', 'test/fixtures/gate/quick-profile.yaml', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(0);
    expect(result.stdout).to.match(/^publish\s+pass/m);
    expect(result.stdout).to.include(`published: ${broker.url}, version 1.0.0 (branch main): 2 pacts, 2 verification results, the provider contract, evidence of 10 steps for service-a, service-b, service-c`);
    expect(result.all).to.not.include(WRITE_TOKEN);
    const publish = (await reportOf(reportDir)).steps.at(-1);
    expect(publish).to.deep.include({ id: 'publish', status: 'pass' });
    expect(publish?.details).to.deep.include({ brokerUrl: broker.url, version: '1.0.0', branch: 'main' });
    expect(JSON.stringify(await reportOf(reportDir))).to.not.include(WRITE_TOKEN);

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
    const result = await gate(['--config', await driftedConfig(dir), '--only', 'schema', '--version', '1.0.1', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(1);
    expect(result.stdout).to.match(/^schema\s+FAIL/m);
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
    expect(result.stdout).to.match(/not published: the Pact Broker refused POST \S+ \(403\)/);
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
