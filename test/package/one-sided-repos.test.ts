import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { AcceptanceReport } from '../../src/report/model.js';
import { npmInstall, packAccord } from '../support/pack.js';

const TOKEN = 'one-sided-read-write-token';

// The provider's repository: an HTTP service with its data in memory, its OpenAPI contract and
// its provider states; no database, no cache, no consumer tests, no pacts of its own.
const PROVIDER_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'product-service', private: true, type: 'module', scripts: { start: 'node server.mjs' } }, null, 2),
  'server.mjs': `import http from 'node:http';
const products = { 10: { id: '10', name: 'Widget', price: 9.5 } };
http.createServer((req, res) => {
  if (req.url === '/health') return res.writeHead(200).end('ok');
  const match = /^\\/products\\/(\\w+)$/.exec(req.url ?? '');
  const product = match ? products[match[1]] : undefined;
  if (!product) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product));
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
  'states.mjs': `import { defineProviderStates } from 'accord';
// The products live in the server's memory: product 10 is always there.
export default defineProviderStates({ 'product 10 exists': async () => {} });
`,
  // The contract declares a charset, the service sends none: the same media type.
  'openapi.yaml': `openapi: 3.0.3
info:
  title: Products
  version: 1.0.0
  description: The product catalogue.
servers:
  - url: http://127.0.0.1
paths:
  /products/{id}:
    get:
      operationId: getProduct
      summary: One product
      description: One product by its id.
      tags: [products]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: the product
          content:
            application/json;charset=utf-8:
              schema:
                type: object
                additionalProperties: false
                required: [id, name, price]
                properties:
                  id: { type: string }
                  name: { type: string }
                  price: { type: number }
        '404':
          description: no such product
          content:
            application/json:
              schema: { type: object, properties: { error: { type: string } } }
tags:
  - name: products
    description: the catalogue
`,
};

/** The consumer's Pact test, reading `fields` of product 10. */
function consumerTest(fields: Record<string, unknown>): string {
  return `import { MatchersV3, PactV3 } from '@pact-foundation/pact';
const pact = new PactV3({ consumer: 'web', provider: 'product-service', dir: 'pacts', logLevel: 'error' });
pact
  .given('product 10 exists')
  .uponReceiving('a request for product 10')
  .withRequest({ method: 'GET', path: '/products/10' })
  .willRespondWith({ status: 200, headers: { 'Content-Type': 'application/json' }, body: MatchersV3.like(${JSON.stringify(fields)}) });
