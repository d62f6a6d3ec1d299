import { join } from 'node:path';
import { REPO_ROOT } from '../support/accord.js';
import { expect } from 'chai';
import { request } from 'undici';
import type { StartedPostgres } from '../../src/env/index.js';
import { READ_TOKEN, WRITE_TOKEN, accord, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

const PACT_FILE = join(REPO_ROOT, 'test/fixtures/broker/pact-service-a-service-b/service-a-service-b.json');

/** Publishes a verification result the way the Verifier does (pb:publish-verification-results). */
async function publishVerification(broker: ServedBroker, consumerVersion: string, providerVersion: string, success: boolean): Promise<void> {
  const pactUrl = `${broker.url}/pacts/provider/service-b/consumer/service-a/version/${consumerVersion}`;
  const headers = { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' };
  const pact = (await (await request(pactUrl, { headers })).body.json()) as { _links: Record<string, { href: string }> };
  const href = pact._links['pb:publish-verification-results']?.href as string;
  const response = await request(href, { method: 'POST', headers, body: JSON.stringify({ success, providerApplicationVersion: providerVersion }) });
  expect(response.statusCode).to.equal(201);
  await response.body.dump();
}

// The official `pact broker` CLI (pact-broker-cli, from @pact-foundation/pact-cli) is the external check.
describe('accord broker serve with the official pact broker CLI', function () {
  this.timeout(300_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;

  before(async () => {
    const database = await brokerDatabase('broker_e2e_official_cli');
    postgres = database.postgres;
    broker = await serveBroker({ databaseUrl: database.url });
  });
  after(async () => {
    await broker?.stop();
    await postgres?.stop();
  });

  it('pact broker publish', async () => {
    const result = await pactBroker(broker.url, ['publish', PACT_FILE, '-a', '1.0.0', '--branch', 'main', '-t', 'dev', '--build-url', 'http://ci/1']);
    expect(result.exitCode, result.all).to.equal(0);
    expect(result.all).to.include('Created service-a version 1.0.0 with branch main and tags dev');
    expect(result.all).to.include('Pact published for service-a version 1.0.0 and provider service-b');
    expect(result.all).not.to.include('Warning');
  });

  it('pact broker create-environment and create-or-update-version', async () => {
    const created = await pactBroker(broker.url, ['create-environment', '--name', 'uat', '--display-name', 'UAT', '--production', '--contact-name', 'Ops', '--contact-email-address', 'ops@example.com']);
    expect(created.exitCode, created.all).to.equal(0);
    expect(created.all).to.match(/Created uat environment in the Pact Broker with UUID [0-9a-f-]{36}/);
    const version = await pactBroker(broker.url, ['create-or-update-version', '-a', 'service-b', '-e', '2.0.0', '--branch', 'main']);
    expect(version.exitCode, version.all).to.equal(0);
    const tagged = await pactBroker(broker.url, ['create-or-update-version', '-a', 'service-b', '-e', '2.0.0', '--tag', 'ptag']);
    expect(tagged.exitCode, tagged.all).to.equal(0);
  });

  it('pact broker record-deployment, then can-i-deploy says unknown while the pact is unverified', async () => {
    const deployed = await pactBroker(broker.url, ['record-deployment', '-a', 'service-b', '-e', '2.0.0', '--environment', 'uat']);
    expect(deployed.exitCode, deployed.all).to.equal(0);
    expect(deployed.all).to.include('Recorded deployment of service-b version 2.0.0 to uat environment');
    const unknown = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'uat']);
    expect(unknown.exitCode, unknown.all).to.equal(1);
    expect(unknown.all).to.include('unknown');
    expect(unknown.all).to.include('There is no verified pact between version 1.0.0 of service-a and version 2.0.0 of service-b (currently deployed in uat)');
    expect(unknown.all).to.include('Computer says no');
  });

  it('pact broker can-i-deploy says yes after a successful verification, no after a failed one', async () => {
    await publishVerification(broker, '1.0.0', '2.0.0', true);
    const yes = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'uat']);
    expect(yes.exitCode, yes.all).to.equal(0);
    expect(yes.all).to.include('All required verification results are published and successful');
    expect(yes.all).to.include('Computer says yes');

    await pactBroker(broker.url, ['create-or-update-version', '-a', 'service-b', '-e', '3.0.0']);
    await publishVerification(broker, '1.0.0', '3.0.0', false);
    const redeployed = await pactBroker(broker.url, ['record-deployment', '-a', 'service-b', '-e', '3.0.0', '--environment', 'uat']);
    expect(redeployed.exitCode, redeployed.all).to.equal(0);
    const no = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'uat']);
    expect(no.exitCode, no.all).to.equal(1);
    expect(no.all).to.include('The verification for the pact between version 1.0.0 of service-a and version 3.0.0 of service-b (currently deployed in uat) failed');
    expect(no.all).to.include('Computer says no');
    const dryRun = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'uat', '--dry-run']);
    expect(dryRun.exitCode, dryRun.all).to.equal(0);
  });

  it('pact broker record-release', async () => {
    const released = await pactBroker(broker.url, ['record-release', '-a', 'service-a', '-e', '1.0.0', '--environment', 'production']);
    expect(released.exitCode, released.all).to.equal(0);
    expect(released.all).to.include('Recorded release of service-a version 1.0.0 to production environment');
  });

  it('the official CLI reports a 409 republish, a wrong token and a read-only write as failures', async () => {
    const conflict = await pactBroker(broker.url, ['publish', 'test/fixtures/broker/pact-changed-content/service-a-service-b.json', '-a', '1.0.0']);
    expect(conflict.exitCode, conflict.all).not.to.equal(0);
    expect(conflict.all).to.include('Pact publication failed');
    expect(conflict.all).to.include('Cannot change the content of the pact for service-a version 1.0.0 and provider service-b');
    const invalid = await pactBroker(broker.url, ['create-environment', '--name', 'has spaces']);
    expect(invalid.exitCode, invalid.all).not.to.equal(0);
    expect(invalid.all).to.include('body.name: must match pattern');
    const wrongToken = await pactBroker(broker.url, ['create-environment', '--name', 'x1'], 'not-the-token');
    expect(wrongToken.exitCode, wrongToken.all).not.to.equal(0);
    const readOnly = await pactBroker(broker.url, ['create-environment', '--name', 'x2'], READ_TOKEN);
    expect(readOnly.exitCode, readOnly.all).not.to.equal(0);
    const list = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'uat', '--format', 'json'], READ_TOKEN);
    expect(list.exitCode, list.all).to.equal(1);
  });

  it("accord's own client commands work against the same broker", async () => {
    const published = await accord(broker.url, ['publish', PACT_FILE, '-a', '1.1.0', '--branch', 'main']);
    expect(published.exitCode, published.all).to.equal(0);
    expect(published.all).to.include('Published the pact between service-a (1.1.0) and service-b');
    // The Rust CLI re-serialises pacts, so the raw file is new content: nothing in uat verified it yet.
    const unknown = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'uat']);
    expect(unknown.exitCode, unknown.all).to.equal(1);
    expect(unknown.stdout).to.match(/service-a\s*│\s*1\.1\.0\s*│\s*service-b\s*│\s*\?\?\?\s*│\s*\?\?\?/);
    expect(unknown.stdout).to.include('Computer says no');

    const env = await accord(broker.url, ['create-environment', '--name', 'staging', '--format', 'json']);
    expect(env.exitCode, env.all).to.equal(0);
    expect(JSON.parse(env.stdout)).to.include({ ok: true, name: 'staging' });
    await publishVerification(broker, '1.1.0', '2.0.0', true);
    expect((await accord(broker.url, ['record-deployment', '-a', 'service-b', '-e', '2.0.0', '--environment', 'staging'])).exitCode).to.equal(0);
    const yes = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'staging']);
    expect(yes.exitCode, yes.all).to.equal(0);
    expect(yes.stdout).to.match(/service-a\s*│\s*1\.1\.0\s*│\s*service-b\s*│\s*2\.0\.0\s*│\s*true\s*│\s*1/);
    expect(yes.stdout).to.include('Computer says yes \\o/');
    const json = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'staging', '--format', 'json']);
    expect(JSON.parse(json.stdout).summary).to.include({ deployable: true, success: 1 });
    expect((await accord(broker.url, ['record-release', '-a', 'service-a', '-e', '1.1.0', '--environment', 'staging'])).exitCode).to.equal(0);

    const dryRun = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'uat', '--dry-run']);
    expect(dryRun.exitCode, dryRun.all).to.equal(0);
    expect(dryRun.stdout).to.include('Dry run enabled');
    // A wrong token: exit 2 and a JSON error on stdout; with --dry-run the promised exit 0.
    const wrongToken = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'uat', '--format', 'json'], 'not-the-token');
    expect(wrongToken.exitCode, wrongToken.all).to.equal(2);
    expect(JSON.parse(wrongToken.stdout).error.code).to.equal('ACCORD_BROKER_UNAUTHORIZED');
    const wrongTokenDryRun = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.1.0', '--to-environment', 'uat', '--dry-run'], 'not-the-token');
    expect(wrongTokenDryRun.exitCode, wrongTokenDryRun.all).to.equal(0);
    expect(wrongTokenDryRun.stdout).to.include('Computer says no');
    expect(wrongTokenDryRun.stdout).to.include('Dry run enabled: suppressing the failing exit code');
    const unknownEnvironment = await accord(broker.url, ['record-deployment', '-a', 'service-b', '-e', '2.0.0', '--environment', 'mars']);
    expect(unknownEnvironment.exitCode).to.equal(2);
    expect(unknownEnvironment.stderr).to.include('environment "mars" does not exist in the Pact Broker');
  });

  it('accord can-i-deploy --retry-while-unknown asks again until it gives up', async () => {
    const retried = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'staging', '--ignore', 'nobody', '--retry-while-unknown', '0']);
    expect(retried.exitCode).to.equal(0);
    await accord(broker.url, ['publish', 'test/fixtures/broker/pact-changed-content/service-a-service-b.json', '-a', '1.2.0']);
    const unknown = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.2.0', '--to-environment', 'staging', '--retry-while-unknown', '2', '--retry-interval', '0']);
    expect(unknown.exitCode, unknown.all).to.equal(1);
    expect(unknown.stdout).to.include('asked 3 times while the answer was unknown');
  });
});
