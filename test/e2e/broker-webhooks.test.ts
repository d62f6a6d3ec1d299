import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { StartedPostgres } from '../../src/env/index.js';
import { accord as run, example, REPO_ROOT } from '../support/accord.js';
import { startReceiver } from '../integration/broker/webhook-receiver.js';
import type { Receiver } from '../integration/broker/webhook-receiver.js';
import { WRITE_TOKEN, accord, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

/** A git repository made for the test, with one commit of `files`; its version is the commit's sha. */
async function gitRepo(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, source] of Object.entries(files)) await copyFile(source, join(dir, name));
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 't@example.com' } });
  await git('init', '-q', '-b', 'main');
  await git('add', '.');
  await git('commit', '-q', '-m', 'pipeline run');
  return (await git('rev-parse', '--short', 'HEAD')).stdout.trim();
}

// The loop between two teams: the consumer's pipeline publishes, the broker's webhook (created
// with the official pact CLI) calls the provider's CI (a local receiver), which runs
// `accord verify --pact-url` on that one pact and publishes the result; the consumer's
// `can-i-deploy --retry-while-unknown` goes from unknown to yes, and to no for a breaking pact.
describe('the loop between two teams: a webhook starts the provider\'s verification (e2e)', function () {
  this.timeout(600_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;
  let receiver: Receiver;
  let dir: string;
  let consumerRepo: string;
  let providerRepo: string;
  const verifications: Array<Promise<{ exitCode: number | undefined; output: string }>> = [];
  // What the provider's CI printed, for a failure's message.
  const verificationOutput = async () => (await Promise.all(verifications)).map((result) => `exit ${result.exitCode ?? '?'}: ${result.output}`).join('\n') || '(no webhook arrived)';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-two-teams-'));
    const database = await brokerDatabase('broker_e2e_webhooks');
    postgres = database.postgres;
    broker = await serveBroker({ databaseUrl: database.url, env: { PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https', PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1' } });
    // The provider team's CI: each dispatch verifies the named pact as the named provider version.
    receiver = await startReceiver((request) => {
      const { client_payload: payload } = JSON.parse(request.body) as { client_payload: { pact_url: string; provider_version: string } };
      const verified = run(['verify', '--pact-url', payload.pact_url, '--publish', '--provider-version', payload.provider_version, '--branch', 'main'], {
        env: { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: WRITE_TOKEN },
      }).then((result) => ({ exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` }));
      verifications.push(verified);
      return 202;
    });
    consumerRepo = join(dir, 'consumer');
    providerRepo = join(dir, 'provider');
    await Promise.all([execa('mkdir', ['-p', consumerRepo, providerRepo])]);
  });
  after(async () => {
    await Promise.allSettled(verifications);
    await receiver?.stop();
    await broker?.stop();
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a refused target is said at creation by the official CLI', async () => {
    const refused = await pactBroker(broker.url, ['create-webhook', 'http://169.254.169.254/latest/meta-data', '-X', 'POST', '--provider', 'service-b', '--contract-published']);
    expect(refused.exitCode, refused.all).not.to.equal(0);
    expect(refused.all).to.include('link-local or cloud metadata address');
  });

  it('publish → webhook → verify --pact-url → can-i-deploy turns yes; a breaking pact turns it no', async () => {
    // The provider's pipeline: its main branch version is in production; its team adds the webhook.
    await writeFile(join(providerRepo, 'README.md'), 'provider\n');
    const providerVersion = await gitRepo(providerRepo, { 'service-a-to-b.yaml': example('contracts/service-a-to-b.yaml') });
    for (const args of [['create-or-update-version', '-a', 'service-b', '-e', providerVersion, '--branch', 'main'], ['record-deployment', '-a', 'service-b', '-e', providerVersion, '--environment', 'production']]) {
      const result = await pactBroker(broker.url, args);
      expect(result.exitCode, result.all).to.equal(0);
    }
    const body = JSON.stringify({ event_type: 'pact_changed', client_payload: { pact_url: '${pactbroker.pactUrl}', provider_version: '${pactbroker.providerVersionNumber}' } });
    const created = await pactBroker(broker.url, [
      'create-webhook', `${receiver.url}/repos/provider/dispatches`, '-X', 'POST', '-H', 'Content-Type: application/json', 'Authorization: Bearer ghp_providerteamtoken',
      '-d', body, '--provider', 'service-b', '--contract-requiring-verification-published', '--description', 'verify a changed pact',
    ]);
    expect(created.exitCode, created.all).to.equal(0);

    // The consumer's pipeline: publish its pact as its commit, then ask can-i-deploy, waiting while unknown.
    const consumerVersion = await gitRepo(consumerRepo, { 'service-a-service-b.json': example('pacts/service-a-service-b.json') });
    const published = await accord(broker.url, ['publish', join(consumerRepo, 'service-a-service-b.json'), '-a', consumerVersion, '--branch', 'main']);
    expect(published.exitCode, published.all).to.equal(0);
    const yes = await accord(broker.url, ['can-i-deploy', '--pacticipant', 'service-a', '--version', consumerVersion, '--to-environment', 'production', '--retry-while-unknown', '120', '--retry-interval', '2']);
    expect(yes.exitCode, `${yes.all}\n--- the provider's verification:\n${await verificationOutput()}`).to.equal(0);
    expect(yes.all).to.match(/asked \d+ times while the answer was unknown/);
    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0]?.headers.authorization).to.equal('Bearer ghp_providerteamtoken');
    const first = await verifications[0];
    expect(first?.exitCode, first?.output).to.equal(0);

    // A breaking change on the consumer's side: the webhook fires again, the verification fails, the answer is no.
    await writeFile(join(consumerRepo, 'service-a-service-b.json'), await readFile(join(REPO_ROOT, 'test/fixtures/pact/field-missing-in-response/pact.json'), 'utf8'));
    await execa('git', ['commit', '-q', '-am', 'breaking'], { cwd: consumerRepo, env: { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 't@example.com' } });
    const breakingVersion = (await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: consumerRepo })).stdout.trim();
    const republished = await accord(broker.url, ['publish', join(consumerRepo, 'service-a-service-b.json'), '-a', breakingVersion, '--branch', 'main']);
    expect(republished.exitCode, republished.all).to.equal(0);
    const no = await accord(broker.url, ['can-i-deploy', '--pacticipant', 'service-a', '--version', breakingVersion, '--to-environment', 'production', '--retry-while-unknown', '120', '--retry-interval', '2']);
    expect(no.exitCode, no.all).to.equal(1);
    expect(no.all).to.include('failed');
    const second = await verifications[1];
    expect(second?.exitCode, second?.output).to.equal(1);
    expect(receiver.received).to.have.length(2);

    // Each delivery is recorded with its outcome; the token the provider's team gave is never shown.
    const webhooks = await (await fetch(`${broker.url}/webhooks`, { headers: { authorization: `Bearer ${WRITE_TOKEN}` } })).json() as { _embedded: { webhooks: Array<{ uuid: string }> } };
    const uuid = webhooks._embedded.webhooks[0]?.uuid ?? '';
    const executions = await (await fetch(`${broker.url}/webhooks/${uuid}/executions`, { headers: { authorization: `Bearer ${WRITE_TOKEN}` } })).json() as { _embedded: { executions: Array<{ success: boolean; response: { status: number } }> } };
    expect(executions._embedded.executions.map((execution) => [execution.success, execution.response.status])).to.deep.equal([[true, 202], [true, 202]]);
    expect(JSON.stringify(executions)).not.to.include('ghp_providerteamtoken');
  });
});
