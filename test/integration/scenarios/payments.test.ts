import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEnvironment } from '../../../src/env/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { loadScenariosConfig, runScenarios, scenarioTargets, withServiceEnv } from '../../../src/scenarios/index.js';
import SCENARIOS from '../../../examples/orders/scenarios/index.js';
import type { InterferenceHook, ScenarioResult } from '../../../src/scenarios/index.js';
import { alive, check, failedChecks, loadFixtureConfig } from './support.js';

// The fast-retries config, as the other scenario tests use it; A's payment settings come from it too.
const CONFIG_DIR = 'test/fixtures/scenarios/fast-retries';
const RESTORED = 'every faulted process is back and healthy';
const CANCEL_VOIDS = "the cancel voided the order's payment at the vendor, the second cancel nothing more";

/**
 * Starts an environment whose Service A runs with `testBreak` (SERVICE_A_TEST_BREAK: a checkout
 * guarantee switched off on purpose, or none) for the enclosing describe; returns how to run one scenario on it.
 */
function withEnvironment(testBreak: string | undefined) {
  let env: StartedEnvironment | undefined;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-payment-scenarios-'));
    const config = await loadFixtureConfig(CONFIG_DIR);
    const broken = testBreak === undefined ? config : withServiceEnv(config, { 'service-a': { SERVICE_A_TEST_BREAK: testBreak } });
    env = await startEnvironment(broken, { freePorts: true, logDir: join(dir, 'logs') });
  });
  after(async () => {
    const pids = [env?.postgres?.pid, env?.redis?.pid, ...[...(env?.services.values() ?? [])].map((s) => s.pid)];
    await env?.stop();
    expect(pids.filter(alive)).to.deep.equal([]);
    await rm(dir, { recursive: true, force: true });
  });
  return async (scenario: string, hook?: [string, InterferenceHook]): Promise<ScenarioResult> => {
    if (!env) throw new Error('the environment did not start');
    const hooks = hook ? { [scenario]: { [hook[0]]: hook[1] } } : {};
    const result = await runScenarios(SCENARIOS, scenarioTargets(env, await loadScenariosConfig(env.config)), { only: [scenario], hooks, tracesDir: join(dir, 'traces') });
    const [only] = result.scenarios;
    if (!only) throw new Error(`scenario ${scenario} did not run`);
    return only;
  };
}

describe('payment scenarios against the live environment (real stub, real B rows)', function () {
  this.timeout(180_000);

  // Each payment scenario passing with every guarantee in place (every check, every fault undone)
  // is proven by the suite's whole gate run (test/e2e/gate-publish.test.ts), which runs the catalog.
  describe('with every guarantee in place', () => {
    const run = withEnvironment(undefined);

    it("data-consistency: the stub recorded the cancelled order's void, with its key, and none for the second cancel", async () => {
      const result = await run('data-consistency');
      expect(failedChecks(result)).to.deep.equal([]);
      expect(check(result, CANCEL_VOIDS).detail).to.match(/^pay_\w+ voided by the cancel \(Idempotency-Key [0-9a-f-]{36}:cancel:void, reason "requested_by_customer"\); the second cancel sent no void$/);
    });

    it('a payment scenario that breaks off mid-fault still heals the stub', async () => {
      const result = await run('payments-slow', [
        'payments-faulted',
        async () => {
          throw new Error('interrupted while the vendor was slow');
        },
      ]);
      expect(check(result, 'scenario ran to completion')).to.include({ ok: false, detail: 'interrupted while the vendor was slow' });
      expect(check(result, RESTORED)).to.include({ ok: true });
      expect(check(result, RESTORED).detail).to.match(/^undid: heal payments-stub;/);
      // The stub answers from its contract again: the next scenario meets no leftover latency.
      expect(await run('payments-retry-key').then(failedChecks)).to.deep.equal([]);
    });
  });

  describe('payments-down fails when A does not release the reservation (SERVICE_A_TEST_BREAK=release)', () => {
    const run = withEnvironment('release');
    it('names the leaked stock and its reservation', async () => {
      const result = await run('payments-down');
      const leak = check(result, 'the reservation is released in B (stock back, no leak)');
      expect(leak.ok).to.equal(false);
      expect(leak.detail).to.match(/^stock leaked: 1 unit\(s\) of PAYDOWN-[0-9A-F]{6} still held by reservation [0-9a-f-]{36} /);
      expect(check(result, 'A answers 503 problem+json').ok).to.equal(true);
      expect(check(result, RESTORED).ok).to.equal(true);
    });
  });

  describe('payments-slow and data-consistency fail when A does not void (SERVICE_A_TEST_BREAK=void)', () => {
    const run = withEnvironment('void');
    it('names the unvoided authorization', async () => {
      const result = await run('payments-slow');
      const charged = check(result, 'nothing is charged (every authorization the vendor granted was voided)');
      expect(charged.ok).to.equal(false);
      expect(charged.detail).to.match(/^unvoided authorization \S+ \(Idempotency-Key scn-payments-slow-key-[0-9a-f]{8}:authorize, granted [0-9T:.-]+Z\)/);
      expect(check(result, 'the reservation is released in B (stock back, no leak)').ok).to.equal(true);
      expect(check(result, RESTORED).ok).to.equal(true);
    });

    it("data-consistency names the cancelled order's authorization still held", async () => {
      const result = await run('data-consistency');
      expect(check(result, CANCEL_VOIDS)).to.include({ ok: false });
      expect(check(result, CANCEL_VOIDS).detail).to.match(/^the cancel sent 0 void request\(s\), none a 2xx void of pay_\w+: its authorization is still held$/);
      expect(check(result, "A's view of each order matches B's reservation row").ok).to.equal(true);
    });
  });

  describe('payments-retry-key fails when A sends a fresh key per attempt (SERVICE_A_TEST_BREAK=idempotency-key)', () => {
    const run = withEnvironment('idempotency-key');
    it('names the two keys of one order', async () => {
      const result = await run('payments-retry-key');
      const keys = check(result, 'every authorize attempt of the order carries the same Idempotency-Key');
      expect(keys.ok).to.equal(false);
      expect(keys.detail).to.match(/^2 Idempotency-Keys for one order's authorize attempts: (scn-payments-retry-key-key-[0-9a-f]{8}:authorize:\d), (?!\1)scn-payments-retry-key-key-[0-9a-f]{8}:authorize:\d:/);
      expect(check(result, RESTORED).ok).to.equal(true);
    });
  });
});
