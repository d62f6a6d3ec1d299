import { expect } from 'chai';
import { resolveConfig } from '../../../src/config/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { changedTables, expectEqual, withServiceEnv } from '../../../src/scenarios/index.js';
// The retry settings and the expectations derived from them are the example catalog's own now.
import { backoffCeiling, giveUpDeadlineMs } from '../../../examples/orders/scenarios/evidence.js';
import { retrySettingsOf } from '../../../examples/orders/scenarios/system.js';

describe("scenarios: the example catalog's retrySettingsOf", () => {
  it('needs every setting from the config, naming the missing ones (no guessed defaults for A)', () => {
    expect(() => retrySettingsOf({ B_TIMEOUT_MS: '500', B_RETRIES: '0' }, 'service-a')).to.throw("Expected service-a's env to set B_RETRY_BASE_MS, B_RETRY_MAX_MS, RETRY_AFTER_SECONDS in environment.yaml");
  });

  it('reads what the config gives A', () => {
    expect(retrySettingsOf({ B_TIMEOUT_MS: '500', B_RETRIES: '0', B_RETRY_BASE_MS: '50', B_RETRY_MAX_MS: '1000', RETRY_AFTER_SECONDS: '1' }, 'service-a')).to.deep.equal({ timeoutMs: 500, retries: 0, retryBaseMs: 50, retryMaxMs: 1000, retryAfterSeconds: 1 });
  });

  it('rejects a value A could not use, naming it', () => {
    try {
      retrySettingsOf({ B_TIMEOUT_MS: '500', B_RETRIES: 'three', B_RETRY_BASE_MS: '50', B_RETRY_MAX_MS: '1000', RETRY_AFTER_SECONDS: '1' }, 'service-a');
      expect.fail('expected an error');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_CONFIG_INVALID')).to.equal(true);
      expect((error as Error).message).to.equal("Expected service-a's B_RETRIES to be a non-negative integer, got `three`");
    }
  });
});

describe('scenarios: withServiceEnv', () => {
  const services = { 'service-b': { command: 'node b.js' }, 'service-a': { command: 'node a.js', dependsOn: ['service-b'] } };
  const config = resolveConfig({ environment: { services } }, { root: '/repo', dir: 'config/integration', secrets: {}, env: {} });

  it('returns a copy with the overrides on top, leaving the original alone', () => {
    const fast = withServiceEnv(config, { 'service-a': { B_TIMEOUT_MS: 300, B_RETRIES: 0 } });
    expect(fast.environment.services.get('service-a')?.env).to.include({ B_TIMEOUT_MS: '300', B_RETRIES: '0' });
    expect(config.environment.services.get('service-a')?.env).to.not.have.property('B_TIMEOUT_MS');
    expect(fast.environment.services.get('service-b')).to.deep.equal(config.environment.services.get('service-b'));
  });

  it('rejects an override for a service the config does not define', () => {
    expect(() => withServiceEnv(config, { 'service-c': { X: 1 } })).to.throw('service env overrides name "service-c", which the config does not define: expected one of service-b, service-a');
  });
});

describe('scenarios: expectations derived from the retry settings', () => {
  const retry = { timeoutMs: 500, retries: 3, retryBaseMs: 50, retryMaxMs: 150, retryAfterSeconds: 1 };

  it('doubles the backoff ceiling per retry up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => backoffCeiling(retry, n))).to.deep.equal([50, 100, 150, 150]);
  });

  it("allows every attempt's timeout plus every ceiling plus slack before A must give up", () => {
    expect(giveUpDeadlineMs(retry, 0)).to.equal(4 * 500 + 50 + 100 + 150);
  });
});

describe('scenarios: comparison helpers', () => {
  it('names the tables whose checksums differ, including added and removed ones', () => {
    expect(changedTables({ items: 'a', reservations: 'b', gone: 'c' }, { items: 'a', reservations: 'B', added: 'd' })).to.deep.equal(['added', 'gone', 'reservations']);
    expect(changedTables({ items: 'a' }, { items: 'a' })).to.deep.equal([]);
  });

  it('expectEqual passes on equal values and fails saying what differed', () => {
    expect(expectEqual('stock', 3, 3)).to.deep.equal({ ok: true, detail: 'stock = 3' });
    expect(expectEqual('stock', 4, 3)).to.deep.equal({ ok: false, detail: 'expected stock = 3, got 4' });
  });
});
