import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import pg from 'pg';
import { getFreePort, startPostgres, startRedis } from 'accord';
import type { StartedPostgres, StartedRedis } from 'accord';
import { createMigratedDatabase } from '../../b/test/helpers/database.js';
import { eventually, orderEvent, publish } from './helpers/events.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The built entry, as config/integration/environment.yaml runs it (before() makes sure dist/ is fresh).
const MAIN = 'dist/services/c/src/main.js';

function runServiceC(env: Record<string, string>) {
  return execa('node', ['--enable-source-maps', MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, extendEnv: false, reject: false, cleanup: true, forceKillAfterDelay: false });
}

describe('service-c: the process', function () {
  this.timeout(60_000);
  before(async () => {
  });

  it('refuses to start on a bad setting: one line naming it on stderr, exit 78', async () => {
    const result = await runServiceC({ DATABASE_URL: 'postgres://127.0.0.1/x', BATCH_SIZE: 'lots' });
    expect(result.exitCode).to.equal(78);
    expect(result.stdout).to.equal('');
    expect(result.stderr.trim().split('\n')).to.deep.equal(['service-c: BATCH_SIZE must be an integer from 1 to 10000, got `lots`']);
  });

  describe('running', () => {
    let postgres: StartedPostgres;
    let redisServer: StartedRedis;
    let databaseUrl: string;
    before(async () => {
      [postgres, redisServer] = await Promise.all([startPostgres(), startRedis({ redisUrl: undefined })]);
      databaseUrl = await createMigratedDatabase(postgres, 'c_process');
    });
    after(async () => {
      await Promise.all([redisServer?.stop(), postgres?.stop()]);
    });

    it('consumes events, reports them on /health, and exits 0 on SIGTERM', async () => {
      const port = await getFreePort();
      const child = runServiceC({ PORT: String(port), DATABASE_URL: databaseUrl, REDIS_URL: redisServer.url, BLOCK_MS: '100' });
      const redis = new Redis(redisServer.url);
      const pool = new pg.Pool({ connectionString: databaseUrl });
      // Teardown drops the database and its connections; an idle client ended that way is not a failure.
      pool.on('error', () => undefined);
      try {
        const url = `http://127.0.0.1:${port}`;
        await eventually(() => fetch(`${url}/health`).then((r) => r.ok, () => false), 'service-c to listen');
        await publish(redis, 'orders.events', orderEvent({ orderId: 'proc-1' }));
        await eventually(async () => (await pool.query('SELECT 1 FROM shipments')).rowCount === 1, 'the shipment');
        const health = (await (await fetch(`${url}/health`)).json()) as { status: string; lag: { undelivered: number; pending: number }; events: { applied: number } };
        expect(health.status).to.equal('ok');
        expect(health.lag).to.include({ undelivered: 0, pending: 0 });
        expect(health.events.applied).to.equal(1);
        child.kill('SIGTERM');
        const result = await child;
        expect(result.exitCode).to.equal(0);
        const events = String(result.stdout).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { event?: string; service?: string }));
        expect(events.every((line) => line.service === 'service-c')).to.equal(true);
        expect(events.map((line) => line.event)).to.include.members(['service.start', 'service.stop', 'service.stopped']);
      } finally {
        child.kill('SIGKILL');
        redis.disconnect();
        await pool.end();
      }
    });
  });
});
