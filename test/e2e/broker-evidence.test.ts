import { join } from 'node:path';
import { EXAMPLE_ROOT } from '../support/accord.js';
import { expect } from 'chai';
import { publishGateRun } from '../../src/broker/index.js';
import type { StartedPostgres } from '../../src/env/index.js';
import type { GateStep } from '../../src/report/model.js';
import { EVIDENCE_STEPS } from '../../src/broker/index.js';
import { WRITE_TOKEN, accord, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

const PACT_FILE = join(EXAMPLE_ROOT, 'pacts/service-a-service-b.json');
const CONTRACT = join(EXAMPLE_ROOT, 'contracts/service-a-to-b.yaml');

/** A gate run's steps, every one passing except those named in `failing`. */
function gateSteps(failing: Record<string, string> = {}): GateStep[] {
  return EVIDENCE_STEPS.map((id) => {
    const message = failing[id];
    const status = message ? 'fail' : 'pass';
    return { id, title: id, status, durationMs: 10, checks: [{ id: `${id}/main`, name: `${id} check`, status, message: message ?? 'as expected' }], evidence: [] };
  });
}

// A gate run published by Accord's client and read by the official `pact broker` CLI and by
// `accord can-i-deploy --require`, all on one `accord broker serve` process.
describe('gate evidence end to end: accord publish and can-i-deploy --require with the official pact CLI', function () {
  this.timeout(300_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;
  const run = (version: string, failing?: Record<string, string>) =>
    publishGateRun({ brokerUrl: broker.url, token: WRITE_TOKEN, version, branch: 'main', steps: gateSteps(failing), pacts: [PACT_FILE], providerContract: { provider: 'service-b', file: CONTRACT } });
  const canIDeploy = (version: string, extra: string[] = []) => ['can-i-deploy', '-a', 'service-a', '-e', version, '--to-environment', 'production', ...extra];

  before(async () => {
    const database = await brokerDatabase('broker_e2e_evidence');
    postgres = database.postgres;
    broker = await serveBroker({ databaseUrl: database.url });
  });
  after(async () => {
    await broker?.stop();
    await postgres?.stop();
  });

  it('1.0.0, all evidence passing: yes after record-deployment, for Accord and the official CLI', async () => {
    const published = await run('1.0.0');
    expect(published.verifications).to.deep.equal([{ consumer: 'service-a', provider: 'service-b', success: true }]);
    expect(published.evidence.map((e) => [e.pacticipant, e.steps.length])).to.deep.equal([['service-a', EVIDENCE_STEPS.length], ['service-b', EVIDENCE_STEPS.length]]);
    const before = await accord(broker.url, canIDeploy('1.0.0', ['--require', 'all']));
    expect(before.exitCode, before.all).to.equal(1);
    const deployed = await pactBroker(broker.url, ['record-deployment', '-a', 'service-b', '-e', '1.0.0', '--environment', 'production']);
    expect(deployed.exitCode, deployed.all).to.equal(0);
    const yes = await accord(broker.url, canIDeploy('1.0.0', ['--require', 'all']));
    expect(yes.exitCode, yes.all).to.equal(0);
    expect(yes.all).to.include('All required evidence (contract-lint,');
    expect(yes.all).to.include('is published and passing for version 1.0.0 of service-a, version 1.0.0 of service-b');
    expect(yes.all).to.include('Computer says yes');
    const official = await pactBroker(broker.url, canIDeploy('1.0.0'));
    expect(official.exitCode, official.all).to.equal(0);
    expect(official.all).to.include('Computer says yes');
  });

  it('1.0.1 with failing schema evidence: no, naming schema and 1.0.1; the official CLI answers on the pacts as before', async () => {
    await run('1.0.1', { schema: 'column orders.note: expected text, found varchar(20)' });
    const no = await accord(broker.url, canIDeploy('1.0.1', ['--require', 'schema,scenarios,load']));
    expect(no.exitCode, no.all).to.equal(1);
    expect(no.all).to.include('The schema evidence for version 1.0.1 of service-a failed: schema: fail, 0/1 checks passed; schema check: column orders.note: expected text, found varchar(20)');
    expect(no.all).to.match(/service-a\s+│\s+1\.0\.1\s+│\s+schema\s+│\s+fail/);
    expect(no.all).to.include('Computer says no');
    const json = await accord(broker.url, canIDeploy('1.0.1', ['--require', 'schema', '--format', 'json']));
    expect(JSON.parse(json.stdout).summary).to.deep.include({ deployable: false, evidence: { required: ['schema'], passed: 1, failed: 1, missing: 0 } });
    const official = await pactBroker(broker.url, canIDeploy('1.0.1'));
    expect(official.exitCode, official.all).to.equal(0);
    expect(official.all).to.include('Computer says yes');
    // Without --require Accord's answer is the Pact Broker's too.
    const plain = await accord(broker.url, canIDeploy('1.0.1'));
    expect(plain.exitCode, plain.all).to.equal(0);
  });

  it('1.0.2 whose evidence was never sent: unknown (deployable null, exit 1), asked again with --retry-while-unknown', async () => {
    const published = await pactBroker(broker.url, ['publish', PACT_FILE, '-a', '1.0.2', '--branch', 'main']);
    expect(published.exitCode, published.all).to.equal(0);
    const unknown = await accord(broker.url, canIDeploy('1.0.2', ['--require', 'load', '--format', 'json']));
    expect(unknown.exitCode, unknown.all).to.equal(1);
    const body = JSON.parse(unknown.stdout);
    expect(body.summary.deployable).to.equal(null);
    expect(body.summary.reason).to.equal('There is no load evidence for version 1.0.2 of service-a');
    const retried = await accord(broker.url, canIDeploy('1.0.2', ['--require', 'load', '--retry-while-unknown', '2', '--retry-interval', '0']));
    expect(retried.exitCode, retried.all).to.equal(1);
    expect(retried.all).to.include('(asked 3 times while the answer was unknown)');
    const official = await pactBroker(broker.url, canIDeploy('1.0.2'));
    expect(official.exitCode, official.all).to.equal(0);
  });

  it('an unknown step in --require is one line, exit 2, before the broker is asked', async () => {
    const result = await accord('http://127.0.0.1:9', canIDeploy('1.0.0', ['--require', 'schema,lnt']));
    expect(result.exitCode).to.equal(2);
    expect(result.all?.trim().split('\n')).to.deep.equal([`accord: --require: unknown step "lnt" (known: ${EVIDENCE_STEPS.join(', ')}, or all)`]);
  });

  it('accord publish-provider-contract takes pactflow\'s options', async () => {
    const result = await accord(broker.url, ['publish-provider-contract', CONTRACT, '--provider', 'service-b', '-a', '1.0.3', '--branch', 'main', '-t', 'rc', '--verification-exit-code', '0', '--verifier', 'accord', '-o', 'json']);
    expect(result.exitCode, result.all).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ ok: true, provider: 'service-b', providerVersion: '1.0.3' });
    const missing = await accord(broker.url, ['publish-provider-contract', CONTRACT, '--provider', 'service-b', '-a', '1.0.4']);
    expect(missing.exitCode).to.equal(2);
    expect(missing.all).to.include('--verification-success, --no-verification-success or --verification-exit-code N');
  });
});
