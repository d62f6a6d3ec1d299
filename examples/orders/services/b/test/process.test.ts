import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import pg from 'pg';
import { getFreePort, startPostgres, startRedis } from 'accord';
import type { StartedPostgres, StartedRedis } from 'accord';
import { ConfigError, readConfig } from '../src/config.js';
import { seedItems } from './fixtures/seed.js';
import { createMigratedDatabase } from './helpers/database.js';
import { request } from './helpers/http.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The built entry, as config/integration/environment.yaml runs it (before() makes sure dist/ is fresh).
const MAIN = 'dist/services/b/src/main.js';

/** Runs Service B's entry as the environment does, with exactly `env` (plus PATH). */
function runServiceB(env: Record<string, string>) {
  return execa('node', ['--enable-source-maps', MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, extendEnv: false, reject: false, cleanup: true, forceKillAfterDelay: false });
}

describe('service-b: configuration and process lifecycle', () => {
  before(async () => {
  });

  describe('readConfig', () => {
    const valid = { SERVICE_B_TOKEN: 't', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/inventory' };

    it('applies the defaults', () => {
      expect(readConfig(valid)).to.deep.equal({
        port: 8002,
        host: '127.0.0.1',
        databaseUrl: valid.DATABASE_URL,
        redisUrl: 'redis://127.0.0.1:6379',
        token: 't',
        logLevel: 'info',
        slowdownMs: 0,
        slowdownCpuMs: 0,
      });
    });

    it('names the variable, what was expected and what was given', () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ DATABASE_URL: valid.DATABASE_URL }, 'SERVICE_B_TOKEN is missing'],
        [{ ...valid, SERVICE_B_TOKEN: '' }, 'SERVICE_B_TOKEN is missing'],
        [{ SERVICE_B_TOKEN: 't' }, 'DATABASE_URL is missing'],
        [{ ...valid, PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got `eighty`'],
        [{ ...valid, PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got `70000`'],
        [{ ...valid, DATABASE_URL: 'mysql://x@h/db' }, 'DATABASE_URL must use postgres: or postgresql:, got `mysql:`'],
        [{ ...valid, REDIS_URL: 'not a url' }, 'REDIS_URL must be a URL'],
        [{ ...valid, LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got `loud`'],
        [{ ...valid, BENCH_SLOWDOWN_MS: 'slow' }, 'BENCH_SLOWDOWN_MS must be a non-negative integer (milliseconds), got `slow`'],
        [{ ...valid, BENCH_SLOWDOWN_CPU_MS: '-1' }, 'BENCH_SLOWDOWN_CPU_MS must be a non-negative number (milliseconds), got `-1`'],
      ];
      for (const [env, message] of cases) {
        expect(() => readConfig(env), message).to.throw(ConfigError, message);
      }
    });
  });

  it('refuses to start without SERVICE_B_TOKEN: one line on stderr, exit 78', async () => {
    const result = await runServiceB({ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    expect(result.exitCode).to.equal(78);
    expect(result.stdout).to.equal('');
    expect(result.stderr.trim().split('\n')).to.deep.equal([
      'service-b: SERVICE_B_TOKEN is missing: set it to the bearer token clients must send (see .env.integration-test)',
    ]);
  });

  describe('a running process', () => {
    let postgres: StartedPostgres;
    let redis: StartedRedis;
    let databaseUrl: string;
    let child: ReturnType<typeof runServiceB> | undefined;

    before(async () => {
      [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
      databaseUrl = await createMigratedDatabase(postgres, 'b_process');
      const pool = new pg.Pool({ connectionString: databaseUrl });
      await seedItems(pool);
      await pool.end();
    });
    after(async () => {
      child?.kill('SIGKILL');
      await Promise.all([redis?.stop(), postgres?.stop()]);
    });

    it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
      const port = await getFreePort();
      child = runServiceB({ PORT: String(port), DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SERVICE_B_TOKEN: 'process-token' });
      const url = `http://127.0.0.1:${port}`;
      while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) await new Promise((resolve) => setTimeout(resolve, 25));

      // Hold the item's row lock so the reservation stays in flight until we let go.
      const blocker = new pg.Client({ connectionString: databaseUrl });
      await blocker.connect();
      const observer = new pg.Client({ connectionString: databaseUrl });
      await observer.connect();
      await blocker.query('BEGIN');
      await blocker.query("SELECT * FROM items WHERE sku = 'SKU-001' FOR UPDATE");
      const inFlight = request(`${url}/reservations`, 'POST', { sku: 'SKU-001', quantity: 1 }, { authorization: 'Bearer process-token' });
      const waiting = async () => (await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE items%' AND pid <> pg_backend_pid()")).rows[0].n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 25));

      child.kill('SIGTERM');
      // Stopped accepting: a new request is refused (or, on a kept-alive socket, answered 503) while the old one waits.
      const refused = async () => fetch(`${url}/health`).then((r) => r.status === 503, () => true);
      while (!(await refused())) await new Promise((resolve) => setTimeout(resolve, 25));
      await blocker.query('COMMIT');
      await Promise.all([blocker.end(), observer.end()]);

      const response = await inFlight;
      expect(response.status).to.equal(201);
      const result = await child;
      expect(result.exitCode).to.equal(0);
      const lines = String(result.stdout).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event?: string; service: string; statusCode?: number });
      expect(lines.every((line) => line.service === 'service-b')).to.equal(true);
      // The reservation was answered after the stop began and before the process said it stopped.
      const stop = lines.findIndex((line) => line.event === 'service.stop');
      const answered = lines.findIndex((line) => line.event === 'http.response' && line.statusCode === 201);
      const stopped = lines.findIndex((line) => line.event === 'service.stopped');
      expect(stop).to.be.greaterThan(-1);
      expect(answered).to.be.greaterThan(stop);
      expect(stopped).to.be.greaterThan(answered);
      child = undefined;
    });
  });
});
