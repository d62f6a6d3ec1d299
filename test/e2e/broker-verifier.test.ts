import { resolve } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import type { VerifierOptions } from '@pact-foundation/pact';
import { expect } from 'chai';
import { request } from 'undici';
import { loadConfig } from '../../src/config/index.js';
import { backingServices, startEnvironment } from '../../src/env/index.js';
import type { StartedEnvironment } from '../../src/env/index.js';
import { createDatabaseReset, loadProviderStates } from '../../src/pact/index.js';
import type { DatabaseReset, ProviderStates } from '../../src/pact/index.js';
import { WRITE_TOKEN, accord, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

const ROOT = resolve(import.meta.dirname, '../..');

// pact-js's Verifier (pact_verifier via the FFI) against `accord broker serve`, verifying the real
// Service B: pactBrokerUrl, consumer version selectors, pending and WIP pacts, published results.
describe('accord broker serve with the pact-js Verifier and the real Service B', function () {
  this.timeout(240_000);
  let environment: StartedEnvironment;
  let broker: ServedBroker;
  let states: ProviderStates;
  let reset: DatabaseReset;
  let token: string | undefined;

  before(async () => {
    const config = await loadConfig('config/integration', { root: resolve(ROOT, 'examples/orders') });
    token = config.secrets.SERVICE_B_TOKEN;
    states = await loadProviderStates(resolve(ROOT, 'examples/orders/states/inventory.ts'), ROOT);
    environment = await startEnvironment(config, { services: ['service-b'], freePorts: true, logDir: resolve(ROOT, 'reports/logs/broker-verifier') });
    reset = await createDatabaseReset({ databaseUrl: backingServices(environment).databaseUrl, redisUrl: backingServices(environment).redis.url, redisKeys: states.cacheKeys });
    broker = await serveBroker({ databaseUrl: await backingServices(environment).postgres.createDatabase('broker_e2e_verifier') });
    // Main branch: the committed pact of Service A. A feature branch: a pact B cannot satisfy (a WIP pact).
    const main = await accord(broker.url, ['publish', 'pacts/service-a-service-b.json', '-a', '1.0.0', '--branch', 'main']);
    expect(main.exitCode, main.all).to.equal(0);
    const feature = await accord(broker.url, ['publish', 'test/fixtures/pact/field-missing-in-response/pact.json', '-a', '1.1.0-colour', '--branch', 'feat-colour']);
    expect(feature.exitCode, feature.all).to.equal(0);
  });

  after(async () => {
    await broker?.stop();
    await reset?.close();
    await environment?.stop();
  });

  function verifierOptions(): VerifierOptions {
    const stateHandlers: Record<string, { setup: (params?: unknown) => Promise<unknown>; teardown: (params?: unknown) => Promise<unknown> }> = {};
    for (const name of states.names) {
      const handler = states.get(name);
      // The "database is unreachable" state halts and resumes the environment's PostgreSQL.
      const postgres = { halt: () => backingServices(environment).postgres.halt(), resume: () => backingServices(environment).postgres.resume() };
      const context = (params: Record<string, unknown>) => ({ params, baseUrl: environment.service('service-b').url, db: reset.pool, pool: reset.pool, redis: undefined, postgres });
      stateHandlers[name] = {
        setup: async (params) => (await handler?.setup((params ?? {}) as Record<string, unknown>, context((params ?? {}) as Record<string, unknown>))) ?? undefined,
        teardown: async (params) => (await handler?.teardown?.((params ?? {}) as Record<string, unknown>, context((params ?? {}) as Record<string, unknown>))) ?? undefined,
      };
    }
    const options = {
      provider: 'service-b',
      providerBaseUrl: environment.service('service-b').url,
      pactBrokerUrl: broker.url,
      pactBrokerToken: WRITE_TOKEN,
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      enablePending: true,
      includeWipPactsSince: '2020-01-01',
      providerVersion: '3.0.0',
      providerVersionBranch: 'main',
      publishVerificationResult: true,
      logLevel: 'error',
      stateHandlers,
      beforeEach: async () => {
        await reset.reset();
      },
      // B requires its bearer token on every route but /health.
      requestFilter: (req: { headers: Record<string, string> }, _res: unknown, next: () => void) => {
        if (token) req.headers.authorization = `Bearer ${token}`;
        next();
      },
    };
    // pact-js types stateHandlers/requestFilter with express types this project does not install.
    return options as unknown as VerifierOptions;
  }

  it('verifies the selected pacts, tolerates the failing WIP pact as pending, and publishes the results', async () => {
    // Resolves: the only failure is in a pending (WIP) pact.
    await new Verifier(verifierOptions()).verifyProvider();

    const headers = { authorization: `Bearer ${WRITE_TOKEN}`, accept: 'application/hal+json' };
    const matrix = async (version: string) => {
      const response = await request(`${broker.url}/matrix?q[][pacticipant]=service-a&q[][version]=${version}&q[][pacticipant]=service-b&q[][version]=3.0.0&latestby=cvpv`, { headers });
      return (await response.body.json()) as { summary: { deployable: boolean | null }; matrix: Array<{ verificationResult: { success: boolean } | null }> };
    };
    const mainResult = await matrix('1.0.0');
    expect(mainResult.summary.deployable).to.equal(true);
    expect(mainResult.matrix[0]?.verificationResult?.success).to.equal(true);
    // The WIP pact was verified too, failed, and that failure was published (the consumer stays blocked).
    const wipResult = await matrix('1.1.0-colour');
    expect(wipResult.summary.deployable).to.equal(false);

    // The Verifier recorded the provider version on its branch through pb:branch-version.
    const version = await request(`${broker.url}/pacticipants/service-b/versions/3.0.0`, { headers });
    const body = (await version.body.json()) as { _embedded: { branchVersions: Array<{ name: string }> } };
    expect(body._embedded.branchVersions.map((b) => b.name)).to.include('main');

    // With main verified by branch main, the main pact is no longer pending for that branch.
    const forVerification = await request(`${broker.url}/pacts/provider/service-b/for-verification`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ providerVersionBranch: 'main', includePendingStatus: true, consumerVersionSelectors: [{ mainBranch: true }] }),
    });
    const pacts = ((await forVerification.body.json()) as { _embedded: { pacts: Array<{ verificationProperties: { pending: boolean } }> } })._embedded.pacts;
    expect(pacts.map((p) => p.verificationProperties.pending)).to.deep.equal([false]);

    const canIDeploy = await accord(broker.url, ['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '-a', 'service-b', '-e', '3.0.0']);
    expect(canIDeploy.exitCode, canIDeploy.all).to.equal(0);
  });
});
