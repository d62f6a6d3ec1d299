import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** An order event as A publishes it, with overrides; C's tests write their own so C shares no code with A. */
export function orderEvent(overrides: { type?: 'order.confirmed' | 'order.cancelled'; orderId?: string; eventId?: string; quantity?: number } = {}) {
  const type = overrides.type ?? 'order.confirmed';
  return {
    eventId: overrides.eventId ?? randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    correlationId: `corr-${randomUUID()}`,
    order: {
      id: overrides.orderId ?? randomUUID(),
      sku: 'SKU-001',
      quantity: overrides.quantity ?? 1,
      status: type === 'order.confirmed' ? 'confirmed' : 'cancelled',
      reservationId: randomUUID(),
      customerId: null,
      createdAt: new Date().toISOString(),
    },
  };
}

/** XADDs `payload` (an event, or a raw string for a poison message) to `stream` with A's entry layout; returns the entry id. */
export async function publish(redis: Redis, stream: string, payload: unknown): Promise<string> {
  const event = typeof payload === 'string' ? undefined : (payload as { eventId?: string; type?: string });
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return (await redis.xadd(stream, '*', 'eventType', event?.type ?? 'unknown', 'eventId', event?.eventId ?? 'unknown', 'contentType', 'application/json', 'payload', body)) as string;
}

/** Polls `probe` until it returns true, failing after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
