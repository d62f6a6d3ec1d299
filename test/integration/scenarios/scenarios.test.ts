import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEnvironment } from '../../../src/env/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { loadScenariosConfig, runScenarios, scenarioTargets, waitHealthy } from '../../../src/scenarios/index.js';
import SCENARIOS from '../../../examples/orders/scenarios/index.js';
import { db, postgresOf, retrySettingsOf, skuFor } from '../../../examples/orders/scenarios/system.js';
import type { InterferenceHook, ScenarioResult, ScenarioTargets, Trace } from '../../../src/scenarios/index.js';
import { alive, check, failedChecks, loadFixtureConfig } from './support.js';

// One environment for the whole file, with the short retry timings of the fast-retries config.
const CONFIG_DIR = 'test/fixtures/scenarios/fast-retries';
const RESTORED = 'every faulted process is back and healthy';

describe('scenarios against the live environment', function () {
  this.timeout(120_000);
  let env: StartedEnvironment;
  let targets: ScenarioTargets;
  let tracesDir: string;
  let logDir: string;

  const run = async (name: string, hook?: [string, InterferenceHook]): Promise<ScenarioResult> => {
    const hooks = hook ? { [name]: { [hook[0]]: hook[1] } } : {};
    const result = await runScenarios(SCENARIOS, targets, { only: [name], hooks, tracesDir });
    const [scenario] = result.scenarios;
    if (!scenario) throw new Error(`scenario ${name} did not run`);
    return scenario;
  };

  before(async () => {
    tracesDir = await mkdtemp(join(tmpdir(), 'accord-traces-'));
    // Logs of our own: another run of this suite on the machine must not write into the files we read.
    logDir = await mkdtemp(join(tmpdir(), 'accord-scenario-logs-'));
    env = await startEnvironment(await loadFixtureConfig(CONFIG_DIR), { freePorts: true, logDir });
    targets = scenarioTargets(env, await loadScenariosConfig(env.config));
  });

  after(async () => {
    const pids = [env?.postgres?.pid, env?.redis?.pid, ...[...(env?.services.values() ?? [])].map((s) => s.pid)];
    await env?.stop();
    // No orphans: every process the environment (and the faults) started is gone.
    expect(pids.filter(alive)).to.deep.equal([]);
    await rm(tracesDir, { recursive: true, force: true });
    await rm(logDir, { recursive: true, force: true });
  });

  // Each scenario of the catalog passing (every check, every fault undone, a trace recorded) is
  // proven once, by the suite's whole gate run (test/e2e/gate-publish.test.ts); here the checks
  // are shown to bite, one interference at a time.
  describe('a scenario run in process', () => {
    it('records the retries of scenario 2 in its trace, keyed by correlation id', async () => {
      // Its own run: the trace must not depend on an earlier test having run.
      const result = await run('b-unavailable');
      expect(failedChecks(result)).to.deep.equal([]);
      const trace = JSON.parse(await readFile(join(tracesDir, 'b-unavailable.json'), 'utf8')) as Trace;
      const outage = trace.correlations.find((c) => c.events.some((e) => e.event === 'upstream.exhausted'));
      const failedAttempts = outage?.events.filter((e) => e.event === 'upstream.call' && e.error === 'ECONNREFUSED') ?? [];
      expect(failedAttempts.map((e) => e.attempt)).to.deep.equal([1, 2, 3, 4].slice(0, retrySettingsOf(env.config.environment.services.get('service-a')?.env ?? {}, 'service-a').retries + 1));
      expect(outage?.events.find((e) => e.event === 'http.response' && e.service === 'service-a')).to.include({ statusCode: 503 });
    });
  });

  describe('each scenario notices interference (its checks bite)', () => {
    it('happy-path: a reservation row missing its integration fields fails the row check', async () => {
      const result = await run('happy-path', ['after-order', async (ctx) => void (await db(ctx).query('UPDATE reservations SET source_service = NULL WHERE sku = $1', [skuFor(ctx, 'happy')]))]);
      expect(check(result, 'the reservation row exists with the integration fields')).to.include({ ok: false, detail: 'source_service null (expected "service-a")' });
      expect(result.ok).to.equal(false);
    });

    it('b-unavailable: a table changed while B is down fails the no-corruption check', async () => {
      const result = await run('b-unavailable', ['b-down', async (ctx) => void (await db(ctx).query('UPDATE items SET stock = stock + 1 WHERE sku = $1', [skuFor(ctx, 'bdown')]))]);
      const corruption = check(result, 'no data corruption while B was down (every table checksum unchanged)');
      expect(corruption.ok).to.equal(false);
      expect(corruption.detail).to.match(/^tables changed while B was down: items /);
      expect(check(result, RESTORED).ok).to.equal(true);
    });

    it('b-hangs: a row written while B is frozen fails the nothing-written check', async () => {
      const result = await run('b-hangs', ['b-frozen', async (ctx) => void (await db(ctx).query("INSERT INTO reservations (sku, quantity, status) VALUES ($1, 1, 'active')", [skuFor(ctx, 'bhang')]))]);
      expect(check(result, 'nothing is written while B hangs (every table checksum unchanged)')).to.include({ ok: false, detail: 'tables changed while B hung: reservations' });
      expect(check(result, RESTORED).ok).to.equal(true);
    });

    it('data-consistency: a row changed in Postgres behind B\'s back is reported as a stale cache entry', async () => {
      const result = await run('data-consistency', ['after-writes', async (ctx) => void (await db(ctx).query('UPDATE items SET stock = stock - 1 WHERE sku = $1', [skuFor(ctx, 'consist')]))]);
      const stale = check(result, 'the Redis cache holds no stale stock');
      expect(stale.ok).to.equal(false);
      expect(stale.detail).to.match(/^stale cache entry: Redis says stock 13, Postgres says 12$/);
    });

    it('redis-down: Postgres stopped as well makes B fail its reads, and both are restored afterwards', async () => {
      const result = await run('redis-down', ['redis-down', async (ctx) => postgresOf(ctx).halt()]);
      expect(check(result, 'B answers item reads from Postgres while Redis is down').ok).to.equal(false);
      expect(check(result, RESTORED).ok).to.equal(true);
      expect(await waitHealthy(targets, 1000)).to.deep.equal([]);
    });

    it('postgres-down: a row that appears after the outage fails the no-partial-rows check', async () => {
      const result = await run('postgres-down', ['postgres-back', async (ctx) => void (await db(ctx).query("INSERT INTO reservations (sku, quantity, status, correlation_id) VALUES ($1, 1, 'active', 'partial')", [skuFor(ctx, 'pgdown')]))]);
      const partial = check(result, 'no partial rows appear afterwards');
      expect(partial.ok).to.equal(false);
      expect(partial.detail).to.match(/^after recovery: 1 reservation row\(s\) for the sku/);
    });

    it('concurrent-last-stock: more stock than seeded lets more than 10 orders through, which the checks report', async () => {
      const result = await run('concurrent-last-stock', ['before-orders', async (ctx) => void (await db(ctx).query('UPDATE items SET stock = 12 WHERE sku = $1', [skuFor(ctx, 'race')]))]);
      expect(check(result, 'exactly 10 orders succeed')).to.include({ ok: false });
      expect(check(result, 'exactly 10 orders succeed').detail).to.match(/^12 × 200 of 50 orders/);
      expect(check(result, 'the other 40 get 409').ok).to.equal(false);
    });

    it('a scenario that breaks off mid-fault still brings the stopped service back', async () => {
      const result = await run('b-unavailable', [
        'b-down',
        async () => {
          throw new Error('interrupted while B was down');
        },
      ]);
      expect(check(result, 'scenario ran to completion')).to.deep.equal({ name: 'scenario ran to completion', ok: false, detail: 'interrupted while B was down' });
      expect(check(result, RESTORED)).to.include({ ok: true });
      expect(check(result, RESTORED).detail).to.match(/^undid: restart service-b/);
      expect(alive(env.service('service-b').pid)).to.equal(true);
    });
  });
});
