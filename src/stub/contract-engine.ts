import { OpenAPIBackend } from 'openapi-backend';
import type { Operation, Request as BackendRequest } from 'openapi-backend';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadContract } from '../contract/index.js';
import type { OpenApiContract, OpenApiDocument } from '../contract/index.js';

// ajv-formats is CommonJS with a default export; under nodenext it arrives as the namespace.
const addFormats = addFormatsModule as unknown as (ajv: unknown) => unknown;

/** One way a request or an answer disagrees with the contract, naming the field. */
export interface Violation {
  /** `body`, `header`, `path`, `query`, `status`, `response.body`, `route`. */
  readonly location: string;
  /** The field (`card.token`, `Idempotency-Key`), or '' for the whole thing. */
  readonly field: string;
  /** ajv's keyword (`required`, `additionalProperties`, `type`…) or `status`, `route`. */
  readonly code: string;
  readonly message: string;
}

/** A request as the engine checks it; header names in any case. */
export interface EngineRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
}

/** A canned answer of the document. */
export interface ExampleAnswer {
  readonly status: number;
  readonly mediaType: string | undefined;
  readonly body: unknown;
}

/** Routes, validates and answers from one OpenAPI document. */
export interface ContractEngine {
  readonly contract: OpenApiContract;
  /** The operation `method path` routes to, or undefined (`pathKnown` says whether another method has that path). */
  match(method: string, path: string): { operation: Operation | undefined; pathKnown: boolean };
  /** `operationId (METHOD /template)`, how messages name an operation. */
  describe(operation: Operation): string;
  /** What is wrong with `request` for `operation`; empty when it is valid. */
  checkRequest(operation: Operation, request: EngineRequest): Violation[];
  /** What is wrong with an answer: an undeclared status, a field the vendor does not send, a missing one. */
  checkResponse(operation: Operation, status: number, body: unknown): Violation[];
  /** The statuses `operation` declares, as written (`201`, `4XX`, `default`). */
  statuses(operation: Operation): string[];
  /** The document's example for `operation`: the given status (default: the first 2xx) and named example (default: the first). */
  example(operation: Operation, options?: { status?: number; example?: string }): ExampleAnswer | undefined;
}

/**
 * Builds a {@link ContractEngine} over a contract file. The file goes through Accord's own
 * loader (so a broken document is reported with file:line); routing, request validation and
 * examples come from openapi-backend. Objects are read closed: a property the document does not
 * list is a violation, in requests and in answers alike, because a mock or a client that sends a
 * field the vendor never wrote down is exactly the drift this engine exists to catch.
 */
