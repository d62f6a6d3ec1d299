/** An item as the API shows it. */
export interface Item {
  sku: string;
  name: string;
  stock: number;
  priceCents: number;
  updatedAt: string;
}

/** A stock reservation as the API shows it. */
export interface Reservation {
  id: string;
  sku: string;
  quantity: number;
  status: 'active' | 'released';
  correlationId: string | null;
  sourceService: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An `items` row selected with {@link ITEM_COLUMNS}. */
export interface ItemRow {
  sku: string;
  name: string;
  stock: number;
  price_cents: number;
  updated_at: Date;
  /** `updated_at` in microseconds since the epoch: orders cache writes (see item-cache.ts). */
  version: string;
}

/** A `reservations` row. */
export interface ReservationRow {
  id: string;
  sku: string;
  quantity: number;
  status: 'active' | 'released';
  correlation_id: string | null;
  source_service: string | null;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The select list that yields an {@link ItemRow}. */
export const ITEM_COLUMNS = `sku, name, stock, price_cents, updated_at, (extract(epoch from updated_at) * 1000000)::bigint::text AS version`;

/** The select list that yields a {@link ReservationRow}. */
export const RESERVATION_COLUMNS = `id, sku, quantity, status, correlation_id, source_service, idempotency_key, created_at, updated_at`;

/** Maps a row to the API's item. */
export function toItem(row: ItemRow): Item {
  return { sku: row.sku, name: row.name, stock: row.stock, priceCents: row.price_cents, updatedAt: row.updated_at.toISOString() };
}

/** Maps a row to the API's reservation. */
export function toReservation(row: ReservationRow): Reservation {
  return {
    id: row.id,
    sku: row.sku,
    quantity: row.quantity,
    status: row.status,
    correlationId: row.correlation_id,
    sourceService: row.source_service,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
