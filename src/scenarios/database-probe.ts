import type pg from 'pg';
import type { ScenarioTables } from './scenarios-config.js';

/** The database the probes read and the table names scenarios.yaml gives them (a ScenarioContext is one). */
export interface ProbeDatabase {
  readonly db: pg.Pool;
  readonly tables: ScenarioTables;
}

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
export async function seedItems({ db, tables }: ProbeDatabase, items: readonly SeedItem[]): Promise<void> {
  for (const item of items) {
    // Table names come from scenarios.yaml, validated as plain identifiers.
    await db.query(`INSERT INTO ${tables.items} (sku, name, stock, price_cents, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`, [
      item.sku,
      item.name ?? `Scenario item ${item.sku}`,
      item.stock,
      item.priceCents ?? 1999,
    ]);
  }
}

/** The stock of `sku` in Postgres, or undefined when there is no such row. */
export async function stockOf({ db, tables }: ProbeDatabase, sku: string): Promise<number | undefined> {
  const result = await db.query<{ stock: number }>(`SELECT stock FROM ${tables.items} WHERE sku = $1`, [sku]);
  return result.rows[0]?.stock;
}

/** Every reservation of `sku`, oldest first. */
export async function reservationsOf({ db, tables }: ProbeDatabase, sku: string): Promise<ReservationRow[]> {
  const result = await db.query<ReservationRow>(
    `SELECT id::text, sku, quantity, status, correlation_id, source_service, idempotency_key FROM ${tables.reservations} WHERE sku = $1 ORDER BY created_at, id`,
    [sku],
  );
  return result.rows;
}

/**
 * An md5 of every table in the public schema, over its rows in a fixed order: two equal maps mean
 * no row was added, removed or changed in between. The row's text form covers every column.
 */
export async function checksumTables(db: pg.Pool): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>("SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
  const sums: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const result = await db.query<{ sum: string | null; rows: string }>(`SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum, count(*)::text AS rows FROM ${name} t`);
    const row = result.rows[0];
    sums[name] = `${row?.sum ?? ''}/${row?.rows ?? '0'} rows`;
  }
  return sums;
}

/** The tables whose checksums differ between two {@link checksumTables} maps (including tables added or removed). */
export function changedTables(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
