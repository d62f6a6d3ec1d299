import { LineCounter, parseDocument } from 'yaml';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import type { ContractSource } from './read-source.js';
import { createPositionLookup } from './source-positions.js';
import type { PositionLookup } from './source-positions.js';

/** Which specification a document follows. */
export type SpecKind = 'openapi-3.0' | 'openapi-3.1' | 'swagger-2.0' | 'asyncapi-3.0';

/** A parsed contract with its origin and a way back to line:column. */
export interface LoadedContract {
  label: string;
  file: string | undefined;
  text: string;
  document: JsonObject;
  kind: SpecKind;
  /** The `openapi` (or `swagger`, or `asyncapi`) field as written. */
  specVersion: string;
  positions: PositionLookup;
}

/** Options for {@link parseContract}. */
export interface ParseContractOptions {
  /** Accept Swagger 2.0 (only the pact check can read it). @default false */
  allowSwagger2?: boolean;
  /** Accept AsyncAPI 3.0 (lint and diff read it). @default false */
  allowAsyncApi?: boolean;
}

/**
 * Parses YAML or JSON text into an OpenAPI document and checks that it is one.
 * Every way it can fail is bad input: an {@link AccordError} naming the file and, for
 * syntax errors, the line and column.
 */
export function parseContract(source: ContractSource, options: ParseContractOptions = {}): LoadedContract {
  const { label, text } = source;
  if (text.trim() === '') {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: the file is empty, expected an OpenAPI 3.0 or 3.1 document`);
  }
  const value = parseText(label, text);
  if (value === null || value === undefined) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: the file has no content (only comments), expected an OpenAPI 3.0 or 3.1 document`);
  }
  if (!isObject(value)) {
    const got = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: not an OpenAPI document: expected a mapping with an \`openapi\` field, got ${got}`);
  }
  const { kind, specVersion } = detectKind(label, value, options.allowSwagger2 ?? false, options.allowAsyncApi ?? false);
  return { label, file: source.file, text, document: value, kind, specVersion, positions: createPositionLookup(text) };
}

function parseText(label: string, text: string): unknown {
  // JSON first: JSON.parse is far faster than a YAML parser on multi-megabyte documents.
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON; YAML (a superset) decides and reports the position.
    }
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error !== undefined) {
    const { line, col } = lines.linePos(error.pos[0]);
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
    throw new AccordError(ErrorCodes.PARSE_ERROR, `${label}:${line}:${col}: YAML syntax error: ${reason}`);
  }
  return document.toJS({ maxAliasCount: -1 });
}

function detectKind(label: string, document: JsonObject, allowSwagger2: boolean, allowAsyncApi: boolean): { kind: SpecKind; specVersion: string } {
  const { openapi, swagger, asyncapi } = document;
  if (asyncapi !== undefined && openapi === undefined) {
    const version = String(asyncapi);
    if (!allowAsyncApi) throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: is an AsyncAPI ${version} document; this command reads OpenAPI 3.0 and 3.1 (contract lint and diff read AsyncAPI)`);
    if (/^3\.0(\.\d+)?$/.test(version)) return { kind: 'asyncapi-3.0', specVersion: version };
    throw new AccordError(ErrorCodes.CONTRACT_VERSION_UNSUPPORTED, `${label}: unsupported \`asyncapi: ${version}\`; expected 3.0.x`);
  }
  if (swagger !== undefined && openapi === undefined) {
    if (String(swagger).startsWith('2') && allowSwagger2) return { kind: 'swagger-2.0', specVersion: String(swagger) };
    throw new AccordError(
      ErrorCodes.CONTRACT_VERSION_UNSUPPORTED,
      `${label}: is a Swagger ${String(swagger)} document; Accord reads OpenAPI 3.0 and 3.1, convert it first (for example \`npx swagger2openapi ${label} -o openapi.yaml\`)`,
    );
  }
  if (openapi === undefined) {
    const keys = Object.keys(document).slice(0, 5).join(', ') || 'none';
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: not an OpenAPI document: expected a top-level \`openapi: 3.x\` field, found keys ${keys}`);
  }
  const version = String(openapi);
  if (/^3\.0(\.\d+)?$/.test(version)) return { kind: 'openapi-3.0', specVersion: version };
  if (/^3\.1(\.\d+)?$/.test(version)) return { kind: 'openapi-3.1', specVersion: version };
  throw new AccordError(ErrorCodes.CONTRACT_VERSION_UNSUPPORTED, `${label}: unsupported \`openapi: ${version}\`; expected 3.0.x or 3.1.x`);
}
