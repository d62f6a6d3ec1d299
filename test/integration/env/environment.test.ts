import { readdir, readFile, rm, mkdtemp, stat } from 'node:fs/promises';
import { EXAMPLE_ROOT } from '../../support/accord.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { request } from 'undici';
import { loadConfig } from '../../../src/config/index.js';
import { backingServices, isAlive, pendingCleanups, startEnvironment } from '../../../src/env/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';

// The whole environment with the real services: embedded PostgreSQL 14, redis-server, B and A.

/** The data dir of a running postmaster, read from its command line (`-D <dir>`). */
async function dataDirOf(pid: number | undefined): Promise<string> {
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  return args[args.indexOf('-D') + 1] ?? '';
}

describe('startEnvironment (real PostgreSQL, Redis, Service B and Service A)', function () {
  this.timeout(120_000);
  let environment: StartedEnvironment;
  let logDir: string;
  let db: pg.Client;
  let token: string;
  let cleanupsBefore: number;

  before(async () => {
    cleanupsBefore = pendingCleanups();
    logDir = await mkdtemp(join(tmpdir(), 'accord-env-logs-'));
    const config = await loadConfig('config/integration', { root: EXAMPLE_ROOT, env: {} });
    token = config.secrets.SERVICE_B_TOKEN ?? '';
    environment = await startEnvironment(config, { freePorts: true, logDir, databaseUrl: undefined, redisUrl: undefined });
    db = new pg.Client({ connectionString: environment.databaseUrl });
    await db.connect();
    await db.query(`INSERT INTO items (sku, name, stock, price_cents) VALUES ('SKU-ENV-1', 'Environment widget', 10, 1999)`);
  });

  after(async () => {
    await db?.end();
    await environment?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('created and migrated its own database, and started B before A on free ports', async () => {
    expect(environment.databaseName).to.match(/^accord_[0-9a-f]{8}$/);
    expect(environment.databaseUrl).to.include(`/${environment.databaseName}`);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
    expect(rows.map((row) => row.name)).to.deep.equal(['001_create_inventory', '002_add_integration_fields', '003_create_shipments']);
    expect([...environment.services.keys()]).to.deep.equal(['payments-stub', 'service-b', 'service-a', 'service-c']);
    for (const service of environment.services.values()) {
      expect(service.port).to.not.be.oneOf([8001, 8002, 8003]);
      expect(isAlive(service.pid)).to.equal(true);
    }
  });

  it("runs PostgreSQL on a copy of the cached cluster whose WAL segment kept initdb's zeros as holes (less to copy)", async () => {
    const wal = join(await dataDirOf(backingServices(environment).postgres.pid), 'pg_wal');
    const segments = (await readdir(wal)).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(segments.length).to.be.greaterThan(0);
    const first = await stat(join(wal, segments.sort()[0] ?? ''));
    expect(first.blocks * 512, `${first.blocks} blocks for ${first.size} bytes`).to.be.below(first.size * 0.75);
  });

  it('happy path: POST /orders on A → 200; the reservation row carries the correlation id and source; stock and cache follow', async () => {
    const b = environment.service('service-b');
    const a = environment.service('service-a');
    // Fill B's cache with the old stock first, so a stale entry would be caught.
    const before = await request(`${b.url}/items/SKU-ENV-1`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.statusCode).to.equal(200);
    expect(((await before.body.json()) as { stock: number }).stock).to.equal(10);

    const response = await request(`${a.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-env-happy-1' },
      body: JSON.stringify({ sku: 'SKU-ENV-1', quantity: 2 }),
    });
    const order = (await response.body.json()) as { status: string; reservationId: string; correlationId: string; quantity: number };
    expect(response.statusCode).to.equal(200);
    expect(order).to.include({ status: 'confirmed', correlationId: 'corr-env-happy-1', quantity: 2 });

    const reservation = await db.query('SELECT sku, quantity, status, correlation_id, source_service FROM reservations WHERE id = $1', [order.reservationId]);
    expect(reservation.rows).to.deep.equal([{ sku: 'SKU-ENV-1', quantity: 2, status: 'active', correlation_id: 'corr-env-happy-1', source_service: 'service-a' }]);
    const stock = await db.query<{ stock: number }>(`SELECT stock FROM items WHERE sku = 'SKU-ENV-1'`);
    expect(stock.rows[0]?.stock).to.equal(8);

    const redis = new Redis(backingServices(environment).redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const cached = JSON.parse((await redis.get('item:SKU-ENV-1')) ?? 'null') as { stock: number } | null;
      expect(cached?.stock).to.equal(8);
    } finally {
      redis.disconnect();
    }
  });

  it("writes each service's JSON log lines, with the correlation id, to <logDir>/<service>.log, secrets redacted", async () => {
    for (const name of ['service-a', 'service-b']) {
      // The services write their logs in batches (at most 50 ms late): read until the line is there, 2 s at most.
      let text = '';
      for (let tries = 0; tries < 40 && !text.includes('corr-env-happy-1'); tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        text = await readFile(join(logDir, `${name}.log`), 'utf8');
      }
      const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.some((line) => line.correlationId === 'corr-env-happy-1'), name).to.equal(true);
      expect(text).not.to.include(token);
    }
  });

  it('stop() leaves no process, no data dir, no registered cleanup', async () => {
    const pids = [...environment.services.values()].map((service) => service.pid);
    pids.push(backingServices(environment).redis.pid, backingServices(environment).postgres.pid);
    const dataDir = await dataDirOf(backingServices(environment).postgres.pid);
    expect(dataDir).to.match(/accord-pg-/);
    await db.end();
    await environment.stop();
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).to.equal(false);
    expect(await stat(dataDir).then(() => true, () => false)).to.equal(false);
    expect(pendingCleanups()).to.equal(cleanupsBefore);
  });
});
