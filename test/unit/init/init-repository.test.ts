import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { loadGateConfig } from '../../../src/gate/index.js';
import { initRepository, planConfig, scanRepository, serviceKey } from '../../../src/init/index.js';

const OPENAPI = 'openapi: 3.0.3\ninfo: { title: products, version: 1.0.0 }\npaths: {}\n';

async function put(root: string, file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

describe('accord init', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'accord-init-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a TypeScript provider with Prisma migrations: its start script, contract, states, database and pacticipant', async () => {
    await put(root, 'package.json', JSON.stringify({ name: '@acme/product-service', scripts: { start: 'node dist/server.js', test: 'jest' }, dependencies: { '@prisma/client': '5', ioredis: '5' } }));
    await put(root, 'api/openapi.yaml', OPENAPI);
    await put(root, 'api/events.yaml', 'asyncapi: 3.0.0\ninfo: { title: events, version: 1.0.0 }\n');
    await put(root, 'prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n');
    await put(root, 'prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE products (id text primary key);\n');
    await put(root, 'test/pact/states.ts', 'export default {};\n');
    await put(root, 'pacts/web-ProductService.json', JSON.stringify({ consumer: { name: 'web' }, provider: { name: 'ProductService' }, interactions: [] }));
    await put(root, 'node_modules/x/openapi.yaml', OPENAPI);

    const scan = await scanRepository(root);
    expect(scan.openApi).to.deep.equal(['api/openapi.yaml']);
    expect(scan.asyncApi).to.deep.equal(['api/events.yaml']);
    expect(scan.migrations).to.deep.equal([{ dir: 'prisma/migrations', tool: 'prisma' }]);
    expect(scan.pactDirs).to.deep.equal([{ dir: 'pacts', consumers: ['web'], providers: ['ProductService'] }]);

    const result = await initRepository({ root, role: 'provider' });
    expect(result.written).to.deep.equal(['config/integration/environment.yaml', 'config/integration/contracts.yaml', 'config/integration/pacts.yaml', 'config/integration/gate.yaml']);
    expect(result.guessed.join('\n')).to.contain('node dist/server.js').and.contain('npx prisma migrate deploy').and.contain('api/openapi.yaml').and.contain('test/pact/states.ts');
    // What init writes loads with Accord's own loader, and says what it guessed.
    const config = await loadConfig('config/integration', { root, env: {} });
    const service = config.environment.services.get('product-service');
    expect(service?.command).to.deep.equal(['node', 'dist/server.js']);
    expect(service?.pacticipant).to.equal('ProductService');
    expect(service?.uses).to.deep.equal([{ kind: 'database', name: 'product-service' }, { kind: 'cache', name: 'redis' }]);
    expect(config.environment.postgres.enabled).to.equal(true);
    expect(config.environment.postgres.migrationCommand?.line).to.equal('npx prisma migrate deploy');
    expect(config.environment.redis.enabled).to.equal(true);
    expect(config.contracts.path).to.equal(path.join(root, 'api/openapi.yaml'));
    expect(config.pacts.verify.states).to.equal(path.join(root, 'test/pact/states.ts'));
    const gate = await loadGateConfig(config);
    // The provider's pacts are in the repository: verified from there, not the broker.
    expect(gate.verify.fromBroker).to.equal(false);
    expect(gate.canIDeploy).to.deep.equal({ toEnvironment: undefined });
    expect(gate.consumerTests.command).to.equal(undefined);
  });

  it('a provider without a database, pacts or start script: postgres and redis false, the broker, and the gaps listed', async () => {
    await put(root, 'package.json', JSON.stringify({ name: 'MoviesAPI', scripts: { start: 'PORT=8080 node server.js' }, dependencies: { express: '4' } }));
    const plan = planConfig(await scanRepository(root), 'provider');
    await initRepository({ root, role: 'provider' });
    const config = await loadConfig('config/integration', { root, env: {} });
    expect(config.environment.postgres.enabled).to.equal(false);
    expect(config.environment.redis.enabled).to.equal(false);
    // A script that needs a shell runs through npm.
    expect(config.environment.services.get('moviesapi')?.command).to.deep.equal(['npm', 'run', 'start']);
    expect((await loadGateConfig(config)).verify.fromBroker).to.equal(true);
    expect(plan.todo.join('\n')).to.contain('contracts.yaml: path').and.contain('verify.states').and.contain('pacticipant');
  });

  it('a consumer: its Pact tests and can-i-deploy, no environment and no contract of its own', async () => {
    await put(root, 'package.json', JSON.stringify({ name: 'web', scripts: { test: 'jest', 'test:pact': 'jest pact' }, devDependencies: { '@pact-foundation/pact': '12' } }));
    await put(root, 'docs/provider-openapi.yaml', OPENAPI);
    const result = await initRepository({ root, role: 'consumer' });
    expect(result.written).to.deep.equal(['config/integration/environment.yaml', 'config/integration/pacts.yaml', 'config/integration/gate.yaml']);
    const config = await loadConfig('config/integration', { root, env: { DATABASE_URL: 'postgres://elsewhere/db' } });
    expect(config.environment.services.size).to.equal(0);
    expect(config.environment.postgres.enabled).to.equal(false);
    expect(config.environment.postgres.url).to.equal(undefined);
    expect(config.contracts.path).to.equal(undefined);
    const gate = await loadGateConfig(config);
    expect(gate.consumerTests.command).to.equal('npm run test:pact');
    expect(gate.verify.provider).to.equal(undefined);
    expect(result.guessed.join('\n')).to.contain('not used: docs/provider-openapi.yaml');
  });

  it('a consumer running mocha directly has each test as a check', async () => {
    await put(root, 'package.json', JSON.stringify({ name: 'web', scripts: { test: 'mocha' }, devDependencies: { mocha: '11' } }));
    await put(root, 'test/products.pact.test.ts', '');
    expect(planConfig(await scanRepository(root), 'consumer').guessed).to.include('consumer Pact tests: mocha test/products.pact.test.ts');
  });

  it('never overwrites a file: exit-2 error naming it, nothing written; a rerun with nothing to change writes nothing', async () => {
    await put(root, 'package.json', JSON.stringify({ name: 'web', scripts: { test: 'jest' } }));
    await put(root, 'config/integration/gate.yaml', 'consumerTests: { command: mine }\n');
    const error = await initRepository({ root, role: 'consumer' }).then(() => undefined, (caught: unknown) => caught);
    expect(isAccordError(error) && error.code).to.equal('ACCORD_INIT_FILE_EXISTS');
    expect((error as Error).message).to.equal('config/integration/gate.yaml already exists: accord init never overwrites a file (move it away, or edit it by hand)');
    expect(await readFile(path.join(root, 'config/integration/gate.yaml'), 'utf8')).to.equal('consumerTests: { command: mine }\n');
    expect(await readFile(path.join(root, 'config/integration/pacts.yaml'), 'utf8').catch(() => 'absent')).to.equal('absent');

    await rm(path.join(root, 'config'), { recursive: true });
    expect((await initRepository({ root, role: 'consumer' })).written).to.have.length(3);
    expect((await initRepository({ root, role: 'consumer' })).written).to.deep.equal([]);
  });

  it('makes service keys from package names', () => {
    expect(serviceKey('@acme/ProductService')).to.equal('productservice');
    expect(serviceKey('my_api.v2')).to.equal('my-api-v2');
    expect(serviceKey(undefined)).to.equal('provider');
    expect(serviceKey('123')).to.equal('provider');
  });
});
