import { expect } from 'chai';
import { getFreePort } from 'accord';
import type { RunningServiceB } from '../../b/test/helpers/service-b.js';
import { startServiceB, TEST_TOKEN } from '../../b/test/helpers/service-b.js';
import type { RunningServiceA } from './helpers/service-a.js';
import { request } from '../../b/test/helpers/http.js';
import { startServiceA } from './helpers/service-a.js';

describe('service-a: orders through a real Service B', () => {
  let b: RunningServiceB;
  let a: RunningServiceA;

  before(async () => {
    b = await startServiceB('a_orders');
    a = await startServiceA({ serviceBUrl: b.url, token: TEST_TOKEN, redisUrl: b.redisServer.url });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });
  beforeEach(async () => {
    await b.reset(); // also empties Redis, where A keeps its orders
    a.logs.clear();
  });

  const order = (body: unknown, headers: Record<string, string> = {}) => request(`${a.url}/orders`, 'POST', body, headers);
  const stockOf = async (sku: string) => (await b.pool.query<{ stock: number }>('SELECT stock FROM items WHERE sku = $1', [sku])).rows[0]?.stock;
  const reservationsIn = async () => (await b.pool.query('SELECT id, idempotency_key, correlation_id, source_service FROM reservations')).rows;

  it('answers 200 with the order; B holds the reservation with the correlation id and source service', async () => {
    const sent = await order({ sku: 'SKU-001', quantity: 2, customerId: 'c-1' }, { 'x-correlation-id': 'corr-order' });
    expect(sent.status).to.equal(200);
    expect(sent.body).to.have.all.keys('id', 'sku', 'quantity', 'status', 'reservationId', 'correlationId', 'createdAt');
    expect(sent.body).to.include({ sku: 'SKU-001', quantity: 2, status: 'confirmed', correlationId: 'corr-order' });
    expect(sent.headers.get('x-correlation-id')).to.equal('corr-order');
    const rows = await reservationsIn();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ id: sent.body.reservationId, correlation_id: 'corr-order', source_service: 'service-a' });
    expect(await stockOf('SKU-001')).to.equal(98);
    // Both services logged the request under the same correlation id.
    expect(a.logs.lines.filter((line) => line.correlationId === 'corr-order').map((line) => line.event)).to.include.members(['http.request', 'upstream.call', 'http.response']);
    expect(b.logs.lines.filter((line) => line.correlationId === 'corr-order').map((line) => line.event)).to.include.members(['http.request', 'db.query', 'http.response']);
    expect(a.logs.lines.every((line) => line.service === 'service-a')).to.equal(true);
  });

  it('generates a correlation id when the client sends none and passes it to B', async () => {
    const sent = await order({ sku: 'SKU-001', quantity: 1 });
    expect(sent.body.correlationId).to.match(/^[0-9a-f-]{36}$/);
    expect(sent.headers.get('x-correlation-id')).to.equal(sent.body.correlationId);
    expect((await reservationsIn())[0]).to.include({ correlation_id: sent.body.correlationId });
  });

  it("maps B's 404 and 409 to the same status as problem+json", async () => {
    const unknown = await order({ sku: 'SKU-NOPE', quantity: 1 });
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(unknown.body).to.include({ status: 404, detail: 'item SKU-NOPE does not exist' });
    const empty = await order({ sku: 'SKU-EMPTY', quantity: 1 });
    expect(empty.status).to.equal(409);
    expect(empty.body).to.include({ status: 409, title: 'Insufficient Stock' });
    expect(empty.body).to.have.all.keys('type', 'title', 'status', 'detail', 'correlationId');
  });

  it('answers 400 for an invalid order without calling B', async () => {
    for (const body of [{ sku: 'SKU-001', quantity: 0 }, { sku: 'lower', quantity: 1 }, { quantity: 1 }, { sku: 'SKU-001', quantity: 1, customerId: '' }]) {
      const sent = await order(body);
      expect(sent.status, JSON.stringify(body)).to.equal(400);
      expect(sent.headers.get('content-type')).to.match(/^application\/problem\+json/);
    }
    expect(a.logs.events('upstream.call')).to.have.length(0);
    expect(await stockOf('SKU-001')).to.equal(100);
  });

  it('answers a repeated Idempotency-Key with the same order and reserves once', async () => {
    const first = await order({ sku: 'SKU-001', quantity: 3 }, { 'idempotency-key': 'client-key-1' });
    const again = await order({ sku: 'SKU-001', quantity: 3 }, { 'idempotency-key': 'client-key-1' });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    // One reservation call in all (A reads the price first, then reserves; the replay calls nobody).
    expect(a.logs.events('upstream.call').filter((line) => line.path === '/reservations')).to.have.length(1);
    expect(a.logs.events('payments.call')).to.have.length(1);
    const rows = await reservationsIn();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ idempotency_key: 'client-key-1' });
    expect(await stockOf('SKU-001')).to.equal(97);
  });

  it('gives concurrent retries with one Idempotency-Key one order and one reservation', async () => {
    const sent = await Promise.all(Array.from({ length: 6 }, () => order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'client-key-race' })));
    expect(sent.every((s) => s.status === 200)).to.equal(true);
    expect(new Set(sent.map((s) => s.body.id)).size).to.equal(1);
    expect(await reservationsIn()).to.have.length(1);
    expect(await stockOf('SKU-001')).to.equal(99);
  });

  it('reads an order with its status from B, cancels it once, and 404s an unknown one', async () => {
    const created = (await order({ sku: 'SKU-002', quantity: 5 })).body;
    const read = await request(`${a.url}/orders/${created.id as string}`, 'GET');
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal(created);
    expect(await stockOf('SKU-002')).to.equal(45);

    const cancelled = await request(`${a.url}/orders/${created.id as string}`, 'DELETE');
    expect(cancelled.status).to.equal(200);
    expect(cancelled.body).to.deep.equal({ ...created, status: 'cancelled' });
    expect(await stockOf('SKU-002')).to.equal(50);
    expect((await request(`${a.url}/orders/${created.id as string}`, 'GET')).body).to.include({ status: 'cancelled' });
    expect((await request(`${a.url}/orders/${created.id as string}`, 'DELETE')).body).to.include({ status: 'cancelled' });
    expect(await stockOf('SKU-002')).to.equal(50);

    const unknown = await request(`${a.url}/orders/does-not-exist`, 'GET');
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it('answers 503 problem+json with Retry-After when B is unreachable, after its retries', async () => {
    const down = await startServiceA({ serviceBUrl: `http://127.0.0.1:${await getFreePort()}`, token: TEST_TOKEN, redisUrl: b.redisServer.url, retryAfterSeconds: 7 });
    try {
      const sent = await request(`${down.url}/orders`, 'POST', { sku: 'SKU-001', quantity: 1 }, { 'x-correlation-id': 'corr-down' });
      expect(sent.status).to.equal(503);
      expect(sent.headers.get('retry-after')).to.equal('7');
      expect(sent.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(sent.body).to.include({ status: 503, title: 'Service Unavailable', correlationId: 'corr-down' });
      expect(down.logs.events('upstream.call')).to.have.length(3);
      expect(down.logs.events('upstream.retry')).to.have.length(2);
      expect(down.logs.events('upstream.exhausted')[0]).to.include({ correlationId: 'corr-down', attempts: 3 });
    } finally {
      await down.stop();
    }
  });

  it('runs without Redis: answers 503 for an order it cannot store with its event, releases the reservation, warns store.degraded', async () => {
    const noRedis = await startServiceA({ serviceBUrl: b.url, token: TEST_TOKEN, redisUrl: `redis://127.0.0.1:${await getFreePort()}`, retryAfterSeconds: 3 });
    try {
      const first = await request(`${noRedis.url}/orders`, 'POST', { sku: 'SKU-001', quantity: 4 }, { 'idempotency-key': 'client-key-no-redis' });
      expect(first.status).to.equal(503);
      expect(first.headers.get('retry-after')).to.equal('3');
      expect(first.headers.get('content-type')).to.match(/^application\/problem\+json/);
      // B reserved, then A gave the stock back: nothing is held for an order that does not exist.
      const rows = (await b.pool.query<{ status: string }>('SELECT status FROM reservations')).rows;
      expect(rows.map((row) => row.status)).to.deep.equal(['released']);
      expect(await stockOf('SKU-001')).to.equal(100);
      expect(noRedis.logs.events('reservation.released')).to.have.length(1);
      const warnings = noRedis.logs.events('store.degraded').filter((line) => line.correlationId !== undefined);
      expect(warnings.map((line) => line.op)).to.include.members(['find', 'save']);
      expect(warnings.every((line) => line.level === 40)).to.equal(true);
      expect((await request(`${noRedis.url}/health`, 'GET')).body).to.deep.equal({ status: 'degraded', checks: { redis: 'down' } });
    } finally {
      await noRedis.stop();
    }
  });
});
