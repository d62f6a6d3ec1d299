import type { FastifyBaseLogger } from 'fastify';
import type { Db, Query } from './db.js';
import type { ItemCache } from './item-cache.js';
import type { ItemRow, Reservation, ReservationRow } from './model.js';
import { ITEM_COLUMNS, RESERVATION_COLUMNS, toReservation } from './model.js';
import { HttpProblem } from './problem.js';

/** What a caller asks to reserve, with the tracing fields taken from its headers. */
export interface ReserveInput {
  sku: string;
  quantity: number;
  idempotencyKey: string | null;
  correlationId: string | null;
  sourceService: string | null;
}

/** A reservation and whether this call created it (false: an Idempotency-Key replay). */
export interface ReserveOutcome {
  reservation: Reservation;
  created: boolean;
}

/**
 * Reserves stock: the decrement (a conditional UPDATE that takes the item's row lock) and the
 * insert happen in one transaction. A repeated Idempotency-Key returns the first reservation;
 * the unique constraint on idempotency_key settles two first attempts racing each other.
 */
export async function reserve(db: Db, cache: ItemCache, log: FastifyBaseLogger, input: ReserveInput): Promise<ReserveOutcome> {
  const { idempotencyKey } = input;
  if (idempotencyKey !== null) {
    const replay = await findByIdempotencyKey(db.query, idempotencyKey);
    if (replay) return { reservation: replay, created: false };
  }
  const outcome = await db.transaction(async (query) => {
    const [item] = await query<ItemRow>(
      `UPDATE items SET stock = stock - $1, updated_at = clock_timestamp() WHERE sku = $2 AND stock >= $1 RETURNING ${ITEM_COLUMNS}`,
      [input.quantity, input.sku],
    );
    if (!item) {
      // The UPDATE waited for any concurrent holder of the row lock, so a racing first attempt with
      // the same key has committed by now and is visible here.
      const replay = idempotencyKey === null ? null : await findByIdempotencyKey(query, idempotencyKey);
      if (replay) return { reservation: replay, created: false, item: null };
      const [exists] = await query<{ stock: number }>('SELECT stock FROM items WHERE sku = $1', [input.sku]);
      if (!exists) throw new HttpProblem(404, `item ${input.sku} does not exist`);
      throw new HttpProblem(409, `item ${input.sku} has ${exists.stock} in stock, ${input.quantity} requested`);
    }
    const [inserted] = await query<ReservationRow>(
      `INSERT INTO reservations (sku, quantity, status, correlation_id, source_service, idempotency_key)
       VALUES ($1, $2, 'active', $3, $4, $5)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${RESERVATION_COLUMNS}`,
      [input.sku, input.quantity, input.correlationId, input.sourceService, idempotencyKey],
    );
    // Another attempt with this key won: throwing rolls our decrement back.
    if (!inserted) throw new RollbackForReplay();
    return { reservation: toReservation(inserted), created: true, item };
  }).catch((error: unknown) => {
    if (error instanceof RollbackForReplay) return null;
    throw error;
  });
  if (outcome === null) {
    const replay = idempotencyKey === null ? null : await findByIdempotencyKey(db.query, idempotencyKey);
    if (!replay) throw new Error(`reservation for Idempotency-Key ${idempotencyKey} conflicted but cannot be found`);
    return { reservation: replay, created: false };
  }
  if (outcome.item) await cache.invalidate(outcome.item, log);
  return { reservation: outcome.reservation, created: outcome.created };
}

/** Thrown inside the reserve transaction so it rolls back; never escapes {@link reserve}. */
class RollbackForReplay extends Error {}

/** The reservation with `id`, or null (an id that is not a UUID cannot exist). */
export async function getReservation(db: Db, id: string): Promise<Reservation | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE id = $1`, [id]);
  return row ? toReservation(row) : null;
}

/**
 * Releases a reservation and restores its stock, once: the status change is conditional on
 * 'active', so a second (or concurrent) release changes nothing and returns the released row.
 */
export async function release(db: Db, cache: ItemCache, log: FastifyBaseLogger, id: string): Promise<Reservation | null> {
  if (!isUuid(id)) return null;
  const outcome = await db.transaction(async (query) => {
    const [released] = await query<ReservationRow>(
      `UPDATE reservations SET status = 'released', updated_at = clock_timestamp() WHERE id = $1 AND status = 'active' RETURNING ${RESERVATION_COLUMNS}`,
      [id],
    );
    if (!released) {
      const [row] = await query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE id = $1`, [id]);
      return row ? { reservation: toReservation(row), item: null } : null;
    }
    const [item] = await query<ItemRow>(
      `UPDATE items SET stock = stock + $1, updated_at = clock_timestamp() WHERE sku = $2 RETURNING ${ITEM_COLUMNS}`,
      [released.quantity, released.sku],
    );
    return { reservation: toReservation(released), item: item ?? null };
  });
  if (!outcome) return null;
  if (outcome.item) await cache.invalidate(outcome.item, log);
  return outcome.reservation;
}

async function findByIdempotencyKey(query: Query, key: string): Promise<Reservation | null> {
  const [row] = await query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE idempotency_key = $1`, [key]);
  return row ? toReservation(row) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return UUID.test(value);
}
