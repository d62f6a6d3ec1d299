import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { buildTrace, loadScenariosConfig, renderSequenceDiagram, scenarioTargets } from '../../../src/scenarios/index.js';
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
  'roles:',
  '  consumer: { service: orders-api, label: orders-api (checkout) }',
  '  provider: { service: stock-api, label: stock-api (warehouse) }',
  'tables: { items: products, reservations: holds, shipments: parcels }',
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

  it("gives the example's roles, labels and tables", async () => {
    const scenarios = await loadScenariosConfig(await loadConfig('config/integration', { env: {} }));
    expect(scenarios.roles).to.deep.equal({ ...EXAMPLE_ROLES, vendorStub: { service: 'payments-stub' } });
    expect(scenarios.tables).to.deep.equal({ items: 'items', reservations: 'reservations', shipments: 'shipments' });
  });

  it('a config without scenarios.yaml is one line naming the file and key', async () => {
    const config = await teamConfig(dir, undefined);
    const error = await loadError(() => loadScenariosConfig(config));
    expect(error.message).to.match(/accord-scenarios-config-\w+\/scenarios\.yaml: roles: required key is missing \(which service plays the consumer, the provider and the worker the scenarios drive\)$/);
  });

  it('names an unknown role, a missing required key and a service environment.yaml does not define, each with its line', async () => {
    const config = await teamConfig(dir, ['roles:', '  consumer: { service: orders-api, label: A }', '  provider: { service: stok-api, label: B }', '  tester: { service: orders-api, label: T }', 'tables: { items: products, reservations: holds }', ''].join('\n'));
    const first = await loadError(() => loadScenariosConfig(config));
    expect(first.details.split('\n').map((line) => line.trim().replace(/^.*\//, ''))).to.deep.equal([
      'scenarios.yaml:4: roles.tester: unknown key (expected one of: consumer, provider, worker, vendorStub)',
      'scenarios.yaml:5: tables.shipments: required key is missing',
    ]);
    await writeFile(join(dir, 'scenarios.yaml'), TEAM_SCENARIOS.replace('service: stock-api', 'service: stok-api'));
    const second = await loadError(() => loadScenariosConfig(config));
    expect(second.message.replace(/^.*\//, '')).to.equal('scenarios.yaml:3: roles.provider.service: unknown service "stok-api" (expected one of: stock-api, orders-api)');
  });

  it("honours a team's own service and table names: the targets, the token, the retries and the diagram follow scenarios.yaml", async () => {
    const config = await teamConfig(dir, TEAM_SCENARIOS);
    const scenarios = await loadScenariosConfig(config);
    // A started environment's shape, as startEnvironment returns it; no process is needed to map roles to services.
    const handle = (name: string) => ({ name, url: `http://127.0.0.1/${name}`, pid: undefined, logFile: `${name}.log`, kill: () => undefined, exited: async () => undefined, stop: async () => undefined, restart: async () => undefined });
    const env = { config, databaseUrl: 'postgres://db', postgres: {}, redis: {}, service: handle } as unknown as StartedEnvironment;
    const targets = scenarioTargets(env, scenarios);
    expect([targets.serviceA.name, targets.serviceB.name]).to.deep.equal(['orders-api', 'stock-api']);
    expect(targets.serviceBToken).to.equal('team-token-123456');
    expect(targets.retry).to.deep.equal({ timeoutMs: 700, retries: 1, retryBaseMs: 20, retryMaxMs: 300, retryAfterSeconds: 2 });
    expect(targets.tables).to.deep.equal({ items: 'products', reservations: 'holds', shipments: 'parcels' });
    expect(targets.events).to.equal(undefined);
    expect(targets.payments).to.equal(undefined);

    const at = (ms: number) => Date.parse('2026-01-01T00:00:01.000Z') + ms;
    const lines = [
      { service: 'orders-api', time: at(0), event: 'http.request', correlationId: 'cid-1', method: 'POST', url: '/orders' },
      { service: 'orders-api', time: at(3), event: 'b.call', correlationId: 'cid-1', method: 'POST', path: '/reservations', attempt: 1, statusCode: 201, durationMs: 2 },
      { service: 'stock-api', time: at(2), event: 'http.request', correlationId: 'cid-1', method: 'POST', url: '/reservations' },
      { service: 'stock-api', time: at(3), event: 'http.response', correlationId: 'cid-1', statusCode: 201 },
      { service: 'orders-api', time: at(4), event: 'http.response', correlationId: 'cid-1', statusCode: 200 },
    ];
    const diagram = renderSequenceDiagram(buildTrace('team', lines, at(0), at(10)), targets.roles);
    expect(diagram).to.include('  participant A as orders-api (checkout)\n  participant B as stock-api (warehouse)\n');
    expect(diagram).to.include('  C->>A: POST /orders');
    expect(diagram).to.include('  A->>B: POST /reservations (attempt 1)');
    expect(diagram).to.include('  B-->>A: 201 after 2 ms');
  });
});
