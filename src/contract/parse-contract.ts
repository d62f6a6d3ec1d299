import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { MAX_OPERATIONS, MAX_PATHS, parseBoundedText, parseOffThread } from '../input/index.js';
import type { BoundedYaml, ParseTextRequest } from '../input/index.js';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import type { OpenApiDocument, SwaggerDocument } from './openapi-document.js';
import type { ContractSource } from './read-source.js';
import { createPositionLookup } from './source-positions.js';
import type { PositionLookup } from './source-positions.js';

/** Which specification a document follows. */
export type SpecKind = 'openapi-3.0' | 'openapi-3.1' | 'swagger-2.0' | 'asyncapi-3.0';

/** Where a parsed contract came from, and a way back to line:column. */
interface ContractSourceInfo {
  label: string;
  file: string | undefined;
  text: string;
  /** The `openapi` (or `swagger`, or `asyncapi`) field as written. */
  specVersion: string;
  positions: PositionLookup;
}

/** A parsed OpenAPI 3.0 or 3.1 contract. */
export interface OpenApiContract extends ContractSourceInfo {
  kind: 'openapi-3.0' | 'openapi-3.1';
  document: OpenApiDocument;
}

/** A parsed Swagger 2.0 contract (only the pact check accepts one). */
export interface SwaggerContract extends ContractSourceInfo {
  kind: 'swagger-2.0';
  document: SwaggerDocument;
}

/** A parsed AsyncAPI 3.0 contract. The rules walk it as plain JSON: openapi-types has no AsyncAPI types. */
export interface AsyncApiContract extends ContractSourceInfo {
  kind: 'asyncapi-3.0';
  document: JsonObject;
}

/** A parsed contract with its origin and a way back to line:column, told apart by `kind`. */
export type LoadedContract = OpenApiContract | SwaggerContract | AsyncApiContract;

/** Options for {@link parseContract}. */
export interface ParseContractOptions {
  /** Accept Swagger 2.0 (only the pact check can read it). @default false */
  allowSwagger2?: boolean;
  /** Accept AsyncAPI 3.0 (lint and diff read it). @default false */
  allowAsyncApi?: boolean;
}

/** Options that leave both Swagger 2.0 and AsyncAPI out (the default): OpenAPI 3.x only. */
export type OpenApiOnly = { allowSwagger2?: false; allowAsyncApi?: false };

/**
 * Parses YAML or JSON text into an OpenAPI document and checks that it is one.
 * Every way it can fail is bad input: an {@link AccordError} naming the file and, for
 * syntax errors, the line and column. The result's type admits only the kinds the options allow.
 */
export function parseContract(source: ContractSource, options?: ParseContractOptions & OpenApiOnly): OpenApiContract;
export function parseContract(source: ContractSource, options: ParseContractOptions & { allowSwagger2?: false }): OpenApiContract | AsyncApiContract;
export function parseContract(source: ContractSource, options: ParseContractOptions & { allowAsyncApi?: false }): OpenApiContract | SwaggerContract;
export function parseContract(source: ContractSource, options?: ParseContractOptions): LoadedContract;
export function parseContract(source: ContractSource, options: ParseContractOptions = {}): LoadedContract {
  assertNotEmpty(source);
  return toContract(source, fromParsed(source.label, parseBoundedText(parseRequest(source))), options);
}

/**
 * {@link parseContract} for a document of any size: a large one is parsed in a worker thread, so
 * Ctrl-C and SIGTERM are answered while it parses.
 */
export async function parseContractOffThread(source: ContractSource, options: ParseContractOptions = {}): Promise<LoadedContract> {
  assertNotEmpty(source);
  return toContract(source, fromParsed(source.label, await parseOffThread(parseRequest(source))), options);
}

