import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startPostgres, startRedis } from 'accord';
import type { StartedPostgres, StartedRedis } from 'accord';
import { createMigratedDatabase } from '../../b/test/helpers/database.js';
import type { CapturedLogs } from '../../b/test/helpers/log-capture.js';
import { captureLogs } from '../../b/test/helpers/log-capture.js';
import { buildApp } from '../src/app.js';
import type { TestBreak } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { shipmentEffect } from '../src/shipment-effect.js';
import { applyEffects } from '../src/shipments.js';
import type { StartedStreamConsumer } from '../src/stream-consumer.js';
import { startWorker } from '../src/worker.js';
import type { WorkerConfig } from '../src/worker.js';
import { eventually, orderEvent, publish } from './helpers/events.js';

const STREAM = 'orders.events';
const DLQ = 'orders.events.dead-letter';

describe('service-c: the worker on a real Redis Stream and PostgreSQL', function () {
  this.timeout(60_000);
  let postgres: StartedPostgres;
  let redisServer: StartedRedis;
  let pool: pg.Pool;
  let redis: Redis;
  let logs: CapturedLogs;
  const running: Array<{ worker: StartedStreamConsumer; reader: Redis }> = [];

  before(async () => {
    [postgres, redisServer] = await Promise.all([startPostgres(), startRedis({ redisUrl: undefined })]);
    pool = new pg.Pool({ connectionString: await createMigratedDatabase(postgres, 'c_worker') });
    // The outage test stops PostgreSQL under the pool: its idle clients die then, which is expected.
    pool.on('error', () => undefined);
    redis = new Redis(redisServer.url);
  });
  after(async () => {
    redis?.disconnect();
    await pool?.end();
    await Promise.all([redisServer?.stop(), postgres?.stop()]);
  });
  beforeEach(async () => {
    await Promise.all([redis.flushdb(), pool.query('TRUNCATE shipments, processed_events')]);
    logs = captureLogs(createLogger);
  });
  afterEach(async () => {
    for (const { worker, reader } of running.splice(0)) {
      await worker.stop();
      reader.disconnect();
    }
  });

  const start = async (overrides: Partial<WorkerConfig> = {}, broken: TestBreak[] = []) => {
    const reader = new Redis(redisServer.url);
    const config: WorkerConfig = {
      stream: STREAM, group: 'service-c', consumer: 'service-c-1', deadLetterStream: DLQ, maxDeliveries: 3, claimIdleMs: 200, batchSize: 10, blockMs: 50,
      testBreak: new Set(broken), ...overrides,
    };
    const worker = await startWorker(redis, reader, pool, config, logs.logger);
    running.push({ worker, reader });
    return worker;
  };
  const shipments = async () => (await pool.query<{ order_id: string; status: string; quantity: number }>('SELECT order_id, status, quantity FROM shipments ORDER BY created_at')).rows;
  const pendingCount = async () => Number(((await redis.xpending(STREAM, 'service-c')) as [number])[0]);
  const deadLetters = async () =>
    (await redis.xrange(DLQ, '-', '+')).map(([, list]) => Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]])) as Record<string, string>);

  it('records a shipment per confirmed order, cancels it on order.cancelled, and acknowledges each entry', async () => {
    const worker = await start();
    const confirmed = orderEvent({ orderId: 'order-1', quantity: 2 });
    await publish(redis, STREAM, confirmed);
    await eventually(async () => (await shipments()).length === 1, 'the shipment');
    await publish(redis, STREAM, orderEvent({ type: 'order.cancelled', orderId: 'order-1' }));
    await eventually(async () => (await shipments())[0]?.status === 'cancelled', 'the cancellation');
    expect(await shipments()).to.deep.equal([{ order_id: 'order-1', status: 'cancelled', quantity: 2 }]);
    expect(await pendingCount()).to.equal(0);
    const lag = (await pool.query<{ ms: number }>('SELECT extract(epoch FROM processed_at - published_at) * 1000 AS ms FROM processed_events')).rows;
    expect(lag).to.have.length(2);
    expect(lag.every((row) => row.ms >= 0 && row.ms < 5000)).to.equal(true);
    expect(worker.stats).to.include({ applied: 2, duplicates: 0, deadLettered: 0 });
  });

  it('is idempotent on the event id: a redelivered or republished event creates no second shipment', async () => {
    const worker = await start();
    const event = orderEvent();
    await publish(redis, STREAM, event);
    await publish(redis, STREAM, event);
    await eventually(async () => worker.stats.duplicates === 1, 'the duplicate to be seen');
    expect(await shipments()).to.have.length(1);
    expect(await pendingCount()).to.equal(0);
  });

  it('creates its consumer group again when the stream is deleted under it (FLUSHDB, Redis restarted without persistence), and goes on consuming', async () => {
    await start();
    await publish(redis, STREAM, orderEvent({ orderId: 'before' }));
    await eventually(async () => (await shipments()).length === 1, 'the first shipment');
    await redis.flushdb();
    await publish(redis, STREAM, orderEvent({ orderId: 'after' }));
    await eventually(async () => (await shipments()).length === 2, 'the shipment published after the flush');
    expect((await shipments()).map((row) => row.order_id)).to.deep.equal(['before', 'after']);
    expect(logs.events('stream.group-recreated')).to.have.length(1);
  });

  it('with idempotency switched off (tests only), the same event ships twice: the guarantee is what prevents it', async () => {
    const worker = await start({}, ['idempotency']);
    const event = orderEvent();
    await publish(redis, STREAM, event);
    await publish(redis, STREAM, event);
    await eventually(async () => worker.stats.applied === 2, 'both deliveries applied');
    expect(await shipments()).to.have.length(2);
  });

  it('dead-letters an entry that is not JSON at once, with the reason, and the rest flow on', async () => {
    const worker = await start();
    const poisonId = await publish(redis, STREAM, 'not json at all');
    await publish(redis, STREAM, orderEvent({ orderId: 'after-poison' }));
    await eventually(async () => (await shipments()).length === 1, 'the event after the poison message');
    const [letter, ...more] = await deadLetters();
    expect(more).to.have.length(0);
    expect(letter).to.include({ sourceStream: STREAM, sourceId: poisonId, deliveries: '1', payload: 'not json at all' });
    expect(letter?.reason).to.match(/^the payload is not JSON: /);
    expect(worker.stats).to.include({ applied: 1, deadLettered: 1 });
    expect(await pendingCount()).to.equal(0);
    expect(logs.events('event.dead-lettered')[0]).to.include({ streamId: poisonId, level: 40 });
  });

  it('delivers a failing event again and dead-letters it after MAX_DELIVERIES deliveries', async () => {
    const worker = await start({ maxDeliveries: 3 });
    // A cancellation of an order C never saw fails every time.
    const failingId = await publish(redis, STREAM, orderEvent({ type: 'order.cancelled', orderId: 'never-confirmed' }));
    await publish(redis, STREAM, orderEvent({ orderId: 'next' }));
    await eventually(async () => (await shipments()).length === 1, 'the next event');
    const [letter] = await deadLetters();
    expect(letter).to.include({ sourceId: failingId, deliveries: '3', reason: 'no shipment for order never-confirmed to cancel' });
    expect(logs.events('event.failed').map((line) => line.deliveries)).to.deep.equal([1, 2]);
    expect(worker.stats).to.include({ deadLettered: 1, failures: 3 });
  });

  it('with dead-lettering switched off (tests only), a poison message stalls the stream: the guarantee is what keeps it flowing', async () => {
    await start({}, ['dead-letter']);
    await publish(redis, STREAM, 'not json');
    await publish(redis, STREAM, orderEvent());
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await shipments()).to.have.length(0);
    expect(await deadLetters()).to.have.length(0);
  });

  it('after a crash, takes back its own unacknowledged entries and claims those another consumer left idle', async () => {
    const mine = orderEvent({ orderId: 'mine' });
    const theirs = orderEvent({ orderId: 'theirs' });
    await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
    await publish(redis, STREAM, mine);
    // Delivered to this consumer name, never acknowledged: what a SIGKILL mid-batch leaves.
    await redis.xreadgroup('GROUP', 'service-c', 'service-c-1', 'COUNT', 1, 'STREAMS', STREAM, '>');
    await publish(redis, STREAM, theirs);
    await redis.xreadgroup('GROUP', 'service-c', 'service-c-gone', 'COUNT', 1, 'STREAMS', STREAM, '>');
    await start({ claimIdleMs: 100 });
    await eventually(async () => (await shipments()).length === 2, 'both pending entries');
    expect((await shipments()).map((s) => s.order_id).sort()).to.deep.equal(['mine', 'theirs']);
    expect(await pendingCount()).to.equal(0);
  });

  // Rows written by one transaction share its id (xmin): how many transactions wrote processed_events.
  const transactions = async () => Number((await pool.query<{ n: string }>('SELECT count(DISTINCT xmin::text) AS n FROM processed_events')).rows[0]?.n);
  const xackCalls = async () => Number(/cmdstat_xack:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);

  it('applies the entries of one read in one transaction and acknowledges them with one XACK', async () => {
    await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
    for (let i = 0; i < 5; i += 1) await publish(redis, STREAM, orderEvent({ orderId: `batch-${i}` }));
    const acksBefore = await xackCalls();
    const worker = await start();
    await eventually(async () => (await pendingCount()) === 0 && worker.stats.applied === 5, 'the batch to be applied and acknowledged');
    expect((await shipments()).map((row) => row.order_id)).to.deep.equal(['batch-0', 'batch-1', 'batch-2', 'batch-3', 'batch-4']);
    expect(await transactions()).to.equal(1);
    expect((await xackCalls()) - acksBefore).to.equal(1);
    expect(logs.events('event.processed')).to.have.length(5);
  });

  it('a poison message in the middle of a batch: its neighbours are committed once, it alone is delivered again and dead-lettered after MAX_DELIVERIES', async () => {
    await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
    await publish(redis, STREAM, orderEvent({ orderId: 'n-1' }));
    await publish(redis, STREAM, orderEvent({ orderId: 'n-2' }));
    // A cancellation of an order C never saw fails on every delivery, and rolls back the batch it is in.
    const poisonId = await publish(redis, STREAM, orderEvent({ type: 'order.cancelled', orderId: 'never-confirmed' }));
    await publish(redis, STREAM, orderEvent({ orderId: 'n-3' }));
    await publish(redis, STREAM, orderEvent({ orderId: 'n-4' }));
    const worker = await start({ maxDeliveries: 3 });
    await eventually(async () => (await deadLetters()).length === 1 && (await pendingCount()) === 0, 'the poison message to be dead-lettered');
    expect((await shipments()).map((row) => row.order_id)).to.deep.equal(['n-1', 'n-2', 'n-3', 'n-4']);
    const processedRows = (await pool.query<{ order_id: string }>('SELECT order_id FROM processed_events ORDER BY order_id')).rows.map((row) => row.order_id);
    expect(processedRows).to.deep.equal(['n-1', 'n-2', 'n-3', 'n-4']);
    const [letter] = await deadLetters();
    expect(letter).to.include({ sourceId: poisonId, deliveries: '3', reason: 'no shipment for order never-confirmed to cancel' });
    expect(logs.events('events.batch-split')).to.have.length(1);
    expect(logs.events('event.failed').map((line) => [line.streamId, line.deliveries])).to.deep.equal([[poisonId, 1], [poisonId, 2]]);
    expect(worker.stats).to.include({ applied: 4, duplicates: 0, deadLettered: 1, failures: 3 });
  });

  it('a non-JSON entry in a batch is dead-lettered at once and the rest of the batch commits together', async () => {
    await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
    await publish(redis, STREAM, orderEvent({ orderId: 'j-1' }));
    const poisonId = await publish(redis, STREAM, 'not json at all');
    await publish(redis, STREAM, orderEvent({ orderId: 'j-2' }));
    await publish(redis, STREAM, orderEvent({ orderId: 'j-3' }));
    const worker = await start();
    await eventually(async () => worker.stats.applied === 3 && worker.stats.deadLettered === 1 && (await pendingCount()) === 0, 'the batch and the dead letter');
    expect((await deadLetters()).map((letter) => [letter.sourceId, letter.deliveries])).to.deep.equal([[poisonId, '1']]);
    expect(await transactions()).to.equal(1);
    expect(logs.events('events.batch-split')).to.have.length(0);
  });

  it('a batch redelivered after a crash between its commit and its XACK ships nothing twice, nor does an event id repeated within a batch', async () => {
    await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
    const committed = [orderEvent({ orderId: 'c-1' }), orderEvent({ orderId: 'c-2' })];
    for (const event of committed) await publish(redis, STREAM, event);
    await publish(redis, STREAM, orderEvent({ orderId: 'c-3' }));
    // What a C killed after COMMIT but before XACK leaves: c-1 and c-2 committed yet pending, c-3 delivered and pending.
    const [[, delivered = []] = []] = (await redis.xreadgroup('GROUP', 'service-c', 'service-c-1', 'COUNT', 2, 'STREAMS', STREAM, '>')) as Array<[string, Array<[string, string[]]>]>;
    await applyEffects(pool, committed.map((event, i) => ({ effect: shipmentEffect(event as Parameters<typeof shipmentEffect>[0]), receipt: { eventId: event.eventId, eventType: event.type, orderId: event.order.id, streamId: delivered[i]?.[0] ?? '0-0' } })));
    await redis.xreadgroup('GROUP', 'service-c', 'service-c-1', 'COUNT', 1, 'STREAMS', STREAM, '>');
    expect(await pendingCount()).to.equal(3);
    // Not yet delivered: one event published twice, read together in the next batch.
    const twice = orderEvent({ orderId: 'c-4' });
    await publish(redis, STREAM, twice);
    await publish(redis, STREAM, twice);
    const worker = await start();
    await eventually(async () => worker.stats.applied + worker.stats.duplicates === 5 && (await pendingCount()) === 0, 'the pending batch and the new one');
    expect((await shipments()).map((row) => row.order_id)).to.deep.equal(['c-1', 'c-2', 'c-3', 'c-4']);
    expect(worker.stats).to.include({ applied: 2, duplicates: 3, deadLettered: 0 });
    expect(logs.events('event.processed').map((line) => [line.orderId, line.outcome])).to.deep.equal([
      ['c-1', 'duplicate'], ['c-2', 'duplicate'], ['c-3', 'applied'], ['c-4', 'applied'], ['c-4', 'duplicate'],
    ]);
  });

  it('waits out a Postgres outage without dead-lettering, then processes what arrived', async () => {
    await start();
    await postgres.halt('SIGTERM');
    try {
      await publish(redis, STREAM, orderEvent({ orderId: 'during-outage' }));
      await eventually(async () => logs.events('event.waiting').length > 0, 'the worker to notice the outage');
    } finally {
      await postgres.resume();
    }
    await eventually(async () => (await shipments().catch(() => [])).length === 1, 'the event after the outage', 20_000);
    expect(await deadLetters()).to.have.length(0);
  });

  it('/health reports the backlog (undelivered, pending) and the last lag', async () => {
    const app = buildApp({ redis, pool, stats: { applied: 0, duplicates: 0, deadLettered: 0, failures: 0, lastLagMs: null, waitingForDependency: false }, stream: STREAM, group: 'service-c', logger: logs.logger });
    try {
      await redis.xgroup('CREATE', STREAM, 'service-c', '0', 'MKSTREAM');
      for (let i = 0; i < 3; i += 1) await publish(redis, STREAM, orderEvent());
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).to.equal(200);
      expect(health.json()).to.deep.equal({
        status: 'ok',
        checks: { redis: 'ok', postgres: 'ok' },
        lag: { undelivered: 3, pending: 0, lastEventMs: null },
        events: { applied: 0, duplicates: 0, deadLettered: 0, failures: 0 },
      });
      const worker = await start();
      await eventually(async () => worker.stats.applied === 3, 'the backlog');
      const after = (await buildApp({ redis, pool, stats: worker.stats, stream: STREAM, group: 'service-c', logger: logs.logger }).inject({ method: 'GET', url: '/health' })).json();
      expect(after.lag).to.include({ undelivered: 0, pending: 0 });
      expect(after.lag.lastEventMs).to.be.a('number');
    } finally {
      await app.close();
    }
  });
});
