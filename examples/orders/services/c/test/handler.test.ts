import { expect } from 'chai';
import { ConfigError, readConfig } from '../src/config.js';
import { decodeOrderEvent } from '../src/order-event.js';
import { shipmentEffect } from '../src/shipment-effect.js';
import { orderEvent } from './helpers/events.js';

describe('service-c: the handler (pure) and its settings', () => {
  it('turns order.confirmed into a new shipment and order.cancelled into a cancellation', () => {
    const confirmed = orderEvent({ orderId: 'o-1', quantity: 3 });
    const decoded = decodeOrderEvent(JSON.stringify(confirmed));
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(shipmentEffect(decoded.event)).to.deep.equal({
      kind: 'create-shipment',
      shipment: { orderId: 'o-1', sku: 'SKU-001', quantity: 3, reservationId: confirmed.order.reservationId, customerId: null, correlationId: confirmed.correlationId },
    });
    const cancelled = decodeOrderEvent(JSON.stringify(orderEvent({ type: 'order.cancelled', orderId: 'o-1' })));
    if (!cancelled.ok) throw new Error(cancelled.reason);
    expect(shipmentEffect(cancelled.event)).to.deep.equal({ kind: 'cancel-shipment', orderId: 'o-1' });
  });

  it('accepts fields it does not know (a producer may add optional ones)', () => {
    expect(decodeOrderEvent(JSON.stringify({ ...orderEvent(), schemaVersion: 2 })).ok).to.equal(true);
  });

  it('says why an entry can never be processed: not JSON, no payload, not an order event', () => {
    const notJson = decodeOrderEvent('{"eventId": ');
    expect(notJson.ok).to.equal(false);
    expect(!notJson.ok && notJson.reason).to.match(/^the payload is not JSON: /);
    expect(decodeOrderEvent(undefined)).to.deep.equal({ ok: false, reason: 'the entry has no payload field' });
    const { order: _order, ...noOrder } = orderEvent();
    const missing = decodeOrderEvent(JSON.stringify(noOrder));
    expect(!missing.ok && missing.reason).to.equal("the payload is not an order event: / must have required property 'order'");
    const badQuantity = decodeOrderEvent(JSON.stringify(orderEvent({ quantity: 0 })));
    expect(!badQuantity.ok && badQuantity.reason).to.equal('the payload is not an order event: /order/quantity must be >= 1');
  });

  it('reads its settings with defaults and names a bad one', () => {
    const config = readConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' });
    expect(config).to.deep.include({ port: 8003, stream: 'orders.events', group: 'service-c', consumer: 'service-c-1', deadLetterStream: 'orders.events.dead-letter', maxDeliveries: 5, claimIdleMs: 5000, batchSize: 100 });
    expect([...config.testBreak]).to.deep.equal([]);
    expect([...readConfig({ DATABASE_URL: 'postgres://x', SERVICE_C_TEST_BREAK: 'idempotency,dead-letter' }).testBreak]).to.deep.equal(['idempotency', 'dead-letter']);
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'DATABASE_URL is missing'],
      [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres: or postgresql:, got `mysql:`'],
      [{ DATABASE_URL: 'postgres://x', MAX_DELIVERIES: '0' }, 'MAX_DELIVERIES must be an integer from 1 to 1000, got `0`'],
      [{ DATABASE_URL: 'postgres://x', SERVICE_C_TEST_BREAK: 'ordering' }, 'SERVICE_C_TEST_BREAK must list idempotency and/or dead-letter, got `ordering`'],
    ];
    for (const [env, message] of cases) expect(() => readConfig(env), message).to.throw(ConfigError, message);
  });
});
