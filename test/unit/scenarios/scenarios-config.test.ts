import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { buildTrace, FaultInjector, loadScenariosConfig, renderSequenceDiagram, requireCatalog, scenarioContext, scenarioTargets } from '../../../src/scenarios/index.js';
import type { Recording } from '../../../src/scenarios/index.js';
import { eventTargetsOf, paymentsTargetOf, retrySettingsOf, TABLES } from '../../../examples/orders/scenarios/system.js';
import { EXAMPLE_ROOT } from '../../support/accord.js';
import { EXAMPLE_ROLES } from './example-roles.js';

/** A config dir with a team's own services (no example name anywhere) and the given scenarios.yaml. */
async function teamConfig(dir: string, scenariosYaml: string | undefined) {
  await writeFile(
    join(dir, 'environment.yaml'),
    [
      'services:',
      '  stock-api:',
      '    command: node stock.js',
      '    secrets: [STOCK_TOKEN]',
      '  orders-api:',
      '    command: node orders.js',
      '    dependsOn: [stock-api]',
      '    env: { B_TIMEOUT_MS: 700, B_RETRIES: 1, B_RETRY_BASE_MS: 20, B_RETRY_MAX_MS: 300, RETRY_AFTER_SECONDS: 2 }',
      `envFile: ${join(dir, '.env')}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, '.env'), 'STOCK_TOKEN=team-token-123456\n');
  if (scenariosYaml !== undefined) await writeFile(join(dir, 'scenarios.yaml'), scenariosYaml);
  return loadConfig(dir, { env: {} });
}

const TEAM_SCENARIOS = [
  'catalog: ./checks/catalog.ts',
  'roles:',
  '  consumer: { service: orders-api, label: orders-api (checkout) }',
  '  provider: { service: stock-api, label: stock-api (warehouse) }',
  '',
].join('\n');

async function loadError(run: () => Promise<unknown>): Promise<{ message: string; details: string }> {
  try {
    await run();
  } catch (error) {
    if (!isAccordError(error, 'ACCORD_CONFIG_INVALID')) throw error;
    return { message: error.message, details: error.details ?? '' };
  }
  throw new Error('expected ACCORD_CONFIG_INVALID');
}

describe('scenarios: scenarios.yaml', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-scenarios-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the example's catalog, roles and labels; its tables are the catalog's own", async () => {
    const scenarios = await loadScenariosConfig(await loadConfig('config/integration', { env: {}, root: EXAMPLE_ROOT }));
    expect(scenarios.roles).to.deep.equal(EXAMPLE_ROLES);
    expect(scenarios.catalog).to.equal(join(EXAMPLE_ROOT, 'scenarios/index.ts'));
    // Moved from scenarios.yaml's `tables:` to the example's catalog (examples/orders/scenarios/system.ts).
    expect(TABLES).to.deep.equal({ items: 'items', reservations: 'reservations', shipments: 'shipments' });
  });

  it('a config without scenarios.yaml has no catalog, which is one line naming the file and key', async () => {
    const config = await teamConfig(dir, undefined);
    const scenarios = await loadScenariosConfig(config);
    expect(scenarios).to.deep.equal({ file: undefined, catalog: undefined, roles: undefined });
    const error = await loadError(async () => requireCatalog(config, scenarios));
    expect(error.message).to.match(/accord-scenarios-config-\w+\/scenarios\.yaml: catalog: required key is missing \(the module whose default export is the team's scenario catalog/);
  });

  it('names an unknown role, an unknown key and a service environment.yaml does not define, each with its line', async () => {
    const config = await teamConfig(dir, ['roles:', '  consumer: { service: orders-api, label: A }', '  provider: { service: stok-api, label: B }', '  tester: { service: orders-api, label: T }', 'tables: { items: products, reservations: holds }', ''].join('\n'));
    const first = await loadError(() => loadScenariosConfig(config));
    expect(first.details.split('\n').map((line) => line.trim().replace(/^.*\//, ''))).to.deep.equal([
      'scenarios.yaml:4: roles.tester: unknown key (expected one of: consumer, provider, worker)',
      'scenarios.yaml:5: tables: unknown key (expected one of: catalog, roles)',
    ]);
    await writeFile(join(dir, 'scenarios.yaml'), TEAM_SCENARIOS.replace('service: stock-api', 'service: stok-api'));
    const second = await loadError(() => loadScenariosConfig(config));
    expect(second.message.replace(/^.*\//, '')).to.equal('scenarios.yaml:4: roles.provider.service: unknown service "stok-api" (expected one of: stock-api, orders-api)');
  });

  it("honours a team's own service names: the targets, the secrets, the env and the diagram follow the config", async () => {
    const config = await teamConfig(dir, TEAM_SCENARIOS);
    const scenarios = await loadScenariosConfig(config);
    expect(scenarios.catalog).to.equal(join(config.root, 'checks/catalog.ts'));
    // A started environment's shape, as startEnvironment returns it; no process is needed to map names to services.
    const handle = (name: string) => ({ name, url: `http://127.0.0.1/${name}`, pid: undefined, logFile: `${name}.log`, kill: () => undefined, exited: async () => undefined, stop: async () => undefined, restart: async () => undefined });
    const services = new Map(['stock-api', 'orders-api'].map((name) => [name, handle(name)]));
    const env = { config, databaseUrl: 'postgres://db', postgres: {}, redis: {}, services, service: handle } as unknown as StartedEnvironment;
    const targets = scenarioTargets(env, scenarios);
    expect([targets.participants.consumer.service, targets.participants.provider.service]).to.deep.equal(['orders-api', 'stock-api']);
    expect([...targets.services.keys()]).to.deep.equal(['stock-api', 'orders-api']);
    expect(targets.services.get('stock-api')?.secrets).to.deep.equal(['STOCK_TOKEN']);
    const ctx = scenarioContext('team', targets, { pool: undefined, redis: undefined, faults: new FaultInjector(targets), recording: {} as Recording, point: async () => undefined });
    expect(ctx.secret('STOCK_TOKEN')).to.equal('team-token-123456');
    expect(ctx.service('orders-api').url).to.equal('http://127.0.0.1/orders-api');
    expect(() => ctx.service('nope')).to.throw('service "nope" is not part of this environment (started: stock-api, orders-api)');
    // A catalog reads its own settings from the env the config gives its services (the example's reader here).
    expect(retrySettingsOf(ctx.env('orders-api'), 'orders-api')).to.deep.equal({ timeoutMs: 700, retries: 1, retryBaseMs: 20, retryMaxMs: 300, retryAfterSeconds: 2 });
    // The system has no worker and no vendor stub: the example's probes find none.
    expect(eventTargetsOf(ctx)).to.equal(undefined);
    expect(paymentsTargetOf(ctx)).to.equal(undefined);
    expect(ctx.postgres).to.equal(undefined);
    expect(ctx.redis).to.equal(undefined);

    const at = (ms: number) => Date.parse('2026-01-01T00:00:01.000Z') + ms;
    const lines = [
      { service: 'orders-api', time: at(0), event: 'http.request', correlationId: 'cid-1', method: 'POST', url: '/orders' },
      { service: 'orders-api', time: at(3), event: 'upstream.call', correlationId: 'cid-1', method: 'POST', path: '/reservations', attempt: 1, statusCode: 201, durationMs: 2 },
      { service: 'stock-api', time: at(2), event: 'http.request', correlationId: 'cid-1', method: 'POST', url: '/reservations' },
      { service: 'stock-api', time: at(3), event: 'http.response', correlationId: 'cid-1', statusCode: 201 },
      { service: 'orders-api', time: at(4), event: 'http.response', correlationId: 'cid-1', statusCode: 200 },
    ];
    const diagram = renderSequenceDiagram(buildTrace('team', lines, at(0), at(10)), targets.participants);
    expect(diagram).to.include('  participant A as orders-api (checkout)\n  participant B as stock-api (warehouse)\n');
    expect(diagram).to.include('  C->>A: POST /orders');
    expect(diagram).to.include('  A->>B: POST /reservations (attempt 1)');
    expect(diagram).to.include('  B-->>A: 201 after 2 ms');
  });
});
