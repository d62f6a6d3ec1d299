import { expect } from 'chai';
import { itemCacheKey } from '../src/item-cache.js';
import { request } from './helpers/http.js';
import type { RunningServiceB } from './helpers/service-b.js';
import { authHeaders, startServiceB, waitForReady } from './helpers/service-b.js';

describe('service-b: the Redis item cache, and Redis or PostgreSQL going away', () => {
  let b: RunningServiceB;

  before(async () => {
    b = await startServiceB('b_cache');
  });
  after(async () => {
    await b?.stop();
  });
  beforeEach(async () => {
    await b.reset();
  });

  const call = (method: string, path: string, body?: unknown) => request(b.url + path, method, body, authHeaders());
  const cached = async (sku: string) => {
    const raw = await b.redis.get(itemCacheKey(sku));
    return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
  };

  it('reads items through the cache: a miss fills item:<sku>, the next read is a hit', async () => {
    expect(await cached('SKU-001')).to.equal(null);
    const first = await call('GET', '/items/SKU-001');
    expect(first.status).to.equal(200);
    expect(first.body).to.have.all.keys('sku', 'name', 'stock', 'priceCents', 'updatedAt');
    expect(first.body).to.include({ sku: 'SKU-001', name: 'Blue widget', stock: 100, priceCents: 1299 });
    expect(await cached('SKU-001')).to.include({ sku: 'SKU-001', stock: 100 });
    expect(b.logs.events('cache.miss')).to.have.length(1);
    expect(b.logs.events('cache.hit')).to.have.length(0);

    // Prove the second answer comes from Redis: change the row behind the cache's back.
    await b.pool.query("UPDATE items SET name = 'Changed behind the cache' WHERE sku = 'SKU-001'");
    const second = await call('GET', '/items/SKU-001');
    expect(second.body).to.deep.equal(first.body);
    expect(b.logs.events('cache.hit')).to.have.length(1);
    expect(await b.redis.ttl(itemCacheKey('SKU-001'))).to.be.within(1, 60);
  });

  it('replaces the cached item on every write: reserve and release', async () => {
    await call('GET', '/items/SKU-001');
    const reserved = await call('POST', '/reservations', { sku: 'SKU-001', quantity: 4 });
    expect(reserved.status).to.equal(201);
    expect(await cached('SKU-001')).to.include({ stock: 96 });
    expect((await call('GET', '/items/SKU-001')).body).to.include({ stock: 96 });

    await call('DELETE', `/reservations/${reserved.body.id as string}`);
    expect(await cached('SKU-001')).to.include({ stock: 100 });
    expect(b.logs.events('cache.invalidate').map((line) => line.key)).to.deep.equal(['item:SKU-001', 'item:SKU-001']);
    // A failed reservation writes nothing, so the entry stays as it was.
    await call('POST', '/reservations', { sku: 'SKU-001', quantity: 1000 });
    expect(await cached('SKU-001')).to.include({ stock: 100 });
  });

  it('never lets a stale read overwrite a newer entry', async () => {
    await call('POST', '/reservations', { sku: 'SKU-002', quantity: 1 });
    const newer = await cached('SKU-002');
    expect(newer).to.include({ stock: 49 });
    // A reader that fetched the row before the write stores it late: the script refuses it.
    const staleVersion = String(Number(newer?.cacheVersion) - 1);
    const stale = JSON.stringify({ ...newer, stock: 50, cacheVersion: staleVersion });
    const stored = await (b.redis as unknown as { setItemIfNewer(k: string, v: string, ver: string, ttl: number): Promise<number> }).setItemIfNewer(itemCacheKey('SKU-002'), stale, staleVersion, 60);
    expect(stored).to.equal(0);
    expect(await cached('SKU-002')).to.include({ stock: 49 });
  });

  it('keeps serving from PostgreSQL while Redis is down, with cache.degraded warnings', async () => {
    await b.redisServer.halt();
    try {
      const item = await call('GET', '/items/SKU-001');
      expect(item.status).to.equal(200);
      expect(item.body).to.include({ stock: 100 });
      const reserved = await call('POST', '/reservations', { sku: 'SKU-001', quantity: 1 });
      expect(reserved.status).to.equal(201);
      const health = await call('GET', '/health');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'degraded', checks: { postgres: 'ok', redis: 'down' } });
      const warnings = b.logs.events('cache.degraded');
      expect(warnings.length).to.be.greaterThan(0);
      expect(warnings.every((line) => line.level === 40)).to.equal(true);
      expect(warnings.filter((line) => line.correlationId !== undefined).map((line) => line.op)).to.include.members(['get', 'fill', 'invalidate']);
    } finally {
      await b.redisServer.resume();
      await waitForReady(b.redis);
    }
    // Back to normal: the next read fills the cache again.
    await call('GET', '/items/SKU-001');
    expect(await cached('SKU-001')).to.include({ stock: 99 });
  });

  it('answers 503 problem+json while PostgreSQL is down, and recovers when it returns', async () => {
    await b.postgres.halt();
    try {
      const reserved = await call('POST', '/reservations', { sku: 'SKU-001', quantity: 1 });
      expect(reserved.status).to.equal(503);
      expect(reserved.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(reserved.body).to.include({ status: 503, title: 'Service Unavailable' });
      expect((await call('GET', '/items/SKU-NOT-CACHED')).status).to.equal(503);
      const health = await call('GET', '/health');
      expect(health.status).to.equal(503);
      expect(health.body).to.deep.equal({ status: 'down', checks: { postgres: 'down', redis: 'ok' } });
    } finally {
      await b.postgres.resume();
    }
    expect((await call('POST', '/reservations', { sku: 'SKU-001', quantity: 1 })).status).to.equal(201);
    expect((await call('GET', '/health')).status).to.equal(200);
  });
});
