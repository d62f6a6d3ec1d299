/**
 * `verifyProvider`: a team's own mocha test starts its provider in-process (the CommonJS
 * ProductService fixture: data in memory, bearer tokens that live one second) and verifies the
 * pacts pact-js style: state handlers that set in-memory data, hooks, a request filter that sends
 * a fresh token. The real pact verifier runs underneath; Accord adds the contract check and one
 * verdict, also in what it publishes to a broker.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { canIDeploy, createBrokerClient, publishPacts, startBroker } from '../../src/broker/index.js';
import { verifyProvider } from '../../src/index.js';
import type { FilteredRequest, VerifyProviderOptions, VerifyResult } from '../../src/index.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/shapes/product-service');
const PACTS = join(FIXTURE, 'pacts');
const CONTRACT = join(FIXTURE, 'contracts/openapi.yaml');
const PACT_CLI = resolve(import.meta.dirname, '../../node_modules/.bin/pact');

interface ProductApp {
  server: Server;
  products: Map<string, unknown>;
  issueToken(): string;
}
const { createApp } = createRequire(import.meta.url)(join(FIXTURE, 'src/app.js')) as { createApp: (options?: { omitPrice?: boolean }) => ProductApp };

async function listen(app: ProductApp): Promise<string> {
  await new Promise<void>((done) => app.server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** ProductService's verification as its team would write it, every option overridable. */
function options(app: ProductApp, baseUrl: string, overrides: Partial<VerifyProviderOptions> = {}): VerifyProviderOptions {
  return {
    provider: 'ProductService',
    baseUrl,
    pacts: PACTS,
    contract: CONTRACT,
    stateHandlers: {
      'product 10 exists': (params) => {
        app.products.set(String(params.id), { id: params.id, name: params.name, price: params.price });
        return Promise.resolve();
      },
      'no products exist': () => Promise.resolve(),
    },
    beforeEach: () => app.products.clear(),
    requestFilter: (request: FilteredRequest, _response, next) => {
      request.headers.authorization = `Bearer ${app.issueToken()}`;
      next();
    },
    ...overrides,
  };
}

const failures = (result: VerifyResult) => result.interactions.filter((interaction) => !interaction.ok).map((interaction) => interaction.mismatches.map((mismatch) => mismatch.message).join('; '));