await pact.executeTest(async (mock) => {
  const product = await (await fetch(mock.url + '/products/10')).json();
  for (const field of ${JSON.stringify(Object.keys(fields))}) if (product[field] === undefined) throw new Error('no ' + field);
});
`;
}

/** `accord broker serve` on a free port, its state under `dataDir`. */
function serve(bin: string, dataDir: string, cwd: string) {
  return execa(bin, ['broker', 'serve', '--port', '0', '--format', 'json', '--data-dir', dataDir], { cwd, env: { ACCORD_BROKER_READ_WRITE_TOKEN: TOKEN }, reject: false, buffer: false });
}

/**
 * A provider and a consumer in two git repositories of their own, each set up with `accord init`
 * and gated with `accord gate` from the installed package, sharing one `accord broker serve`:
 * the consumer needs no environment (its pacts meet the provider's contract in the broker), the
 * provider verifies the pacts the broker holds; each passes, and fails when it should.
 */
describe('one-sided repositories, with Accord installed from the tarball', function () {
  this.timeout(900_000);
  let dir: string;
  let bin: string;
  let provider: string;
  let consumer: string;
  let broker: ReturnType<typeof serve> | undefined;
  let brokerUrl: string;

  const git = (cwd: string, args: string[]) => execa('git', ['-c', 'user.name=Accord Test', '-c', 'user.email=test@example.com', ...args], { cwd });
  const accord = (cwd: string, args: string[]) =>
    execa(bin, args, { cwd, reject: false, all: true, env: { CI: 'true', NO_COLOR: '1', PACT_BROKER_BASE_URL: brokerUrl, PACT_BROKER_TOKEN: TOKEN, ACCORD_BROKER_READ_WRITE_TOKEN: TOKEN } });
  const report = async (reportDir: string) => JSON.parse(await readFile(path.join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
  const statuses = (acceptance: AcceptanceReport) => Object.fromEntries(acceptance.steps.map((step) => [step.id, step.details?.notApplicable === undefined ? step.status : 'n/a']));
  async function repository(name: string, files: Record<string, string>): Promise<string> {
    const root = path.join(dir, name);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
    await git(root, ['init', '-q', '-b', 'main']);
    await git(root, ['add', '.']);
    await git(root, ['commit', '-q', '-m', 'initial']);
    return root;
  }
  async function commit(root: string, message: string): Promise<void> {
    await git(root, ['add', '.']);
    await git(root, ['commit', '-q', '-m', message]);
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'accord-one-sided-'));
    // One install both repositories find by walking up, as a monorepo's would be.
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'one-sided', private: true }));
    await npmInstall(dir, ['--save-dev', await packAccord(dir)]);
    bin = path.join(dir, 'node_modules', '.bin', 'accord');
    provider = await repository('provider', PROVIDER_FILES);
    consumer = await repository('consumer', {
      'package.json': JSON.stringify({ name: 'web', private: true, type: 'module', scripts: { 'test:pact': 'node test/products.pact.mjs' } }, null, 2),
      'test/products.pact.mjs': consumerTest({ id: '10', name: 'Widget', price: 9.5 }),
      '.gitignore': 'pacts/\nreports/\n',
    });
    broker = serve(bin, path.join(dir, 'broker-data'), dir);
    brokerUrl = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`accord broker serve did not start: ${out}`)), 120_000);
      broker?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((candidate) => candidate.includes('"listening"'));
        if (line) {
          clearTimeout(timer);
          resolveUrl((JSON.parse(line) as { url: string }).url);
        }
      });
    });
  });
  after(async () => {
    if (broker) {
      broker.kill('SIGTERM');
      await broker;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sets up each repository with accord init: a config Accord loads, what it guessed and what is left', async () => {
    const providerInit = await accord(provider, ['init', '--role', 'provider']);
    expect(providerInit.exitCode, providerInit.all).to.equal(0);
    expect(providerInit.stdout).to.contain('the provider\'s start command: node server.mjs').and.contain('openapi.yaml').and.contain('provider states: states.mjs').and.contain('postgres: false');
    const consumerInit = await accord(consumer, ['init', '--role', 'consumer']);
    expect(consumerInit.exitCode, consumerInit.all).to.equal(0);
    expect(consumerInit.stdout).to.contain('consumer Pact tests: npm run test:pact');
    // Never overwrites: a second run with other content in place names the file, exit 2.
    await writeFile(path.join(consumer, 'config/integration/gate.yaml'), 'consumerTests: { command: npm test }\n');
    const again = await accord(consumer, ['init', '--role', 'consumer']);
    expect(again.exitCode).to.equal(2);
    expect(again.stderr.trim()).to.equal('accord: config/integration/gate.yaml already exists: accord init never overwrites a file (move it away, or edit it by hand)');
    await rm(path.join(consumer, 'config/integration/gate.yaml'));
    expect((await accord(consumer, ['init', '--role', 'consumer'])).exitCode).to.equal(0);
    await commit(provider, 'accord init');
    await commit(consumer, 'accord init');
    // The provider's CI publishes its contract (bi-directional): the consumers' pacts are checked against it.
    const published = await accord(provider, ['publish-provider-contract', 'openapi.yaml', '--provider', 'product-service', '-a', 'p1', '--branch', 'main', '--verification-success']);
    expect(published.exitCode, published.all).to.equal(0);
  });

  it("the consumer's gate: its Pact tests, no environment, the broker's check of its pact against the contract (pass)", async () => {
    const reportDir = path.join(dir, 'consumer-report-1');
    const result = await accord(consumer, ['gate', '--publish', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(0);
    const acceptance = await report(reportDir);
    expect(statuses(acceptance)).to.include({ 'consumer-tests': 'pass', 'contract-lint': 'n/a', 'pacts-vs-contract': 'n/a', environment: 'n/a', verify: 'n/a', schema: 'n/a', publish: 'pass', 'can-i-deploy': 'pass' });
    expect(acceptance.checklist.filter((item) => !item.notApplicable && !item.ok).map((item) => item.item)).to.deep.equal([]);
    expect(result.stdout).to.match(/checklist \d+\/\d+ ticked \(\d+ not applicable\)/);
  });

  it("the provider's gate: verifies the pacts the broker holds, without a database, publishes its contract and evidence (pass)", async () => {
    const reportDir = path.join(dir, 'provider-report-1');
    const result = await accord(provider, ['gate', '--publish', '--report-dir', reportDir]);
    expect(result.exitCode, result.all).to.equal(0);
    const acceptance = await report(reportDir);
    expect(statuses(acceptance)).to.include({ 'contract-lint': 'pass', 'consumer-tests': 'n/a', environment: 'pass', schema: 'n/a', verify: 'pass', scenarios: 'n/a', load: 'n/a', publish: 'pass', 'can-i-deploy': 'pass' });
    // Its consumers' pacts are theirs to publish: the provider publishes its contract and evidence only.
    expect(acceptance.steps.find((step) => step.id === 'publish')?.checks[0]?.message).to.match(/: 0 pacts, .*the provider contract, evidence of \d+ steps for product-service$/);
    // The verification of the broker's pacts is published back to them, as this provider version.
    expect(acceptance.steps.find((step) => step.id === 'verify')?.details?.published).to.include({ brokerUrl });
    expect(acceptance.steps.find((step) => step.id === 'verify')?.checks.map((check) => check.status)).to.deep.equal(['pass']);
  });

  it("a pact reading a field the provider's contract lacks: the consumer's gate says no, and so does the provider's", async () => {
    await writeFile(path.join(consumer, 'test/products.pact.mjs'), consumerTest({ id: '10', name: 'Widget', price: 9.5, colour: 'red' }));
    await commit(consumer, 'read the colour');
    const consumerReport = path.join(dir, 'consumer-report-2');
    const consumerRun = await accord(consumer, ['gate', '--publish', '--report-dir', consumerReport]);
    expect(consumerRun.exitCode, consumerRun.all).to.equal(1);
    const acceptance = await report(consumerReport);
    expect(statuses(acceptance)).to.include({ 'consumer-tests': 'pass', publish: 'pass', 'can-i-deploy': 'fail' });
    expect(consumerRun.stdout).to.contain('FAILED (can-i-deploy)');

    const providerReport = path.join(dir, 'provider-report-2');
    const providerRun = await accord(provider, ['gate', '--report-dir', providerReport]);
    expect(providerRun.exitCode, providerRun.all).to.equal(1);
    expect(statuses(await report(providerReport))).to.include({ verify: 'fail', schema: 'n/a' });
  });
});
