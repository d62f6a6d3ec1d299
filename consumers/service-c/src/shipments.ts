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

/** Options for {@link applyEffect}. */
export interface ApplyOptions {
  /** Skip the event-id check (tests prove the scenarios catch the duplicates that follow). @default true */
  idempotent?: boolean;
}

/**
 * Applies `effect` and records the event as processed in one transaction: an event already
 * recorded changes nothing ('duplicate'), so redelivery is harmless.
 */
export async function applyEffect(pool: pg.Pool, effect: ShipmentEffect, receipt: EventReceipt, options: ApplyOptions = {}): Promise<'applied' | 'duplicate'> {
  const idempotent = options.idempotent ?? true;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const recorded = await client.query(
      `INSERT INTO processed_events (event_id, event_type, order_id, stream_id, published_at)
       VALUES ($1, $2, $3, $4, to_timestamp($5::bigint / 1000.0))
       ON CONFLICT (event_id) DO NOTHING`,
      [receipt.eventId, receipt.eventType, receipt.orderId, receipt.streamId, publishedMs(receipt.streamId)],
    );
    if (recorded.rowCount === 0 && idempotent) {
      await client.query('ROLLBACK');
      return 'duplicate';
    }
    if (effect.kind === 'create-shipment') {
      const s = effect.shipment;
      await client.query(
        `INSERT INTO shipments (order_id, sku, quantity, reservation_id, customer_id, correlation_id, event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [s.orderId, s.sku, s.quantity, s.reservationId, s.customerId, s.correlationId, receipt.eventId],
      );
    } else {
      const cancelled = await client.query(`UPDATE shipments SET status = 'cancelled', updated_at = clock_timestamp() WHERE order_id = $1`, [effect.orderId]);
      // Cancellation before the confirmation arrived (only after a redelivery): try again later.
      if (cancelled.rowCount === 0) throw new EffectError(`no shipment for order ${effect.orderId} to cancel`);
    }
    await client.query('COMMIT');
    return 'applied';
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError as Error;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The millisecond timestamp in a stream entry id (`<ms>-<seq>`). */
export function publishedMs(streamId: string): number {
  return Number(streamId.split('-')[0]);
}
