/**
 * Service C's consumer contract with Service A's order events (V4 asynchronous messages). The
 * handler under test is C's real one, decodeOrderEvent then shipmentEffect, fed the pact's message
 * content alone (no stream): the transport is not the contract. Writes pacts/service-c-service-a.json
 * (committed): content with matchers, plus metadata naming the stream and the event type.
 */
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4, v4AsynchronousBodyHandler } from '@pact-foundation/pact';
import { expect } from 'chai';
import { decodeOrderEvent } from '../../src/order-event.js';
import { shipmentEffect } from '../../src/shipment-effect.js';
import type { ShipmentEffect } from '../../src/shipment-effect.js';

const { integer, regex, string, uuid } = MatchersV3;

const PACT_DIR = fileURLToPath(new URL('../../../../pacts/', import.meta.url));
const PACT_FILE = 'service-c-service-a.json';
// As with A's pact: written in a fresh directory, moved into pacts/ in one rename once every test passed.
const WORK_DIR = await mkdtemp(join(tmpdir(), 'accord-pact-messages-'));
const STREAM = 'orders.events';
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const ORDER_ID = '5b0e7c2a-9d41-4f3e-8a6b-1c2d3e4f5a6b';

const pact = new PactV4({ consumer: 'service-c', provider: 'service-a', dir: WORK_DIR, logLevel: 'error' });

/** The fields of an order event C reads, with matchers: any values of these shapes satisfy C. */
function eventContent(type: 'order.confirmed' | 'order.cancelled') {
  return {
    eventId: uuid('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'),
    type,
    occurredAt: regex(ISO_INSTANT, '2026-12-02T06:00:00.000Z'),
    correlationId: string('corr-7d4e2c1a'),
    order: {
      id: uuid(ORDER_ID),
      sku: regex('^[A-Z0-9-]{1,32}$', 'SKU-001'),
      quantity: integer(2),
      status: type === 'order.confirmed' ? 'confirmed' : 'cancelled',
      reservationId: string('3f1c2b9e-5d4a-4c1e-9a7b-2e8f6d0c1a55'),
      // The provider state names a customer; C keeps null as well (its handler test covers that).
      customerId: string('customer-17'),
      createdAt: regex(ISO_INSTANT, '2026-12-02T05:59:59.900Z'),
    },
  };
}

/** C's handler as the stream adapter runs it: decode (never throws), then the pure effect. */
function handle(seen: ShipmentEffect[]) {
  return v4AsynchronousBodyHandler(async (content: unknown) => {
    const decoded = decodeOrderEvent(typeof content === 'string' ? content : JSON.stringify(content));
    if (!decoded.ok) throw new Error(decoded.reason);
    seen.push(shipmentEffect(decoded.event));
  });
}

describe('service-c consumes order events from service-a (message pact)', () => {
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    if (!failed) {
      const staged = join(PACT_DIR, `.${PACT_FILE}.${process.pid}`);
      await copyFile(join(WORK_DIR, PACT_FILE), staged);
      await rename(staged, join(PACT_DIR, PACT_FILE));
    }
    await rm(WORK_DIR, { recursive: true, force: true });
  });

  it('an order.confirmed event makes a shipment', async () => {
    const seen: ShipmentEffect[] = [];
    await pact
      .addAsynchronousInteraction()
      .given('an order was confirmed', { orderId: ORDER_ID })
      .expectsToReceive('an order.confirmed event', (message) => {
        message.withJSONContent(eventContent('order.confirmed')).withMetadata({ stream: STREAM, eventType: 'order.confirmed', contentType: 'application/json' });
      })
      .executeTest(handle(seen));
    expect(seen).to.deep.equal([{
      kind: 'create-shipment',
      shipment: { orderId: ORDER_ID, sku: 'SKU-001', quantity: 2, reservationId: '3f1c2b9e-5d4a-4c1e-9a7b-2e8f6d0c1a55', customerId: 'customer-17', correlationId: 'corr-7d4e2c1a' },
    }]);
  });

  it('an order.cancelled event cancels the shipment', async () => {
    const seen: ShipmentEffect[] = [];
    await pact
      .addAsynchronousInteraction()
      .given('an order was cancelled', { orderId: ORDER_ID })
      .expectsToReceive('an order.cancelled event', (message) => {
        message.withJSONContent(eventContent('order.cancelled')).withMetadata({ stream: STREAM, eventType: 'order.cancelled', contentType: 'application/json' });
      })
      .executeTest(handle(seen));
    expect(seen).to.deep.equal([{ kind: 'cancel-shipment', orderId: ORDER_ID }]);
  });
});