// eslint-disable-next-line max-lines-per-function -- the engine's match, validate and example functions close over one loaded document and its validators
export async function loadContractEngine(file: string, options: { cwd?: string } = {}): Promise<ContractEngine> {
  const contract = await loadContract(file, options.cwd === undefined ? {} : { cwd: options.cwd });
  const document = closeObjects(structuredClone(contract.document));
  // quick: openapi-backend's own document check knows OpenAPI 3.0 only; Accord's loader has
  // already read the document (3.0 or 3.1), and lint is the place for its deeper checks.
  const api = new OpenAPIBackend({
    definition: document as never,
    quick: true,
    validate: true,
    ignoreTrailingSlashes: true,
    // Every offending field at once, not the first.
    ajvOpts: { allErrors: true, strict: false },
    customizeAjv: (ajv) => addFormats(ajv as never) as never,
  });
  await api.init();
  // Compiled now rather than on each operation's first request, which would take that request
  // past a client's timeout (the validators cost up to a second to build on a slow machine).
  for (const operation of api.router.getOperations() as Operation[]) {
    const id = operation.operationId;
    if (id === undefined) continue;
    api.validator.getRequestValidatorsForOperation(id);
    api.validator.getStatusBasedResponseValidatorForOperation(id);
  }
  const headerNames = new Map<string, Map<string, string>>();

  const headerName = (operation: Operation, lower: string): string => {
    const id = operation.operationId ?? '';
    let names = headerNames.get(id);
    if (names === undefined) {
      names = new Map();
      for (const parameter of (operation.parameters ?? []) as { in?: string; name?: string }[]) {
        if (parameter.in === 'header' && typeof parameter.name === 'string') names.set(parameter.name.toLowerCase(), parameter.name);
      }
      headerNames.set(id, names);
    }
    return names.get(lower) ?? lower;
  };

  const toViolation = (operation: Operation, error: ErrorObject, response: boolean): Violation => {
    const parts = error.instancePath.split('/').slice(1).map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    let location = response ? 'response.body' : 'body';
    if (!response) {
      const head = parts.shift();
      location = head === 'requestBody' ? 'body' : head === 'header' ? 'header' : head === 'query' ? 'query' : head === 'path' ? 'path' : head ?? 'request';
    }
    const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
    const leaf = params.missingProperty ?? params.additionalProperty;
    if (leaf !== undefined) parts.push(leaf);
    let field = parts.join('.');
    if (location === 'header') field = headerName(operation, field.toLowerCase());
    const named = field === '' ? (location === 'body' || location === 'response.body' ? 'the body' : location) : `\`${field}\``;
    let message: string;
    if (params.missingProperty !== undefined) message = `${named} is required`;
    else if (params.additionalProperty !== undefined) message = `${named} is not in the contract`;
    else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) message = `${named} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    else message = `${named} ${error.message ?? 'is invalid'}`;
    return { location, field, code: error.keyword, message };
  };

  // openapi-backend's matching walks every operation with lodash (tens of microseconds); a stub
  // sees the same few paths over and over. Bounded: paths carry ids.
  const matches = new Map<string, { operation: Operation | undefined; pathKnown: boolean }>();
  const engine: ContractEngine = {
    contract,
    match(method, path) {
      const key = `${method.toLowerCase()} ${path}`;
      const known = matches.get(key);
      if (known !== undefined) return known;
      const request: BackendRequest = { method: method.toLowerCase(), path, headers: {} };
      const operation = api.router.matchOperation(request) as Operation | undefined;
      const found = operation !== undefined ? { operation, pathKnown: true } : { operation: undefined, pathKnown: pathExists(api, path) };
      if (matches.size >= 1000) matches.clear();
      matches.set(key, found);
      return found;
    },
    describe(operation) {
      return `${operation.operationId ?? '(no operationId)'} (${operation.method.toUpperCase()} ${operation.path})`;
    },
    checkRequest(operation, request) {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
      const result = api.validator.validateRequest({ method: request.method.toLowerCase(), path: request.path, query: request.query ?? {}, headers, body: request.body }, operation as never);
      return [...securityViolations(document, operation, headers), ...(result.errors ?? []).map((error) => toViolation(operation, error, false))];
    },
    checkResponse(operation, status, body) {
      const declared = engine.statuses(operation);
      if (!declared.some((code) => statusMatches(code, status))) {
        return [{ location: 'status', field: '', code: 'status', message: `${status} is not a status the contract declares (declared: ${declared.join(', ')})` }];
      }
      const response = responseFor(operation, status);
      const media = response?.content ? Object.values(response.content)[0] : undefined;
      if (media?.schema === undefined) return body === undefined || body === '' ? [] : [{ location: 'response.body', field: '', code: 'body', message: `the contract declares no body for ${status}` }];
      const result = api.validator.validateResponse(body, operation as never, status);
      return (result.errors ?? []).map((error) => toViolation(operation, error, true));
    },
    statuses(operation) {
      return Object.keys(operation.responses ?? {});
    },
    example(operation, options = {}) {
      const statuses = engine.statuses(operation);
      const code = options.status === undefined ? statuses.find((s) => /^2/.test(s)) ?? statuses[0] : statuses.find((s) => statusMatches(s, options.status as number));
      if (code === undefined) return undefined;
      const status = options.status ?? (/^\d{3}$/.test(code) ? Number(code) : 200);
      const response = responseFor(operation, status);
      const [mediaType, media] = Object.entries(response?.content ?? {})[0] ?? [];
      if (media === undefined) return { status, mediaType: undefined, body: undefined };
      const examples = (media.examples ?? {}) as Record<string, { value?: unknown }>;
      const name = options.example ?? Object.keys(examples)[0];
      if (name !== undefined && examples[name] !== undefined) return { status, mediaType, body: examples[name].value };
      if (options.example !== undefined) return undefined;
      if (media.example !== undefined) return { status, mediaType, body: media.example };
      const mocked = api.mockResponseForOperation(operation.operationId ?? '', { code: status, mediaType: mediaType ?? 'application/json' });
      return { status, mediaType, body: mocked.mock };
    },
  };
  return engine;
}

interface SecurityScheme {
  type?: string;
  scheme?: string;
  in?: string;
  name?: string;
}

/** A request meets the operation's security when one alternative's schemes all have their credentials (values are the vendor's to judge). */
function securityViolations(document: OpenApiDocument, operation: Operation, headers: Record<string, string | string[]>): Violation[] {
  const requirements = (operation.security ?? document.security ?? []) as Record<string, unknown>[];
  if (requirements.length === 0 || requirements.some((requirement) => Object.keys(requirement).length === 0)) return [];
  const schemes = ((document.components as { securitySchemes?: Record<string, SecurityScheme> } | undefined)?.securitySchemes ?? {});
  const missing: string[] = [];
  let field = 'Authorization';
  for (const requirement of requirements) {
    const unmet = Object.keys(requirement).filter((name) => !hasCredentials(schemes[name], headers));
    if (unmet.length === 0) return [];
    for (const name of unmet) {
      const scheme = schemes[name];
      if (missing.length === 0 && scheme?.type === 'apiKey') field = String(scheme.name);
      missing.push(describeScheme(name, scheme));
    }
  }
  return [{ location: 'header', field, code: 'security', message: `credentials are required: ${[...new Set(missing)].join(' or ')}` }];
}

function hasCredentials(scheme: SecurityScheme | undefined, headers: Record<string, string | string[]>): boolean {
  if (scheme === undefined) return true;
  const authorization = String(headers.authorization ?? '');
  if (scheme.type === 'http') return authorization.toLowerCase().startsWith(`${String(scheme.scheme ?? 'bearer').toLowerCase()} `);
  if (scheme.type === 'apiKey' && scheme.in === 'header') return headers[String(scheme.name).toLowerCase()] !== undefined;
  // Query keys, cookies, OAuth flows and mutual TLS are not judged here.
  return true;
}

function describeScheme(name: string, scheme: SecurityScheme | undefined): string {
  if (scheme?.type === 'http') return `\`Authorization: ${scheme.scheme === 'basic' ? 'Basic' : 'Bearer'} …\` (${name})`;
  if (scheme?.type === 'apiKey') return `\`${String(scheme.name)}\` (${name})`;
  return name;
}

