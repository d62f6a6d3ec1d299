/**
 * Service A as a message provider: the messages its consumers' message pacts expect, built by A's
 * real event code (buildOrderEvent, eventHeaders), from orders its provider states describe.
 */
import { defineMessageProviders } from 'accord';
import type { StoredOrder } from '../services/a/src/order.js';
import { buildOrderEvent, eventHeaders } from '../services/a/src/order-events.js';

const STREAM = 'orders.events';

/** An order as A stores it, with the id a state names. */
function order(params: Readonly<Record<string, unknown>>, status: StoredOrder['status']): StoredOrder {
  return {
    id: typeof params.orderId === 'string' ? params.orderId : '5b0e7c2a-9d41-4f3e-8a6b-1c2d3e4f5a6b',
    sku: 'SKU-001',
    quantity: 2,
    status,
    reservationId: '3f1c2b9e-5d4a-4c1e-9a7b-2e8f6d0c1a55',
    correlationId: 'corr-provider-state',
    createdAt: '2026-12-02T05:59:59.900Z',
    customerId: 'customer-17',
  };
}

/** The event A publishes for the state's order, with the metadata its stream entry carries. */
function event(state: Readonly<Record<string, unknown>>) {
  const built = buildOrderEvent(state.order as StoredOrder, { eventId: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', occurredAt: '2026-12-02T06:00:00.000Z' });
  return { content: built, metadata: eventHeaders(built, STREAM) };
}

export default defineMessageProviders({
  provider: 'service-a',
  states: {
    'an order was confirmed': (params) => ({ order: order(params, 'confirmed') }),
    'an order was cancelled': (params) => ({ order: order(params, 'cancelled') }),
  },
  messages: {
    'an order.confirmed event': event,
    'an order.cancelled event': event,
  },
});
