import type pg from 'pg';

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
