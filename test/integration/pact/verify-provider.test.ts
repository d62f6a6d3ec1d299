/**
 * runVerification against the live Service B on a migrated PostgreSQL and a real Redis:
 * one environment for the whole suite, one fixture pact per case (B's code is never touched).
 */
import { resolve } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { backingServices, startEnvironment } from '../../../src/env/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { canIDeploy, createBrokerClient, publishPacts, startBroker } from '../../../src/broker/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { defineProviderStates, loadPactFiles, loadProviderStates, loadResponseConformance, runVerification } from '../../../src/pact/index.js';
import type { ProviderStateHandler, ProviderStates, ResponseConformance, VerifyResult } from '../../../src/pact/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => resolve(ROOT, 'test/fixtures/pact', name);

describe('pact verification against the live Service B', function () {
  this.timeout(240_000);
  let environment: StartedEnvironment;
  let states: ProviderStates;
  let contract: ResponseConformance;
  let token: string | undefined;

  before(async () => {
    const config = await loadConfig('config/integration', { root: resolve(ROOT, 'examples/orders') });
    token = config.secrets.SERVICE_B_TOKEN;
    states = await loadProviderStates(resolve(ROOT, 'examples/orders/states/inventory.ts'), ROOT);
    contract = await loadResponseConformance(resolve(ROOT, 'examples/orders/contracts/service-a-to-b.yaml'), ROOT);
    environment = await startEnvironment(config, { services: ['service-b'], freePorts: true, logDir: resolve(ROOT, 'reports/logs/pact-integration') });
  });

  after(async () => {
    await environment?.stop();
  });

  async function verify(pacts: string, conformance: ResponseConformance = contract): Promise<VerifyResult> {
    return runVerification({
      provider: 'service-b',
      providerBaseUrl: environment.service('service-b').url,
      source: { kind: 'files', pacts: await loadPactFiles(pacts, { provider: 'service-b', cwd: ROOT }) },
      states,
      databaseUrl: environment.databaseUrl,
      redisUrl: backingServices(environment).redis.url,
      postgres: { halt: () => backingServices(environment).postgres.halt(), resume: () => backingServices(environment).postgres.resume() },
      token,
      conformance,
      cwd: ROOT,
    });
  }

  it('passes for the committed pact of Service A, every response conforming to the contract', async () => {
    const result = await verify(resolve(ROOT, 'examples/orders/pacts'));
    const failures = result.interactions.filter((interaction) => !interaction.ok);
    expect(failures, JSON.stringify(failures, null, 2)).to.deep.equal([]);
    expect(result.ok).to.equal(true);
    expect(result.interactions.length).to.be.greaterThanOrEqual(12);
    expect(result.interactions.map((interaction) => interaction.description)).to.include('a reservation while the inventory database is down');
  });

  it('fails naming the interaction and the field when the pact expects a field B does not return', async () => {
    const result = await verify(fixture('field-missing-in-response'));
    expect(result.ok).to.equal(false);
    const [interaction] = result.interactions;
    expect(interaction?.description).to.equal('a request for an item with a colour');
    expect(interaction?.ok).to.equal(false);
    const body = interaction?.mismatches.find((mismatch) => mismatch.attribute === 'body');
    expect(body?.message).to.match(/missing the following keys: color/);
  });

  it('fails when the pact expects another status code', async () => {
    const result = await verify(fixture('unexpected-status-code'));
    expect(result.ok).to.equal(false);
    expect(result.interactions[0]?.mismatches).to.deep.include({ attribute: 'status', location: 'status', message: 'expected 201 but was 200' });
  });

  it('fails when a response breaks the contract in a field the pact does not check', async () => {
    const variant = await loadResponseConformance(fixture('response-violates-contract/contract.yaml'), ROOT);
    const strict = await verify(fixture('response-violates-contract'), variant);
    expect(strict.ok).to.equal(false);
    const [interaction] = strict.interactions;
    expect(interaction?.mismatches).to.have.length(1);
    expect(interaction?.mismatches[0]).to.include({ attribute: 'contract', location: '$.name' });
    expect(interaction?.mismatches[0]?.message).to.match(/must NOT have more than 3 characters/);
    // The same pact and response against the real contract: the pact alone was satisfied.
    const real = await verify(fixture('response-violates-contract'));
    expect(real.ok).to.equal(true);
  });

  for (const order of ['state-leak-exists-first', 'state-leak-absent-first']) {
    it(`starts every interaction from a clean database and cache (${order})`, async () => {
      const result = await verify(fixture(order));
      const expectedFirst = order === 'state-leak-exists-first' ? 'a request for an item that exists' : 'a request for an item that does not exist';
      expect(result.interactions.map((interaction) => interaction.description)[0]).to.equal(expectedFirst);
      expect(result.interactions.map((interaction) => [interaction.description, interaction.ok])).to.deep.equal(
        result.interactions.map((interaction) => [interaction.description, true]),
      );
      expect(result.ok).to.equal(true);
    });
  }

  it('publishes the results to a Pact Broker API with --publish semantics (pacts read from the broker), and reads no broker when given files', async () => {
    const brokerToken = 'verify-publish-test-token';
    const broker = await startBroker({
      databaseUrl: await backingServices(environment).postgres.createDatabase('accord_broker_verify_test'),
      auth: { readOnlyTokens: [], readWriteTokens: [brokerToken] },
      logger: false,
    });
    try {
      const client = createBrokerClient({ baseUrl: broker.url, token: brokerToken });
      await publishPacts(client, { paths: [resolve(fixture('state-leak-exists-first'), 'pact.json')], consumerVersion: '1.0.0', branch: 'main' });
      const result = await runVerification({
        provider: 'service-b',
        providerBaseUrl: environment.service('service-b').url,
        source: { kind: 'broker', url: broker.url, token: brokerToken, consumerVersionSelectors: [{ branch: 'main' }] },
        states,
        databaseUrl: environment.databaseUrl,
        redisUrl: backingServices(environment).redis.url,
        token,
        conformance: contract,
        publish: { providerVersion: '2.0.0', branch: 'main' },
        cwd: ROOT,
      });
      expect(result.ok, JSON.stringify(result.interactions, null, 2)).to.equal(true);
      expect(result.interactions.map((interaction) => interaction.providerStates)).to.deep.equal([['an item exists'], ['no item exists']]);
      expect(result.published).to.deep.equal({ brokerUrl: broker.url, providerVersion: '2.0.0', branch: 'main' });
      const matrix = await canIDeploy(client, { selectors: [{ pacticipant: 'service-a', version: '1.0.0' }, { pacticipant: 'service-b', version: '2.0.0' }] });
      expect(matrix.response.matrix.map((row) => row.verificationResult?.success)).to.deep.equal([true]);

      // Pact files given, and a shell naming this broker (as a webhook's `verify --pact-url` job's
      // does): pact's native verifier would add the broker's pacts of its own accord; only the
      // files are verified.
      const saved = { url: process.env.PACT_BROKER_BASE_URL, token: process.env.PACT_BROKER_TOKEN };
      process.env.PACT_BROKER_BASE_URL = broker.url;
      process.env.PACT_BROKER_TOKEN = brokerToken;
      try {
        const files = await verify(fixture('field-missing-in-response'));
        expect(files.interactions.map((interaction) => interaction.description)).to.deep.equal(['a request for an item with a colour']);
      } finally {
        for (const [name, value] of [['PACT_BROKER_BASE_URL', saved.url], ['PACT_BROKER_TOKEN', saved.token]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    } finally {
      await broker.stop();
    }
  });

  it('would leak state through B\'s item cache without the reset (control for the test above)', async () => {
    const withoutCacheReset = defineProviderStates({
      'an item exists': states.get('an item exists') as ProviderStateHandler,
      'no item exists': states.get('no item exists') as ProviderStateHandler,
    });
    const result = await runVerification({
      provider: 'service-b',
      providerBaseUrl: environment.service('service-b').url,
      source: { kind: 'files', pacts: await loadPactFiles(fixture('state-leak-exists-first'), { provider: 'service-b', cwd: ROOT }) },
      states: withoutCacheReset,
      databaseUrl: environment.databaseUrl,
      redisUrl: backingServices(environment).redis.url,
      token,
      cwd: ROOT,
    });
    expect(result.interactions.map((interaction) => interaction.ok)).to.deep.equal([true, false]);
    expect(result.interactions[1]?.mismatches).to.deep.include({ attribute: 'status', location: 'status', message: 'expected 404 but was 200' });
  });

  it('refuses a pact whose provider state has no handler, naming the state', async () => {
    const error = await verify(fixture('unknown-provider-state')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isAccordError(error, 'ACCORD_PROVIDER_STATE_MISSING')).to.equal(true);
    expect((error as Error).message).to.match(/no handler for provider state "a warehouse exists"/);
  });
});
