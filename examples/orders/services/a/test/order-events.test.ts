import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { StartedRedis } from 'accord';
import { startRedis } from 'accord';
import type { RunningServiceB } from '../../b/test/helpers/service-b.js';
import { startServiceB, TEST_TOKEN } from '../../b/test/helpers/service-b.js';
import { request } from '../../b/test/helpers/http.js';
import type { StoredOrder } from '../src/order.js';
import { buildOrderEvent, eventHeaders, toStreamFields } from '../src/order-events.js';
import type { OrderEvent } from '../src/order-events.js';
import { createOrderStore } from '../src/order-store.js';
import type { RunningServiceA } from './helpers/service-a.js';
import { startServiceA } from './helpers/service-a.js';

const STORED: StoredOrder = {
  id: 'order-1',
  sku: 'SKU-001',
  quantity: 2,
  status: 'confirmed',
  reservationId: 'res-1',
  correlationId: 'corr-1',
  createdAt: '2026-12-02T06:00:00.000Z',
  customerId: 'c-1',
};
const STAMP = { eventId: 'evt-1', occurredAt: '2026-12-02T06:00:00.100Z' };

describe('service-a: order events (pure building)', () => {
  it('builds order.confirmed from a confirmed order, with every field the consumers read', () => {
    expect(buildOrderEvent(STORED, STAMP)).to.deep.equal({
      eventId: 'evt-1',
      type: 'order.confirmed',
      occurredAt: '2026-12-02T06:00:00.100Z',
      correlationId: 'corr-1',
      order: { id: 'order-1', sku: 'SKU-001', quantity: 2, status: 'confirmed', reservationId: 'res-1', customerId: 'c-1', createdAt: '2026-12-02T06:00:00.000Z' },
    });
  });

  it('builds order.cancelled from a cancelled order and keeps a missing customer as null', () => {
    const event = buildOrderEvent({ ...STORED, status: 'cancelled', customerId: null }, STAMP);
    expect(event.type).to.equal('order.cancelled');
    expect(event.order).to.include({ status: 'cancelled', customerId: null });
  });

  it('flattens an event into stream fields: headers beside one JSON payload', () => {
    const event = buildOrderEvent(STORED, STAMP);
    const fields = toStreamFields(event);
    const map = Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]));
    expect(map).to.deep.include({ eventType: 'order.confirmed', eventId: 'evt-1', contentType: 'application/json' });
    expect(JSON.parse(map.payload as string)).to.deep.equal(event);
    expect(eventHeaders(event, 'orders.events')).to.deep.equal({ stream: 'orders.events', eventType: 'order.confirmed', eventId: 'evt-1', contentType: 'application/json' });
  });
});

