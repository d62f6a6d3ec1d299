import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ScenarioContext } from 'accord';
import { db, TABLES } from './system.js';

/** The part of an order event on the stream that a shipment must reproduce. */
export interface PublishedEvent {
  readonly streamId: string;
  readonly eventId: string;
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  /** B's reservation the order holds. */
  readonly reservationId: string;
  /** The entry's fields as A wrote them, to deliver the same event again. */
  readonly fields: readonly string[];
}

/** A shipment row as the stream scenarios compare it with the events (column names as in the database). */
export interface ShipmentRow {
  readonly event_id: string;
  readonly order_id: string;
  readonly sku: string;
  readonly quantity: number;
}

/** The `order.confirmed` events on `stream` about `sku`, oldest first, read from the real stream (XRANGE). */
export async function confirmedEventsFor(redis: Redis, stream: string, sku: string): Promise<PublishedEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  const events: PublishedEvent[] = [];
  for (const [streamId, fields] of entries) {
    const payload = fieldOf(fields, 'payload');
    if (fieldOf(fields, 'eventType') !== 'order.confirmed' || payload === undefined) continue;
    let event: { eventId?: unknown; order?: { id?: unknown; sku?: unknown; quantity?: unknown; reservationId?: unknown } };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      continue; // not A's: a scenario's own poison message
    }
    if (event.order?.sku !== sku) continue;
    events.push({ streamId, eventId: String(event.eventId), orderId: String(event.order.id), sku, quantity: Number(event.order.quantity), reservationId: String(event.order.reservationId), fields });
  }
  return events;
}

/** Adds a copy of `event` to `stream`: the duplicate delivery an at-least-once stream allows (a publisher's retry). */
export async function redeliver(redis: Redis, stream: string, event: PublishedEvent): Promise<void> {
  await redis.xadd(stream, '*', ...event.fields);
}

/** A dead-letter entry as C writes it: where it came from, why, after how many deliveries. */
export interface DeadLetter {
  readonly sourceId: string;
  readonly reason: string;
  readonly deliveries: string;
}

/** The entries of the dead-letter stream whose source entry is one of `sourceIds` (XRANGE of the real stream). */
export async function deadLettersOf(redis: Redis, deadLetterStream: string, sourceIds: readonly string[]): Promise<DeadLetter[]> {
  const wanted = new Set(sourceIds);
  const letters: DeadLetter[] = [];
  for (const [, fields] of await redis.xrange(deadLetterStream, '-', '+')) {
    const sourceId = fieldOf(fields, 'sourceId') ?? '';
    if (wanted.has(sourceId)) letters.push({ sourceId, reason: fieldOf(fields, 'reason') ?? '', deliveries: fieldOf(fields, 'deliveries') ?? '' });
  }
  return letters;
}

/** The shipments C recorded for `sku`, in event-id order. */
export async function shipmentsOf(ctx: ScenarioContext, sku: string): Promise<ShipmentRow[]> {
  const result = await db(ctx).query<ShipmentRow>(`SELECT event_id, order_id, sku, quantity FROM ${TABLES.shipments} WHERE sku = $1 ORDER BY event_id, id`, [sku]);
  return result.rows;
}

/** A checksum over what a shipment and its event share: equal sums mean the same orders, skus and quantities, each once. */
export function shipmentChecksum(rows: readonly Pick<ShipmentRow, 'event_id' | 'order_id' | 'sku' | 'quantity'>[]): string {
  const lines = rows.map((r) => `${r.event_id}|${r.order_id}|${r.sku}|${r.quantity}`).sort();
  return createHash('md5').update(lines.join('\n')).digest('hex');
}

/** The event ids that occur more than once among `rows`. */
export function duplicatedEvents(rows: readonly ShipmentRow[]): string[] {
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.event_id, (seen.get(row.event_id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
}

/** Polls until `done` holds of the shipments of `sku` or `timeoutMs` passes; returns the last rows read. */
export async function waitForShipments(ctx: ScenarioContext, sku: string, done: (rows: readonly ShipmentRow[]) => boolean, timeoutMs = 15_000): Promise<ShipmentRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await shipmentsOf(ctx, sku);
    if (done(rows) || Date.now() >= deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
