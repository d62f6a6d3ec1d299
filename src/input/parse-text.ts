/**
 * One bounded parse of a document's text, JSON or YAML, as a plain request and result: what the
 * main thread runs for small documents and a worker thread for large ones (see parse-off-thread).
 */
import { ErrorCodes } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';
import { assertNestingDepth, parseBoundedJson, parseBoundedYaml } from './limits.js';
import type { BoundedYaml } from './limits.js';

/** A {@link BoundedYaml} that also says whether the value was read as JSON (the text is then its JSON). */
export type ParsedText = ({ ok: true; value: unknown } & { readonly json: boolean }) | Extract<BoundedYaml, { ok: false }>;

/**
 * `json`: JSON only, a syntax error thrown as JSON.parse's SyntaxError; `yaml`: YAML (JSON is
 * YAML too); `json-or-yaml`: text that starts like JSON is tried as JSON first (far faster), and
 * YAML decides when that fails.
 */
export type TextFormat = 'json' | 'yaml' | 'json-or-yaml';

/** What to parse and how a limit is reported. */
export interface ParseTextRequest {
  /** Names the document in messages. */
  readonly label: string;
  readonly text: string;
  readonly format: TextFormat;
  /** The code of a limit's error. @default ACCORD_PARSE_ERROR */
  readonly code?: ErrorCode;
  /** Refuse a mapping that repeats a key (YAML). @default true */
  readonly uniqueKeys?: boolean;
}

/** Parses `request.text` within the limits of src/input/limits.ts; a limit throws an AccordError. */
export function parseBoundedText(request: ParseTextRequest): ParsedText {
  const { label, text, format } = request;
  const code = request.code ?? ErrorCodes.PARSE_ERROR;
  if (format === 'json') return { ok: true, value: parseBoundedJson(label, text, code), json: true };
  if (format === 'json-or-yaml' && /^\s*[{[]/.test(text)) {
    let value: unknown;
    let json = true;
    try {
      value = parseBoundedJson(label, text, code);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      json = false; // not strict JSON: YAML (a superset) decides and reports the position
    }
    if (json) {
      assertNestingDepth(label, value, code);
      return { ok: true, value, json: true };
    }
  }
  const parsed = parseBoundedYaml(label, text, code, request.uniqueKeys === undefined ? {} : { uniqueKeys: request.uniqueKeys });
  return parsed.ok ? { ...parsed, json: false } : parsed;
}
