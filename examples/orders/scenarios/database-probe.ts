import type { ScenarioContext } from 'accord';
import { db, TABLES } from './system.js';

/** An item row as a scenario seeds it. */
export interface SeedItem {
  readonly sku: string;
  readonly stock: number;
  readonly priceCents?: number;
  readonly name?: string;
}

/** A reservation row as the scenarios inspect it (column names as in the database). */
export interface ReservationRow {
  readonly id: string;
  readonly sku: string;
  readonly quantity: number;
  readonly status: string;
  readonly correlation_id: string | null;
  readonly source_service: string | null;
  readonly idempotency_key: string | null;
}

/** Inserts items for a scenario; each scenario uses its own skus, so runs never see each other's rows. */
export async function seedItems(ctx: ScenarioContext, items: readonly SeedItem[]): Promise<void> {
  for (const item of items) {
    await db(ctx).query(`INSERT INTO ${TABLES.items} (sku, name, stock, price_cents, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`, [
      item.sku,
      item.name ?? `Scenario item ${item.sku}`,
      item.stock,
      item.priceCents ?? 1999,
    ]);
  }
}

/** The stock of `sku` in Postgres, or undefined when there is no such row. */
export async function stockOf(ctx: ScenarioContext, sku: string): Promise<number | undefined> {
  const result = await db(ctx).query<{ stock: number }>(`SELECT stock FROM ${TABLES.items} WHERE sku = $1`, [sku]);
  return result.rows[0]?.stock;
}

/** Every reservation of `sku`, oldest first. */
export async function reservationsOf(ctx: ScenarioContext, sku: string): Promise<ReservationRow[]> {
  const result = await db(ctx).query<ReservationRow>(
    `SELECT id::text, sku, quantity, status, correlation_id, source_service, idempotency_key FROM ${TABLES.reservations} WHERE sku = $1 ORDER BY created_at, id`,
    [sku],
  );
  return result.rows;
}
