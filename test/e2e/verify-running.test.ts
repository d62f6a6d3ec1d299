/**
 * `accord verify` against a provider that is already running (`--provider-base-url`), and
 * reading the broker's pacts without publishing (`--from-broker` with consumer version selectors).
 * Service B is the real service process, started here the way `accord up` starts it.
 */
import { resolve } from 'node:path';
import { expect } from 'chai';
import { canIDeploy, createBrokerClient, publishPacts, startBroker } from '../../src/broker/index.js';
import type { BrokerClient, StartedBroker } from '../../src/broker/index.js';
import { loadConfig } from '../../src/config/index.js';
import { backingServices, getFreePort, startEnvironment } from '../../src/env/index.js';
import type { StartedEnvironment } from '../../src/env/index.js';
import { accord } from '../support/accord.js';

const ROOT = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => `test/fixtures/pact/${name}`;

const verify = (args: string[], env: Record<string, string> = {}) => accord(['verify', ...args], { env });

/** An in-process broker holding service-a 1.4.0's pact (branch main) for `body`, stopped after it. */
async function withBroker(token: string, body: (broker: StartedBroker, client: BrokerClient) => Promise<void>): Promise<void> {
  const broker = await startBroker({ auth: { readOnlyTokens: [], readWriteTokens: [token] }, logger: false });
  try {
    const client = createBrokerClient({ baseUrl: broker.url, token });
    await publishPacts(client, { paths: [resolve(ROOT, fixture('state-leak-absent-first'), 'pact.json')], consumerVersion: '1.4.0', branch: 'main' });
    await body(broker, client);
  } finally {
    await broker.stop();
  }
}

describe('accord verify against a running provider', function () {
  this.timeout(240_000);
  let environment: StartedEnvironment;
  let running: string[];

  before(async () => {
    environment = await startEnvironment(await loadConfig('config/integration', { root: resolve(ROOT, 'examples/orders') }), { services: ['service-b'], freePorts: true });
    running = ['--provider-base-url', environment.service('service-b').url, '--database-url', backingServices(environment).databaseUrl, '--redis-url', backingServices(environment).redis.url];
  });
  after(async () => {
    await environment?.stop();
  });

  it('verifies the pacts against it, starting nothing and leaving it running', async () => {
    const result = await verify([...running, '--pacts', fixture('state-leak-absent-first'), '--format', 'json']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; interactions: unknown[] };
    expect(report.ok).to.equal(true);
    expect(report.interactions.length).to.be.greaterThan(1);
    expect(environment.service('service-b').running).to.equal(true);
    const health = await fetch(`${environment.service('service-b').url}/health`);
    expect(health.status).to.equal(200);
  });

  it("the example's pacts: every interaction passes but the one whose state stops a database Accord does not own", async () => {
    const result = await verify([...running, '--format', 'json']);
    expect(result.exitCode).to.equal(1);
    const report = JSON.parse(result.stdout) as { interactions: { ok: boolean; providerStates: string[]; mismatches: { message: string }[] }[] };
    expect(report.interactions.length).to.be.greaterThan(5);
    const failed = report.interactions.filter((interaction) => !interaction.ok);
    expect(failed.map((interaction) => interaction.providerStates)).to.deep.equal([['the inventory database is unreachable']]);
    expect(failed[0]?.mismatches[0]?.message).to.include('needs the embedded PostgreSQL Accord started');
  });

  it('fails (exit 1) when the running provider breaks a pact', async () => {
    const result = await verify([...running, '--pacts', fixture('unexpected-status-code'), '--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(1);
    expect((JSON.parse(result.stdout) as { ok: boolean }).ok).to.equal(false);
  });

  it('bad input: no database for the states, nothing listening, a selector that is not JSON', async () => {
    const noDatabase = await verify(['--provider-base-url', environment.service('service-b').url]);
    expect(noDatabase.exitCode).to.equal(2);
    // Found when the first state reads `db` (a provider without a database needs none): after the progress line.
    expect(noDatabase.stderr.split('\n').filter((line) => !line.startsWith('accord: verifying against'))).to.deep.equal([
      `accord: --provider-base-url ${environment.service('service-b').url}: the provider states need its database: pass --database-url URL (no accord up running here serves that URL)`,
    ]);
    const port = await getFreePort();
    const nothing = await verify(['--provider-base-url', `http://127.0.0.1:${port}`, '--database-url', backingServices(environment).databaseUrl]);
    expect(nothing.exitCode).to.equal(2);
    expect(nothing.stderr).to.equal(`accord: --provider-base-url http://127.0.0.1:${port}: nothing answers there (ECONNREFUSED): start the provider first`);
    const selector = await verify(['--from-broker', '--consumer-version-selector', '{branch:main}']);
    expect(selector.exitCode).to.equal(2);
    expect(selector.stderr).to.match(/^accord: --consumer-version-selector: expected a JSON object like '\{"branch":"main"\}', got "\{branch:main\}"/);
    const withoutBroker = await verify(['--consumer-version-branch', 'main']);
    expect(withoutBroker.exitCode).to.equal(2);
    expect(withoutBroker.stderr).to.include('add --from-broker (or --publish)');
  });

  it("--from-broker: verifies the pacts the selectors choose from Accord's broker and publishes nothing", async () => {
    const token = 'e2e-verify-fetch-only-token';
    await withBroker(token, async (broker, client) => {
      await publishPacts(client, { paths: [resolve(ROOT, fixture('unexpected-status-code'), 'pact.json')], consumerVersion: '1.5.0-wip', branch: 'feature-x' });
      const broken = ['--from-broker', '--broker-url', broker.url, '--broker-token', token, ...running];

      const main = await verify([...broken, '--consumer-version-branch', 'main', '--format', 'json']);
      expect(main.exitCode, main.stderr).to.equal(0);
      const feature = await verify([...broken, '--consumer-version-selector', '{"branch":"feature-x"}', '--format', 'json']);
      expect(feature.exitCode, feature.stderr).to.equal(1);
      // Through the environment's PACT_BROKER_* like the other broker commands.
      const viaEnv = await verify(['--from-broker', '--consumer-version-branch', 'main', ...running], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: token });
      expect(viaEnv.exitCode, viaEnv.stderr).to.equal(0);

      // Fetch-only: the broker knows of no verification of either version.
      for (const version of ['1.4.0', '1.5.0-wip']) {
        const matrix = await canIDeploy(client, { selectors: [{ pacticipant: 'service-a', version }] });
        expect(matrix.response.matrix.map((row) => row.verificationResult ?? null), version).to.deep.equal([null]);
      }
    });
  });

  it("--publish --provider-version --branch: verifies the broker's pacts and publishes the results there", async () => {
    const token = 'e2e-verify-publish-token';
    await withBroker(token, async (broker, client) => {
      const result = await verify([...running, '--publish', '--provider-version', '2.1.0', '--branch', 'main'], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: token });
      expect(result.exitCode, result.stderr).to.equal(0);
      expect(result.stdout).to.include(`verify: results published to ${broker.url} as service-b 2.1.0 on branch main`);
      const matrix = await canIDeploy(client, { selectors: [{ pacticipant: 'service-a', version: '1.4.0' }, { pacticipant: 'service-b', version: '2.1.0' }] });
      expect(matrix.response.matrix.map((row) => row.verificationResult?.success)).to.deep.equal([true]);
    });
  });
});
