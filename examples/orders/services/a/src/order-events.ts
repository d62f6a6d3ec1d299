import type { StoredOrder } from './order.js';

/** The kinds of event A publishes about an order; the type follows the order's status. */
export type OrderEventType = 'order.confirmed' | 'order.cancelled';

/** An order event as consumers read it (the `payload` field of a stream entry, as JSON). */
export interface OrderEvent {
  /** Unique per event: consumers deduplicate on it. */
  eventId: string;
  type: OrderEventType;
  /** When A wrote the order and its event (ISO 8601). */
  occurredAt: string;
  /** The correlation id of the request that caused the event. */
  correlationId: string;
  order: {
    id: string;
    sku: string;
    quantity: number;
    status: StoredOrder['status'];
    reservationId: string;
    customerId: string | null;
    createdAt: string;
  };
}

/** What makes one event unique and dated; passed in so that building stays pure. */
export interface EventStamp {
  eventId: string;
  occurredAt: string;
}

/** The content type of every event payload. */
export const ORDER_EVENT_CONTENT_TYPE = 'application/json';

/** The event type that announces an order in `status`. */
export function eventTypeOf(status: StoredOrder['status']): OrderEventType {
  return status === 'confirmed' ? 'order.confirmed' : 'order.cancelled';
}

/** The event announcing `order` in its current status. Pure: the message pact's provider uses it as is. */
export function buildOrderEvent(order: StoredOrder, stamp: EventStamp): OrderEvent {
  return {
    eventId: stamp.eventId,
    type: eventTypeOf(order.status),
    occurredAt: stamp.occurredAt,
    correlationId: order.correlationId,
    order: {
      id: order.id,
      sku: order.sku,
      quantity: order.quantity,
      status: order.status,
      reservationId: order.reservationId,
      customerId: order.customerId,
      createdAt: order.createdAt,
    },
  };
}

/**
 * The headers every event carries beside its payload, mirrored into the stream entry's fields so a
 * consumer can route on them without parsing the payload (and the message pact's metadata).
 */
export function eventHeaders(event: OrderEvent, stream: string): Record<string, string> {
  return { stream, eventType: event.type, eventId: event.eventId, contentType: ORDER_EVENT_CONTENT_TYPE };
}

/**
 * The flat field/value list XADD takes. Stream entries hold string maps only, so the event travels as
 * one JSON `payload` field next to its headers.
 */
export function toStreamFields(event: OrderEvent): string[] {
  return ['eventType', event.type, 'eventId', event.eventId, 'contentType', ORDER_EVENT_CONTENT_TYPE, 'payload', JSON.stringify(event)];
}
