import { Ajv } from 'ajv';

/** An order event as Service C reads it: the fields it relies on, whatever else A adds. */
export interface OrderEvent {
  eventId: string;
  type: 'order.confirmed' | 'order.cancelled';
  occurredAt: string;
  correlationId: string;
  order: {
    id: string;
    sku: string;
    quantity: number;
    status: 'confirmed' | 'cancelled';
    reservationId: string;
    customerId: string | null;
    createdAt: string;
  };
}

/** A stream entry decoded: the event, or why it can never be processed (it goes to the dead-letter stream). */
export type DecodedEntry = { ok: true; event: OrderEvent } | { ok: false; reason: string };

// Only what C needs is required and additional fields are allowed: a producer may add fields
// without breaking this consumer (the tolerant reader the contract's diff rules assume).
const schema = {
  type: 'object',
  required: ['eventId', 'type', 'occurredAt', 'correlationId', 'order'],
  properties: {
    eventId: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: ['order.confirmed', 'order.cancelled'] },
    occurredAt: { type: 'string' },
    correlationId: { type: 'string' },
    order: {
      type: 'object',
      required: ['id', 'sku', 'quantity', 'status', 'reservationId', 'customerId', 'createdAt'],
      properties: {
        id: { type: 'string', minLength: 1 },
        sku: { type: 'string', minLength: 1 },
        quantity: { type: 'integer', minimum: 1 },
        status: { type: 'string', enum: ['confirmed', 'cancelled'] },
        reservationId: { type: 'string', minLength: 1 },
        customerId: { type: ['string', 'null'] },
        createdAt: { type: 'string' },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile<OrderEvent>(schema);

/** Parses and checks an event's JSON payload; never throws. */
export function decodeOrderEvent(payload: string | undefined): DecodedEntry {
  if (payload === undefined) return { ok: false, reason: 'the entry has no payload field' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch (error) {
    return { ok: false, reason: `the payload is not JSON: ${(error as Error).message}` };
  }
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    return { ok: false, reason: `the payload is not an order event: ${problems.join('; ')}` };
  }
  return { ok: true, event: parsed };
}
