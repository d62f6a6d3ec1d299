import { expect } from 'chai';
import pg from 'pg';
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
});
