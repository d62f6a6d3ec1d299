/**
 * Limits on untrusted documents (contracts, pacts, config, profiles): a pull request may bring a
 * file built to exhaust memory or the stack. Each limit is far above any real document and is
 * named in the error that reports it.
 */
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';
import { LineCounter, parseDocument } from 'yaml';
import { DUPLICATE_KEY_REASON, firstDuplicateKeyOffset } from './duplicate-keys.js';

/** The largest document read (contract, referenced file, pact, config file, profile): 32 MB. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
/**
 * The largest YAML document: 2 MB. YAML parses about a hundred times slower than JSON (a second
 * per megabyte, on one thread that cannot then answer Ctrl-C), so larger documents must be JSON.
 */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
/**
 * The largest config or load-profile file (YAML): 256 kB. These are parsed on the main thread
 * (their messages need the syntax tree), where a quarter of a second is the most a parse may take.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** The deepest nesting of objects and arrays in a parsed document. */
export const MAX_NESTING_DEPTH = 256;
/** How many YAML aliases (`*name`) a document may use, expanded, counted by the yaml package. */
export const MAX_YAML_ALIASES = 10_000;
/** The most paths a contract may declare. */
export const MAX_PATHS = 20_000;
/** The most operations a contract may declare. */
export const MAX_OPERATIONS = 50_000;
/** The most interactions or messages one pact may hold. */
export const MAX_INTERACTIONS = 20_000;

/** Throws `code` naming `label` when `bytes` exceeds {@link MAX_DOCUMENT_BYTES}. */
export function assertDocumentSize(label: string, bytes: number, code: ErrorCode = ErrorCodes.PARSE_ERROR): void {
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new AccordError(code, `${label}: ${(bytes / 1024 / 1024).toFixed(1)} MB is larger than the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB a document may be`);
  }
}

/** The nesting depth of a parsed value, walked without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node as object)) if (typeof child === 'object' && child !== null) stack.push([child, here]);
  }
  return deepest;
}

/** Throws `code` naming `label` when `value` nests deeper than {@link MAX_NESTING_DEPTH}. */
export function assertNestingDepth(label: string, value: unknown, code: ErrorCode = ErrorCodes.PARSE_ERROR): void {
  if (nestingDepth(value) > MAX_NESTING_DEPTH) throw tooDeep(label, code);
}

/** The error for a document nested deeper than the limit. */
export function tooDeep(label: string, code: ErrorCode = ErrorCodes.PARSE_ERROR): AccordError {
  return new AccordError(code, `${label}: objects and arrays are nested more than ${MAX_NESTING_DEPTH} deep`);
}

/**
 * The deepest bracket nesting of JSON or YAML flow text (`[`, `{`) outside strings: checked before
 * a parser whose work is recursive sees the text, so a 100 000-deep document never reaches it.
 */
export function textNestingDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote !== 0) {
      if (code === 92 && quote === 34) i++;
      else if (code === quote) quote = 0;
      continue;
    }
    if (code === 34) quote = 34;
    else if (code === 91 || code === 123) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 93 || code === 125) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/** True for the RangeError of an exhausted stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Parses JSON text with the limits: size, bracket depth before parsing, depth after. `what`
 * names the document kind in a syntax error's message.
 */
export function parseBoundedJson(label: string, text: string, code: ErrorCode = ErrorCodes.PARSE_ERROR): unknown {
  assertDocumentSize(label, Buffer.byteLength(text), code);
  if (textNestingDepth(text) > MAX_NESTING_DEPTH) throw tooDeep(label, code);
  return JSON.parse(text);
}

/** A value from the input, fit for a one-line message: printable, cut at `max` characters. */
export function shown(value: unknown, max = 80): string {
  return printable(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), max);
}

/** The result of {@link parseBoundedYaml}: the value, or the first syntax error with its position. */
export type BoundedYaml = { ok: true; value: unknown } | { ok: false; line: number; column: number; reason: string };

/**
 * Parses YAML (or JSON) text with the limits: size, bracket depth before parsing, alias expansion
 * ({@link MAX_YAML_ALIASES}), depth after. A limit is thrown as `code` naming `label`; a syntax
 * error is returned with its line and column for the caller's own wording.
 */
export function parseBoundedYaml(label: string, text: string, code: ErrorCode = ErrorCodes.PARSE_ERROR, options: { uniqueKeys?: boolean } = {}): BoundedYaml {
  const bytes = Buffer.byteLength(text);
  assertDocumentSize(label, bytes, code);
  if (bytes > MAX_YAML_BYTES) {
    throw new AccordError(code, `${label}: ${(bytes / 1024 / 1024).toFixed(1)} MB of YAML is more than the ${MAX_YAML_BYTES / 1024 / 1024} MB a YAML document may be (JSON may be up to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`);
  }
  if (textNestingDepth(text) > MAX_NESTING_DEPTH) throw tooDeep(label, code);
  const lines = new LineCounter();
  let value: unknown;
  try {
    // Key uniqueness is checked here in one pass: the yaml package's own check is quadratic.
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const [error] = document.errors;
    if (error !== undefined) {
      const { line, col } = lines.linePos(error.pos[0]);
      const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
      return { ok: false, line, column: col, reason: printable(reason, 200) };
    }
    const duplicate = (options.uniqueKeys ?? true) ? firstDuplicateKeyOffset(document.contents) : undefined;
    if (duplicate !== undefined) {
      const { line, col } = lines.linePos(duplicate);
      return { ok: false, line, column: col, reason: DUPLICATE_KEY_REASON };
    }
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(label, code);
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new AccordError(code, `${label}: YAML aliases expand beyond the limit of ${MAX_YAML_ALIASES} (an alias bomb?)`);
    }
    throw error;
  }
  assertNestingDepth(label, value, code);
  return { ok: true, value };
}

/**
 * Where and why JSON.parse refused `text`, without the snippet of the text Node puts in its
 * message (a file that is not JSON may be a secret): `Unexpected token 'r' at line 1, column 1`.
 */
export function jsonSyntaxError(text: string, error: Error): string {
  const message = printable(error.message.replace(/, ".*is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, ''), 120);
  const offset = /position (\d+)/.exec(error.message)?.[1];
  if (offset === undefined) return message;
  const before = text.slice(0, Number(offset));
  const line = before.split('\n').length;
  const column = Number(offset) - before.lastIndexOf('\n');
  return `${message} at line ${line}, column ${column}`;
}
