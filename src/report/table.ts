import Table from 'cli-table3';

/** A column of {@link renderTable}: its header and how its cells line up. */
export interface Column {
  readonly header: string;
  /** @default 'left' */
  readonly align?: 'left' | 'right';
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** `plain`: columns two spaces apart; `boxed`: cli-table3 borders (no colours). @default 'plain' */
  readonly style?: 'plain' | 'boxed';
  /** Header row at the top. @default true */
  readonly header?: boolean;
  /** Plain style: a row of dashes under the header. @default false */
  readonly rule?: boolean;
}

/** A text table for terminals and CI logs alike: the same characters on a TTY, in a log and in a file. */
export function renderTable(columns: readonly (string | Column)[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const resolved = { style: 'plain', header: true, rule: false, ...options } as const;
  const cols = columns.map((column) => (typeof column === 'string' ? { header: column, align: 'left' as const } : { align: 'left' as const, ...column }));
  if (resolved.style === 'boxed') {
    const table = new Table({
      ...(resolved.header ? { head: cols.map((column) => column.header) } : {}),
      colAligns: cols.map((column) => column.align),
      style: { head: [], border: [] },
    });
    for (const row of rows) table.push([...row]);
    return table.toString();
  }
  const body = resolved.header ? [cols.map((column) => column.header), ...rows] : rows;
  const widths = cols.map((_, index) => Math.max(0, ...body.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (cols[index]?.align === 'right' ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = body.map(line);
  if (resolved.header && resolved.rule) lines.splice(1, 0, line(widths.map((width) => '-'.repeat(width))));
  return lines.join('\n');
}