interface ResponseObject {
  content?: Record<string, { schema?: unknown; example?: unknown; examples?: unknown }>;
}

function responseFor(operation: Operation, status: number): ResponseObject | undefined {
  const responses = (operation.responses ?? {}) as Record<string, ResponseObject>;
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

function statusMatches(code: string, status: number): boolean {
  if (code === 'default') return true;
  if (/^[1-5]XX$/i.test(code)) return String(status)[0] === code[0];
  return Number(code) === status;
}

function pathExists(api: OpenAPIBackend, path: string): boolean {
  return api.router.getOperations().some((operation) => api.router.matchOperation({ method: operation.method, path, headers: {} }) !== undefined);
}

const COMBINERS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * Marks every object schema that lists its properties and says nothing about others as closed
 * (`additionalProperties: false`). Members of allOf/anyOf/oneOf are left open: closing one would
 * refuse its siblings' properties.
 */
function closeObjects<T>(document: T): T {
  const visit = (node: unknown, insideCombiner: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, insideCombiner);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    const properties = object.properties;
    if (!insideCombiner && properties !== null && typeof properties === 'object' && !Array.isArray(properties) && object.additionalProperties === undefined && object.unevaluatedProperties === undefined && object.$ref === undefined) {
      object.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(object)) {
      if (key === 'examples' || key === 'example') continue;
      visit(value, COMBINERS.has(key));
    }
  };
  visit(document, false);
  return document;
}
