import type { OrderEvent } from './order-event.js';

/** A shipment C prepares for a confirmed order. */
export interface NewShipment {
  orderId: string;
  sku: string;
  quantity: number;
  reservationId: string;
  customerId: string | null;
  correlationId: string;
}

/** What one event asks of the shipments table. */
export type ShipmentEffect = { kind: 'create-shipment'; shipment: NewShipment } | { kind: 'cancel-shipment'; orderId: string };

/**
 * The handler: a pure function from an order event to its effect on shipments, apart from any
 * transport, so the message pact tests it with the pact's message alone.
 */
export function shipmentEffect(event: OrderEvent): ShipmentEffect {
  if (event.type === 'order.cancelled') return { kind: 'cancel-shipment', orderId: event.order.id };
  const { order } = event;
  return {
    kind: 'create-shipment',
    shipment: { orderId: order.id, sku: order.sku, quantity: order.quantity, reservationId: order.reservationId, customerId: order.customerId, correlationId: event.correlationId },
  };
}
