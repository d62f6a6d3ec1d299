import { expect } from 'chai';
import pg from 'pg';
import { openDb, withTransaction } from '../../../src/broker/db.js';
import { DELIVERY_CHANNEL, enqueueDeliveries, subscribedEvents } from '../../../src/broker/webhooks/webhook-store.js';
import { startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

const LOCAL = { policy: { schemeWhitelist: ['http'], hostWhitelist: ['127.0.0.1'] } };
const event = (consumerName: string, providerName: string) => ({ name: 'contract_published' as const, consumerName, providerName, params: {} });

describe('the webhook delivery queue in PostgreSQL', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let broker: TestBroker;
  let db: pg.Pool;

  before(async () => {
    harness = await startHarness();
    broker = await harness.fresh({ webhooks: LOCAL });
    db = new pg.Pool({ connectionString: harness.postgres.urlFor(broker.database), max: 1 });
  });
  after(async () => {
    await db?.end();
    await broker?.stop();
    await harness?.stop();
  });

  it('names the events some webhook of the integration listens for, and none for an integration no webhook covers', async () => {
    const scoped = await broker.api('POST', '/webhooks', { provider: { name: 'billing' }, events: [{ name: 'contract_published' }, { name: 'provider_verification_failed' }], request: { method: 'POST', url: 'http://127.0.0.1:9/hook' } });
    expect(scoped.status).to.equal(201);

    expect([...(await subscribedEvents(db, ['shop'], ['billing']))].sort()).to.deep.equal(['contract_published', 'provider_verification_failed']);
    expect([...(await subscribedEvents(db, ['shop'], ['catalog']))]).to.deep.equal([]);
  });

  it('notifies the other replicas only when asked, naming the replica that queued', async () => {
    const listener = new pg.Client({ connectionString: harness.postgres.urlFor(broker.database) });
    await listener.connect();
    try {
      const notices: Array<string | undefined> = [];
      const first = new Promise<void>((resolve) => {
        listener.on('notification', (notice) => {
          notices.push(notice.payload);
          resolve();
        });
      });
      await listener.query(`LISTEN ${DELIVERY_CHANNEL}`);

      expect(await enqueueDeliveries(db, [event('shop', 'billing')], { notify: false, from: 'replica-a' })).to.equal(1);
      expect(await enqueueDeliveries(db, [event('shop', 'billing')], { notify: true, from: 'replica-b' })).to.equal(1);
      // Nothing queued (no webhook covers the integration): nothing to tell either.
      expect(await enqueueDeliveries(db, [event('shop', 'catalog')], { notify: true, from: 'replica-c' })).to.equal(0);
      await first;
      // Notices arrive in commit order: had the first enqueue notified, its notice would come first.
      await listener.query('SELECT 1');
      expect(notices).to.deep.equal(['replica-b']);
    } finally {
      await listener.end();
    }
  });

  it("runs the broker's parameterised statements prepared, once per connection, and a failed one harms nothing", async () => {
    const pool = openDb(harness.postgres.urlFor(broker.database), 1);
    try {
      const add = 'SELECT $1::int + 1 AS n';
      expect((await pool.query(add, [1])).rows).to.deep.equal([{ n: 2 }]);
      const failed = await pool.query('SELECT $1::int FROM no_such_table', [1]).then(() => undefined, (error: Error) => error.message);
      expect(failed).to.match(/no_such_table/);
      const prepared = await withTransaction(pool, async (tx) => {
        expect((await tx.query(add, [2])).rows).to.deep.equal([{ n: 3 }]);
        return (await tx.query('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((row: { statement: string }) => row.statement);
      });
      // One server-side statement for the two calls; the query without parameters ran unnamed.
      expect(prepared).to.deep.equal([add]);
    } finally {
      await pool.end();
    }
  });
});
