/** Escapes text for HTML content and attribute values (hand-written: five characters, no template library needed). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** Inline styles: the page loads nothing from anywhere. */
export const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:.9em}.muted{color:#57606a}
.pass,.yes{background:#dafbe1}.fail,.no{background:#ffebe9}.warn,.unknown,.skip,.missing{background:#fff8c5}
form{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}label{display:flex;flex-direction:column;font-size:.85em}
input,select,button{font:inherit;padding:.2rem .4rem}.verdict{font-weight:600;padding:.4rem .6rem;display:inline-block}
`;

/** A whole HTML document around `body`. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}
