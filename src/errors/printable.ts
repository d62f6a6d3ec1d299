/** Untrusted text made fit for a one-line message. */

/** The longest value {@link printable} keeps, in characters. */
export const PRINTABLE_MAX = 200;

/**
 * `text` as one printable line: control characters (NUL, escapes, newlines) and lone surrogates
 * are shown escaped (`\x00`, `\n`), and anything past `max` characters is cut with `…`. For values
 * taken from untrusted input (file contents, names, server messages) put into an error message.
 */
export function printable(text: string, max = PRINTABLE_MAX): string {
  let out = '';
  for (const ch of text) {
    if (out.length >= max) return `${out.slice(0, max)}…`;
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029) {
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
