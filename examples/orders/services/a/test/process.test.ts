import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import { getFreePort, startRedis } from 'accord';
import type { StartedRedis } from 'accord';
import { ConfigError, readConfig } from '../src/config.js';
import { request } from '../../b/test/helpers/http.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The built entry, as config/integration/environment.yaml runs it (before() makes sure dist/ is fresh).
const MAIN = 'dist/services/a/src/main.js';

/** Runs Service A's entry as the environment does, with exactly `env` (plus PATH). */
function runServiceA(env: Record<string, string>) {
  return execa('node', ['--enable-source-maps', MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, extendEnv: false, reject: false, cleanup: true, forceKillAfterDelay: false });
}

describe('service-a: configuration and process lifecycle', () => {
  before(async () => {
  });

  describe('readConfig', () => {
    it('applies the defaults', () => {
      expect(readConfig({ SERVICE_B_TOKEN: 't' })).to.deep.equal({
        port: 8001,
        host: '127.0.0.1',
        serviceBUrl: 'http://127.0.0.1:8002',
        serviceBToken: 't',
        redisUrl: 'redis://127.0.0.1:6379',
        bTimeoutMs: 1000,
        bRetries: 3,
        bRetryBaseMs: 100,
        bRetryMaxMs: 2000,
        retryAfterSeconds: 5,
        logLevel: 'info',
        paymentsUrl: 'http://127.0.0.1:4010',
        paymentsApiKey: 'sk_test_accord',
        paymentsTimeoutMs: 800,
        paymentsRetries: 2,
        currency: 'EUR',
        cardToken: 'tok_visa_4242',
        testBreak: [],
        eventStream: 'orders.events',
        eventStreamMaxLen: 100_000,
      });
      expect(readConfig({ SERVICE_B_TOKEN: 't', PAYMENTS_STUB_URL: 'http://127.0.0.1:9' }).paymentsUrl).to.equal('http://127.0.0.1:9');
      expect(readConfig({ SERVICE_B_TOKEN: 't', SERVICE_A_TEST_BREAK: 'release,void' }).testBreak).to.deep.equal(['release', 'void']);
    });

    it('names the variable, what was expected and what was given', () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{}, 'SERVICE_B_TOKEN is missing'],
        [{ SERVICE_B_TOKEN: 't', B_RETRIES: 'three' }, 'B_RETRIES must be an integer from 0 to 10, got `three`'],
        [{ SERVICE_B_TOKEN: 't', B_RETRIES: '11' }, 'B_RETRIES must be an integer from 0 to 10, got `11`'],
        [{ SERVICE_B_TOKEN: 't', B_TIMEOUT_MS: '0' }, 'B_TIMEOUT_MS must be an integer from 1 to 600000, got `0`'],
        [{ SERVICE_B_TOKEN: 't', B_RETRY_BASE_MS: '500', B_RETRY_MAX_MS: '100' }, 'B_RETRY_MAX_MS must be at least B_RETRY_BASE_MS (500), got `100`'],
        [{ SERVICE_B_TOKEN: 't', RETRY_AFTER_SECONDS: '-1' }, 'RETRY_AFTER_SECONDS must be an integer from 0 to 86400, got `-1`'],
        [{ SERVICE_B_TOKEN: 't', PORT: '8001x' }, 'PORT must be an integer from 0 to 65535, got `8001x`'],
        [{ SERVICE_B_TOKEN: 't', SERVICE_B_URL: 'ftp://b' }, 'SERVICE_B_URL must use http: or https:, got `ftp:`'],
        [{ SERVICE_B_TOKEN: 't', LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of'],
        [{ SERVICE_B_TOKEN: 't', PAYMENTS_URL: 'ftp://pay' }, 'PAYMENTS_URL must use http: or https:, got `ftp:`'],
        [{ SERVICE_B_TOKEN: 't', PAYMENTS_TIMEOUT_MS: '0' }, 'PAYMENTS_TIMEOUT_MS must be an integer from 1 to 600000, got `0`'],
        [{ SERVICE_B_TOKEN: 't', PAYMENTS_CURRENCY: 'euro' }, 'PAYMENTS_CURRENCY must be an ISO 4217 code like EUR, got `euro`'],
        [{ SERVICE_B_TOKEN: 't', SERVICE_A_TEST_BREAK: 'release,everything' }, 'SERVICE_A_TEST_BREAK must list some of release, void, idempotency-key, late-write, got `everything`'],
        [{ SERVICE_B_TOKEN: 't', ORDER_EVENTS_STREAM: 'orders events' }, 'ORDER_EVENTS_STREAM must be a Redis key of printable characters without spaces, got `orders events`'],
        [{ SERVICE_B_TOKEN: 't', ORDER_EVENTS_MAXLEN: '0' }, 'ORDER_EVENTS_MAXLEN must be an integer from 1 to 1000000000, got `0`'],
      ];
      for (const [env, message] of cases) {
        expect(() => readConfig(env), message).to.throw(ConfigError, message);
      }
    });
  });

  it('refuses to start on a bad setting: one line naming it on stderr, exit 78', async () => {
    const result = await runServiceA({ SERVICE_B_TOKEN: 't', B_RETRIES: 'many' });
    expect(result.exitCode).to.equal(78);
    expect(result.stdout).to.equal('');
    expect(result.stderr.trim().split('\n')).to.deep.equal(['service-a: B_RETRIES must be an integer from 0 to 10, got `many`']);
  });

  describe('a running process', () => {
    let redis: StartedRedis;
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await redis?.stop();
    });

    it('answers 503 with Retry-After while B is down, and exits 0 on SIGTERM', async () => {
      const port = await getFreePort();
      const child = runServiceA({
        PORT: String(port),
        SERVICE_B_URL: `http://127.0.0.1:${await getFreePort()}`,
        SERVICE_B_TOKEN: 'process-token',
        REDIS_URL: redis.url,
        B_RETRIES: '2',
        B_RETRY_BASE_MS: '10',
        RETRY_AFTER_SECONDS: '3',
      });
      try {
        const url = `http://127.0.0.1:${port}`;
        while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) await new Promise((resolve) => setTimeout(resolve, 25));
        const sent = await request(`${url}/orders`, 'POST', { sku: 'SKU-001', quantity: 1 });
        expect(sent.status).to.equal(503);
        expect(sent.headers.get('retry-after')).to.equal('3');
        child.kill('SIGTERM');
        const result = await child;
        expect(result.exitCode).to.equal(0);
        const events = String(result.stdout).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { event?: string }).event);
        expect(events.filter((event) => event === 'upstream.retry')).to.have.length(2);
        expect(events).to.include.members(['upstream.exhausted', 'service.stop', 'service.stopped']);
        expect(result.stdout).not.to.include('process-token');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});
