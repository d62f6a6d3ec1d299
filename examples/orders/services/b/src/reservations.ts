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

// One statement, so one round trip and one implicit transaction: a replayed Idempotency-Key is
// answered from `replay`; otherwise the conditional UPDATE decrements the stock (taking the item's
// row lock, so concurrent reservations of one item queue here) and the INSERT records the
// reservation. The INSERT has no ON CONFLICT on purpose: when a racing first attempt with the same
// key committed after this statement's snapshot, the unique violation aborts the whole statement,
// the decrement included, and the caller answers with the winner's reservation.
// The leading comment names the statement in logs, traces and pg_stat_activity.
const RESERVE_SQL = `/* reserve: UPDATE items, INSERT INTO reservations */ WITH replay AS (
  SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE idempotency_key = $5
), item AS (
  UPDATE items SET stock = stock - $2, updated_at = clock_timestamp()
  WHERE sku = $1 AND stock >= $2 AND NOT EXISTS (SELECT 1 FROM replay)
  RETURNING ${ITEM_COLUMNS}
), inserted AS (
  INSERT INTO reservations (sku, quantity, status, correlation_id, source_service, idempotency_key)
  SELECT sku, $2, 'active', $3, $4, $5 FROM item
  RETURNING ${RESERVATION_COLUMNS}
)
SELECT true AS created, inserted.*, item.name AS item_name, item.stock AS item_stock, item.price_cents AS item_price_cents,
       item.updated_at AS item_updated_at, item.version AS item_version
  FROM inserted CROSS JOIN item
UNION ALL
SELECT false, replay.*, NULL, NULL, NULL, NULL, NULL FROM replay`;

type ReserveRow = ReservationRow & {
  created: boolean;
  item_name: string | null;
  item_stock: number | null;
  item_price_cents: number | null;
  item_updated_at: Date | null;
  item_version: string | null;
};

// SQLSTATE unique_violation on the idempotency key's constraint: a racing attempt with the same key won.
const IDEMPOTENCY_CONFLICT = 'reservations_idempotency_key_key';

/**
 * Reserves stock in one statement (see {@link RESERVE_SQL}). A repeated Idempotency-Key returns the
 * first reservation; the unique constraint on idempotency_key settles two first attempts racing
 * each other.
 */
export async function reserve(db: Db, cache: ItemCache, log: FastifyBaseLogger, input: ReserveInput): Promise<ReserveOutcome> {
  const { idempotencyKey } = input;
  let rows: ReserveRow[];
  try {
    rows = await db.query<ReserveRow>(RESERVE_SQL, [input.sku, input.quantity, input.correlationId, input.sourceService, idempotencyKey]);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (idempotencyKey === null || code !== '23505' || constraint !== IDEMPOTENCY_CONFLICT) throw error;
    const replay = await findByIdempotencyKey(db.query, idempotencyKey);
    if (!replay) throw new Error(`reservation for Idempotency-Key ${idempotencyKey} conflicted but cannot be found`, { cause: error });
    return { reservation: replay, created: false };
  }
  const [row] = rows;
  if (!row) {
    // Nothing reserved. A racing first attempt with this key may have taken the last stock and
    // committed after our snapshot: a fresh read finds it.
    const replay = idempotencyKey === null ? null : await findByIdempotencyKey(db.query, idempotencyKey);
    if (replay) return { reservation: replay, created: false };
    const [exists] = await db.query<{ stock: number }>('SELECT stock FROM items WHERE sku = $1', [input.sku]);
    if (!exists) throw new HttpProblem(404, `item ${input.sku} does not exist`);
    throw new HttpProblem(409, `item ${input.sku} has ${exists.stock} in stock, ${input.quantity} requested`);
  }
  const reservation = toReservation(row);
  if (!row.created) return { reservation, created: false };
  await cache.invalidate(itemOf(row), log);
  return { reservation, created: true };
}

/** The decremented item a created reservation's row carries (the `item_*` columns are only null on a replay). */
function itemOf(row: ReserveRow): ItemRow {
  const { item_name: name, item_stock: stock, item_price_cents: priceCents, item_updated_at: updatedAt, item_version: version } = row;
  if (name === null || stock === null || priceCents === null || updatedAt === null || version === null) {
    throw new Error(`reservation ${row.id} was created but the statement returned no item row`);
  }
  return { sku: row.sku, name, stock, price_cents: priceCents, updated_at: updatedAt, version };
}

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