describe('verifyProvider: a provider verified in-process from its own test', function () {
  this.timeout(180_000);
  let app: ProductApp;
  let baseUrl: string;
  let scratch: string;

  before(async () => {
    app = createApp();
    baseUrl = await listen(app);
    scratch = await mkdtemp(join(tmpdir(), 'accord-verify-in-process-'));
  });
  after(async () => {
    app?.server.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes: states set in-memory data, hooks run around each interaction, each request gets a fresh token', async () => {
    const calls: string[] = [];
    const result = await verifyProvider(options(app, baseUrl, { beforeEach: () => void (calls.push('before'), app.products.clear()), afterEach: () => void calls.push('after') }));
    expect(result.ok, JSON.stringify(result.interactions)).to.equal(true);
    expect(result.provider).to.equal('ProductService');
    expect(result.interactions.map((interaction) => [interaction.description, interaction.consumer])).to.deep.equal([
      ['a request for product 10', 'ProductWeb'],
      ['a request for a product that does not exist', 'ProductWeb'],
    ]);
    expect(calls).to.deep.equal(['before', 'after', 'before', 'after']);
  });

  it('fails without the request filter: the token in the pact expired long ago', async () => {
    const { requestFilter: _dropped, ...withoutFilter } = options(app, baseUrl);
    const result = await verifyProvider(withoutFilter);
    expect(result.ok).to.equal(false);
    expect(failures(result).join('\n')).to.match(/expected 200 but was 401/);
  });

  it('fails with a broken state handler, naming the state', async () => {
    const result = await verifyProvider(
      options(app, baseUrl, {
        stateHandlers: {
          'product 10 exists': () => Promise.reject(new Error('the product fixture is broken')),
          'no products exist': () => Promise.resolve(),
        },
      }),
    );
    expect(result.ok).to.equal(false);
    expect(failures(result)).to.deep.equal(['setup of provider state "product 10 exists" failed: the product fixture is broken']);
  });

  it('fails with a request filter that throws, naming the filter', async () => {
    const result = await verifyProvider(
      options(app, baseUrl, {
        requestFilter: () => {
          throw new Error('the token service is down');
        },
      }),
    );
    expect(result.ok).to.equal(false);
    expect(failures(result)).to.deep.equal(['the request filter failed: the token service is down', 'the request filter failed: the token service is down']);
  });

  it('fails when the pact expects a field the provider does not return', async () => {
    const pact = JSON.parse(await readFile(join(PACTS, 'ProductWeb-ProductService.json'), 'utf8')) as { interactions: { response: { body?: Record<string, unknown> } }[] };
    const first = pact.interactions[0];
    if (!first?.response.body) throw new Error('the fixture pact changed');
    first.response.body.sku = 'SOAP-10';
    const file = join(scratch, 'wrong-field.json');
    await writeFile(file, JSON.stringify(pact));
    const result = await verifyProvider(options(app, baseUrl, { pacts: [file] }));
    expect(result.ok).to.equal(false);
    expect(failures(result).join('\n')).to.include('sku');
  });

  it('bad input is an AccordError: nothing listening, no pacts for the provider, a state reading a database there is none of', async () => {
    const unreachable = await verifyProvider(options(app, 'http://127.0.0.1:9')).then(() => undefined, (error: Error) => error.message);
    expect(unreachable).to.match(/^verifyProvider: nothing answers at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): start the provider first$/);
    const wrongName = await verifyProvider(options(app, baseUrl, { provider: 'productservice' })).then(() => undefined, (error: Error) => error.message);
    expect(wrongName).to.match(/^no pact for provider "productservice"/);
    const database = await verifyProvider(
      options(app, baseUrl, { stateHandlers: { 'product 10 exists': async (_params, { db }) => void (await db.query('SELECT 1')), 'no products exist': () => Promise.resolve() } }),
    ).then(() => undefined, (error: Error & { code?: string }) => `${error.code}: ${error.message}`);
    expect(database).to.equal('ACCORD_USAGE: verifyProvider: a provider state of ProductService uses the database (db): pass databaseUrl');
  });

  describe('publishing to a broker: one verdict', () => {
    const token = 'e2e-verify-in-process-token';
    let broker: Awaited<ReturnType<typeof startBroker>>;
    let breaking: ProductApp;
    let breakingUrl: string;

    before(async () => {
      broker = await startBroker({ auth: { readOnlyTokens: [], readWriteTokens: [token] }, logger: false });
      await publishPacts(createBrokerClient({ baseUrl: broker.url, token }), { paths: [join(PACTS, 'ProductWeb-ProductService.json')], consumerVersion: '1.0.0', branch: 'main' });
      // Honours the pact (which does not mention price) but breaks the contract (price is required).
      breaking = createApp({ omitPrice: true });
      breakingUrl = await listen(breaking);
    });
    after(async () => {
      breaking?.server.close();
      await broker?.stop();
    });

    it('a response that breaks the contract publishes a failed verification with the mismatch, and can-i-deploy says no', async () => {
      const result = await verifyProvider(options(breaking, breakingUrl, { pacts: undefined, broker: { url: broker.url, token }, publish: { providerVersion: '2.0.0-bad', branch: 'main' } }));
      expect(result.ok).to.equal(false);
      expect(failures(result).join('\n')).to.include('price');

      const client = createBrokerClient({ baseUrl: broker.url, token });
      const matrix = await canIDeploy(client, { selectors: [{ pacticipant: 'ProductService', version: '2.0.0-bad' }, { pacticipant: 'ProductWeb', version: '1.0.0' }] });
      expect(matrix.deployable).to.equal(false);
      const href = matrix.response.matrix[0]?.verificationResult?._links?.self?.href;
      if (!href) throw new Error(`no verification in the matrix: ${JSON.stringify(matrix.response.matrix)}`);
      const published = await client.get<{ success: boolean; testResults?: { interactionDescription: string; success: boolean; mismatches?: { description: string }[] }[] }>(href);
      expect(published.success).to.equal(false);
      const failed = (published.testResults ?? []).filter((test) => !test.success);
      expect(failed.map((test) => test.interactionDescription)).to.deep.equal(['a request for product 10']);
      expect(JSON.stringify(failed[0]?.mismatches)).to.include('price');

      // The official pact CLI reads the same verdict.
      const official = await execa(PACT_CLI, ['broker', 'can-i-deploy', '-a', 'ProductService', '-e', '2.0.0-bad', '-a', 'ProductWeb', '-e', '1.0.0'], {
        reject: false,
        env: { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: token, NO_COLOR: '1' },
        all: true,
      });
      expect(official.exitCode, official.all).to.equal(1);
    });

    it('the conforming provider publishes a success, and can-i-deploy says yes', async () => {
      const result = await verifyProvider(options(app, baseUrl, { pacts: undefined, broker: { url: broker.url, token }, publish: { providerVersion: '2.0.0', branch: 'main' } }));
      expect(result.ok, failures(result).join('\n')).to.equal(true);
      const matrix = await canIDeploy(createBrokerClient({ baseUrl: broker.url, token }), { selectors: [{ pacticipant: 'ProductService', version: '2.0.0' }, { pacticipant: 'ProductWeb', version: '1.0.0' }] });
      expect(matrix.deployable).to.equal(true);
    });
  });
});