function assertNotEmpty({ label, text }: ContractSource): void {
  if (text.trim() === '') {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: the file is empty, expected an OpenAPI 3.0 or 3.1 document`);
  }
}

// Limits (size, nesting, aliases) are checked before parsing: a document built to exhaust memory or the stack is bad input.
function parseRequest({ label, text }: ContractSource): ParseTextRequest {
  return { label, text, format: 'json-or-yaml', code: ErrorCodes.CONTRACT_INVALID, uniqueKeys: false };
}

function fromParsed(label: string, parsed: BoundedYaml): unknown {
  if (!parsed.ok) throw new AccordError(ErrorCodes.PARSE_ERROR, `${label}:${parsed.line}:${parsed.column}: YAML syntax error: ${parsed.reason}`);
  return parsed.value;
}

function toContract(source: ContractSource, value: unknown, options: ParseContractOptions): LoadedContract {
  const { label, text } = source;
  if (value === null || value === undefined) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: the file has no content (only comments), expected an OpenAPI 3.0 or 3.1 document`);
  }
  if (!isObject(value)) {
    const got = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: not an OpenAPI document: expected a mapping with an \`openapi\` field, got ${got}`);
  }
  const { kind, specVersion } = detectKind(label, value, options.allowSwagger2 ?? false, options.allowAsyncApi ?? false);
  assertCounts(label, value);
  return withDocument({ label, file: source.file, text, specVersion, positions: createPositionLookup(text) }, kind, value);
}

/** A contract of `kind` around `document` (parsed, or bundled from a parsed one). */
export function withDocument(info: ContractSourceInfo, kind: SpecKind, document: JsonObject): LoadedContract {
  switch (kind) {
    case 'openapi-3.0':
    case 'openapi-3.1':
      return { ...info, kind, document: asSpecDocument<OpenApiDocument>(document) };
    case 'swagger-2.0':
      return { ...info, kind, document: asSpecDocument<SwaggerDocument>(document) };
    case 'asyncapi-3.0':
      return { ...info, kind, document };
  }
}

/**
 * Parsed JSON read as a document of its specification: the one place it becomes typed. Loading
 * checks only the version field (a full schema validation is lint's job), so the rules keep
 * their runtime checks of each node; the types name the fields they may find there.
 */
function asSpecDocument<T extends OpenApiDocument | SwaggerDocument>(document: JsonObject): T {
  return document as unknown as T;
}

/** Throws when a document declares more paths or operations than {@link MAX_PATHS} / {@link MAX_OPERATIONS}. */
function assertCounts(label: string, document: JsonObject): void {
  const paths = document.paths;
  if (typeof paths !== 'object' || paths === null) return;
  const keys = Object.keys(paths);
  if (keys.length > MAX_PATHS) throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: ${keys.length} paths is more than the ${MAX_PATHS} a contract may declare`);
  let operations = 0;
  for (const key of keys) {
    const item = (paths as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) operations += Object.keys(item).length;
  }
  if (operations > MAX_OPERATIONS) throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: ${operations} operations is more than the ${MAX_OPERATIONS} a contract may declare`);
}

function detectKind(label: string, document: JsonObject, allowSwagger2: boolean, allowAsyncApi: boolean): { kind: SpecKind; specVersion: string } {
  const { openapi, swagger, asyncapi } = document;
  if (asyncapi !== undefined && openapi === undefined) {
    const version = printable(String(asyncapi), 40);
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
    const keys = printable(Object.keys(document).slice(0, 5).join(', '), 120) || 'none';
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: not an OpenAPI document: expected a top-level \`openapi: 3.x\` field, found keys ${keys}`);
  }
  const version = printable(String(openapi), 40);
  if (/^3\.0(\.\d+)?$/.test(version)) return { kind: 'openapi-3.0', specVersion: version };
  if (/^3\.1(\.\d+)?$/.test(version)) return { kind: 'openapi-3.1', specVersion: version };
  throw new AccordError(ErrorCodes.CONTRACT_VERSION_UNSUPPORTED, `${label}: unsupported \`openapi: ${version}\`; expected 3.0.x or 3.1.x`);
}
