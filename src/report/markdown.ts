import type { Column } from './table.js';

/**
 * Text made safe for one Markdown table cell or line: pipes escaped, line breaks folded to
 * spaces, and a `<` that would open an HTML tag (`<name>`) written as `&lt;` so it shows.
 * Emphasis is left alone, so callers can still write `**FAIL**` around escaped text.
 */
export function escapeMarkdown(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\r?\n/g, ' ').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** One GFM table row from cells that are already Markdown (escape plain text with {@link escapeMarkdown}). */
export function markdownRow(cells: readonly (string | number)[]): string {
  return `| ${cells.map(String).join(' | ')} |`;
}

/** A GFM table: header, the alignment row (`---` or `---:`), then the rows; cells are escaped. */
export function markdownTable(columns: readonly (string | Column)[], rows: readonly (readonly (string | number)[])[]): string {
  const cols = columns.map((column) => (typeof column === 'string' ? { header: column } : column));
  return [
    markdownRow(cols.map((column) => escapeMarkdown(column.header))),
    markdownRow(cols.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...rows.map((row) => markdownRow(row.map((cell) => escapeMarkdown(String(cell))))),
  ].join('\n');
}

/** A fenced code block whose fence is longer than any backtick run inside, so no content can close it early. */
export function markdownFence(language: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body.replace(/\n$/, '')}\n${fence}`;
}
