/** Text made safe for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Five replacements: a library would add a dependency for one line.
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** A table cell: plain text (escaped) or markup built from escaped parts (a link, a mark). */
export type HtmlCell = string | { readonly html: string };

/** An HTML table; text cells are escaped, `rowClass` may name a class per row (e.g. `fail`). */
export function htmlTable(header: readonly string[], rows: readonly (readonly HtmlCell[])[], rowClass: (index: number) => string | undefined = () => undefined): string {
  const head = `<tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row, index) => {
      const cls = rowClass(index);
      return `<tr${cls === undefined ? '' : ` class="${escapeHtml(cls)}"`}>${row.map((cell) => `<td>${typeof cell === 'string' ? escapeHtml(cell) : cell.html}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}
