import type pg from 'pg';
import type { ShipmentEffect } from './shipment-effect.js';

/** Where an event came from: what makes applying it idempotent and its lag measurable. */
export interface EventReceipt {
  eventId: string;
  eventType: string;
  orderId: string;
  /** The stream entry id; its first part is the millisecond A's XADD ran. */
  streamId: string;
}

/** An event whose effect cannot be applied (yet); it is delivered again, then dead-lettered. */
export class EffectError extends Error {
  override readonly name = 'EffectError';
}

/** Options for {@link applyEffects}. */
export interface ApplyOptions {
  /** Skip the event-id check (tests prove the scenarios catch the duplicates that follow). @default true */
  idempotent?: boolean;
}

/** One event's effect and where it came from. */
export interface ReceivedEffect {
  effect: ShipmentEffect;
  receipt: EventReceipt;
}

/** What applying an event did: its effect is now committed, or it had been already (nothing changed). */
export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * Applies the effects of `events` and records each event as processed, all in one transaction
 * with a statement per kind of write (not per event): an event already recorded, before or
 * earlier in `events`, changes nothing ('duplicate'), so a redelivered batch is harmless. Returns
 * the outcomes in the order of `events`; throws, having applied none, when any one cannot be
 * applied: the caller then applies them one at a time to find it.
 */
export async function applyEffects(pool: pg.Pool, events: readonly ReceivedEffect[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  const idempotent = options.idempotent ?? true;
  if (events.length === 0) return [];
  return inTransaction(pool, async (client) => {
    // WITH ORDINALITY keeps the stream order, so the first of two entries with one event id is the one applied.
    const recorded = await client.query<{ event_id: string }>(
      `INSERT INTO processed_events (event_id, event_type, order_id, stream_id, published_at)
       SELECT e.event_id, e.event_type, e.order_id, e.stream_id, to_timestamp(e.published_ms / 1000.0)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY
              AS e(event_id, event_type, order_id, stream_id, published_ms, n)
        ORDER BY e.n
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      columns(events, ({ receipt: r }) => [r.eventId, r.eventType, r.orderId, r.streamId, publishedMs(r.streamId)]),
    );
    const fresh = new Set(recorded.rows.map((row) => row.event_id));
    const outcomes = events.map(({ receipt }): ApplyOutcome => (!idempotent || fresh.delete(receipt.eventId) ? 'applied' : 'duplicate'));
    const applied = events.filter((_, i) => outcomes[i] === 'applied');
    const creates = applied.flatMap(({ effect, receipt }) => (effect.kind === 'create-shipment' ? [{ s: effect.shipment, eventId: receipt.eventId }] : []));
    if (creates.length > 0) {
      // clock_timestamp(), not the transaction's now(): each row keeps its own creation time, in stream order.
      await client.query(
        `INSERT INTO shipments (order_id, sku, quantity, reservation_id, customer_id, correlation_id, event_id, created_at, updated_at)
         SELECT s.order_id, s.sku, s.quantity, s.reservation_id, s.customer_id, s.correlation_id, s.event_id, t.at, t.at
           FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                AS s(order_id, sku, quantity, reservation_id, customer_id, correlation_id, event_id, n)
           CROSS JOIN LATERAL (SELECT clock_timestamp() AS at) t
          ORDER BY s.n`,
        columns(creates, ({ s, eventId }) => [s.orderId, s.sku, s.quantity, s.reservationId, s.customerId, s.correlationId, eventId]),
      );
    }
    // After the creations: a confirmation and its cancellation in one batch is the common case.
    const cancels = applied.flatMap(({ effect }) => (effect.kind === 'cancel-shipment' ? [effect.orderId] : []));
    if (cancels.length > 0) {
      const cancelled = await client.query<{ order_id: string }>(
        `UPDATE shipments SET status = 'cancelled', updated_at = clock_timestamp() WHERE order_id = ANY($1::text[]) RETURNING order_id`,
        [cancels],
      );
      const found = new Set(cancelled.rows.map((row) => row.order_id));
      // Cancellation before the confirmation arrived (only after a redelivery): try again later.
      const missing = cancels.find((orderId) => !found.has(orderId));
      if (missing !== undefined) throw new EffectError(`no shipment for order ${missing} to cancel`);
    }
    return outcomes;
  });
}

/** Transposes rows into one array per column: the parameters of an `unnest($1, $2, …)`. */
function columns<T>(items: readonly T[], row: (item: T) => unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (const item of items) {
    row(item).forEach((value, i) => {
      (out[i] ??= []).push(value);
    });
  }
  return out;
}

/** Runs `work` between BEGIN and COMMIT on one client; rolls back when it throws. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a connection reset during an outage would be an
  // uncaught 'error' event. The query in flight rejects with it anyway, so keep it for release.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError as Error;
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** The millisecond timestamp in a stream entry id (`<ms>-<seq>`). */
export function publishedMs(streamId: string): number {
  return Number(streamId.split('-')[0]);
}
