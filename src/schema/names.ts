/** Always-quoted SQL identifier (safe for any name). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Always-quoted, dot-joined SQL name from identifier parts. */
export function sqlName(parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/** SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

// Like Postgres' quote_ident for display: bare when the name needs no quotes.
const BARE = /^[a-z_][a-z0-9_$]*$/;

/** Readable identifier: bare when safe (`users`), quoted otherwise (`"User Accounts"`). */
export function displayIdent(name: string): string {
  return BARE.test(name) ? name : quoteIdent(name);
}

/** Readable dot-joined name from identifier parts. */
export function displayName(parts: readonly string[]): string {
  return parts.map(displayIdent).join('.');
}