describe('service-a: order events on a real Redis Stream', () => {
  let b: RunningServiceB;
  let redisServer: StartedRedis;
  let a: RunningServiceA;
  let redis: Redis;

  before(async () => {
    [b, redisServer] = await Promise.all([startServiceB('a_events'), startRedis({ redisUrl: undefined })]);
    a = await startServiceA({ serviceBUrl: b.url, token: TEST_TOKEN, redisUrl: redisServer.url, retryAfterSeconds: 2 });
    redis = new Redis(redisServer.url);
  });
  after(async () => {
    redis?.disconnect();
    await a?.stop();
    await Promise.all([b?.stop(), redisServer?.stop()]);
  });
  beforeEach(async () => {
    await Promise.all([b.reset(), redis.flushdb()]);
    a.logs.clear();
  });

  const order = (body: unknown, headers: Record<string, string> = {}) => request(`${a.url}/orders`, 'POST', body, headers);
  const events = async (): Promise<Array<{ streamId: string; fields: Record<string, string>; event: OrderEvent }>> =>
    (await redis.xrange('orders.events', '-', '+')).map(([streamId, list]) => {
      const fields = Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]])) as Record<string, string>;
      return { streamId, fields, event: JSON.parse(fields.payload ?? 'null') as OrderEvent };
    });
  const storedOrderIds = async () => (await redis.keys('order:*')).map((key) => key.slice('order:'.length)).sort();

  it('publishes order.confirmed with the order it stored, in the same step', async () => {
    const sent = await order({ sku: 'SKU-001', quantity: 2, customerId: 'c-9' }, { 'x-correlation-id': 'corr-evt' });
    expect(sent.status).to.equal(200);
    const [only, ...rest] = await events();
    expect(rest).to.have.length(0);
    expect(only?.fields).to.include({ eventType: 'order.confirmed', contentType: 'application/json' });
    expect(only?.event).to.deep.include({ type: 'order.confirmed', correlationId: 'corr-evt' });
    expect(only?.event.order).to.deep.equal({
      id: sent.body.id, sku: 'SKU-001', quantity: 2, status: 'confirmed', reservationId: sent.body.reservationId, customerId: 'c-9', createdAt: sent.body.createdAt,
    });
    expect(only?.fields.eventId).to.equal(only?.event.eventId);
    expect(a.logs.events('order.event')[0]).to.include({ orderId: sent.body.id, eventType: 'order.confirmed', streamId: only?.streamId });
  });

  it('publishes once per order: a replayed or racing Idempotency-Key adds no event', async () => {
    const racing = await Promise.all(Array.from({ length: 6 }, () => order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'evt-race' })));
    expect(racing.every((s) => s.status === 200)).to.equal(true);
    expect((await order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'evt-race' })).status).to.equal(200);
    const published = await events();
    expect(published.map((e) => e.event.order.id)).to.deep.equal([racing[0]?.body.id]);
    expect(await storedOrderIds()).to.deep.equal([racing[0]?.body.id]);
  });

  it('publishes order.cancelled when an order is cancelled, and only on the change', async () => {
    const created = (await order({ sku: 'SKU-002', quantity: 5 })).body;
    expect((await request(`${a.url}/orders/${created.id as string}`, 'DELETE')).status).to.equal(200);
    expect((await request(`${a.url}/orders/${created.id as string}`, 'DELETE')).status).to.equal(200);
    expect((await request(`${a.url}/orders/${created.id as string}`, 'GET')).status).to.equal(200);
    const published = await events();
    expect(published.map((e) => [e.event.type, e.event.order.id, e.event.order.status])).to.deep.equal([
      ['order.confirmed', created.id, 'confirmed'],
      ['order.cancelled', created.id, 'cancelled'],
    ]);
    expect(new Set(published.map((e) => e.event.eventId)).size).to.equal(2);
  });

  it('trims the stream approximately (MAXLEN ~) instead of letting it grow without bound', async () => {
    const store = createOrderStore(redis, { eventStreamMaxLen: 10, eventStream: 'trimmed.events' });
    const log = pino({ level: 'silent' });
    for (let i = 0; i < 400; i += 1) await store.save({ ...STORED, id: `trim-${i}` }, null, log);
    const length = await redis.xlen('trimmed.events');
    // "~" trims whole radix-tree nodes (100 entries by default), so a few more than 10 remain.
    expect(length).to.be.at.least(10).and.below(400);
  });

  it('writes nothing when the write reaches Redis after its deadline (A has answered 503 by then)', async () => {
    const log = pino({ level: 'silent' });
    // A deadline already past stands for a write a paused Redis runs only when it wakes.
    const late = createOrderStore(redis, { writeDeadlineMs: -1000 });
    let error: unknown;
    await late.save({ ...STORED, id: 'late-1' }, 'late-key', log).catch((e: unknown) => (error = e));
    expect((error as Error).name).to.equal('StoreUnavailableError');
    await late.update({ ...STORED, id: 'late-1', status: 'cancelled' }, log).catch(() => undefined);
    expect(await storedOrderIds()).to.deep.equal([]);
    expect(await events()).to.deep.equal([]);
    // In time, the same write lands with its event.
    await createOrderStore(redis).save({ ...STORED, id: 'late-1' }, 'late-key', log);
    expect(await storedOrderIds()).to.deep.equal(['late-1']);
  });

  it('answers 503 while its Redis is paused, creating no order without its event, and recovers when it resumes', async () => {
    const pid = redisServer.pid;
    if (pid === undefined) throw new Error('the test Redis has no pid');
    process.kill(pid, 'SIGSTOP');
    let paused;
    try {
      paused = await order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'paused-key' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(paused.status).to.equal(503);
    expect(paused.headers.get('retry-after')).to.equal('2');
    // What was (or was not) written while paused is consistent: orders and events pair up exactly.
    const published = await events();
    expect(published.map((e) => e.event.order.id).sort()).to.deep.equal(await storedOrderIds());
    while (a.redis.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'resumed-key' });
    expect(after.status).to.equal(200);
    const now = await events();
    expect(now.map((e) => e.event.order.id).sort()).to.deep.equal(await storedOrderIds());
    expect(now.map((e) => e.event.order.id)).to.include(after.body.id);
  });
});
