import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { defineScenario, pass, runScenarios, selectScenarios } from '../../../src/scenarios/index.js';
import SCENARIOS from '../../../examples/orders/scenarios/index.js';
import type { ScenarioTargets } from '../../../src/scenarios/index.js';

const noop = defineScenario<undefined, undefined>({ name: 'noop', title: 'does nothing', points: ['middle'], actions: async () => undefined, checks: [{ name: 'fine', verify: () => pass('ok') }] });

describe("scenarios: the example's catalog", () => {
  it('holds the fourteen scenarios, each with checks and unique names', () => {
    expect(SCENARIOS.map((s) => s.name)).to.deep.equal(['happy-path', 'b-unavailable', 'b-hangs', 'data-consistency', 'redis-down', 'postgres-down', 'concurrent-last-stock', 'c-down', 'c-killed', 'poison-message', 'redis-paused', 'payments-down', 'payments-slow', 'payments-retry-key']);
    for (const scenario of SCENARIOS) {
      expect(scenario.checks.length, scenario.name).to.be.greaterThan(2);
      expect(scenario.points ?? [], scenario.name).to.have.length.greaterThan(0);
    }
  });
});

describe('scenarios: selectScenarios', () => {
  it('keeps catalog order whatever order --only names them in', () => {
    expect(selectScenarios(SCENARIOS, ['redis-down', 'happy-path']).map((s) => s.name)).to.deep.equal(['happy-path', 'redis-down']);
    expect(selectScenarios(SCENARIOS, [])).to.have.length(SCENARIOS.length);
  });

  it('rejects an unknown name, listing the known ones', () => {
    try {
      selectScenarios(SCENARIOS, ['happy-path', 'b-down']);
      expect.fail('expected an error');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_USAGE')).to.equal(true);
      expect((error as Error).message).to.equal(`unknown scenario "b-down" in --only: expected one of ${SCENARIOS.map((s) => s.name).join(', ')}`);
    }
  });
});

describe('scenarios: runScenarios input checks', () => {
  // Nothing is contacted: the hooks are checked before any connection is opened.
  const targets = {} as ScenarioTargets;

  it('rejects a hook for a scenario that does not exist', async () => {
    const error = await runScenarios([noop], targets, { hooks: { nope: {} } }).catch((e: unknown) => e);
    expect(isAccordError(error, 'ACCORD_USAGE')).to.equal(true);
    expect((error as Error).message).to.include('hooks name scenario "nope"');
  });

  it('rejects a hook at a point the scenario does not pass', async () => {
    const error = await runScenarios([noop], targets, { hooks: { noop: { start: async () => undefined } } }).catch((e: unknown) => e);
    expect((error as Error).message).to.equal('hooks name point "start" of scenario "noop", which it does not have: expected one of middle');
  });
});
