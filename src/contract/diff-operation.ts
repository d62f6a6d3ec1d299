import { emit } from './diff-context.js';
import type { ChangeSite, DiffRun } from './diff-context.js';
import { compareSchemas } from './diff-schema.js';
import type { SchemaOwner } from './diff-schema.js';
import { compareOperationSecurity } from './diff-security.js';
import { isNode } from './openapi-document.js';
import type { Header, MediaType, Operation, Parameter, PathItem, Reference, Responses } from './openapi-document.js';
import { refOf } from './refs.js';
import type { RefResolver } from './refs.js';
import { sunsetOf } from './sunset.js';

/** One operation present in both versions. */
export interface OperationPair {
  label: string;
  /** Tokens of the operation in the revision: `['paths', '/users/{id}', 'get']`. */
  tokens: (string | number)[];
  basePathItem: PathItem;
  revisionPathItem: PathItem;
  base: Operation;
  revision: Operation;
}

/** Compares everything inside one operation: lifecycle, parameters, request body, responses, security. */
export function compareOperation(run: DiffRun, pair: OperationPair): void {
  const site: ChangeSite = { operation: pair.label, tokens: pair.tokens };
  compareOperationMetadata(run, pair, site);
  compareParameters(run, pair);
  compareRequestBody(run, pair);
  compareResponses(run, pair);
  compareOperationSecurity(run, pair.base.security, pair.revision.security, site);
}

function compareOperationMetadata(run: DiffRun, pair: OperationPair, site: ChangeSite): void {
  const { base, revision, label } = pair;
  const beforeId = typeof base.operationId === 'string' ? base.operationId : undefined;
  const afterId = typeof revision.operationId === 'string' ? revision.operationId : undefined;
  if (beforeId !== afterId) {
    if (beforeId !== undefined) emit(run, 'api-operation-id-removed', site, `${label}: operationId \`${beforeId}\` was removed${afterId === undefined ? '' : ` (now \`${afterId}\`)`}`);
    if (afterId !== undefined && beforeId === undefined) emit(run, 'api-operation-id-added', site, `${label}: operationId \`${afterId}\` was added`);
  }
  const beforeTags = Array.isArray(base.tags) ? base.tags.map(String) : [];
  const afterTags = Array.isArray(revision.tags) ? revision.tags.map(String) : [];
  for (const tag of beforeTags) if (!afterTags.includes(tag)) emit(run, 'api-tag-removed', site, `${label}: tag \`${tag}\` was removed`);
  for (const tag of afterTags) if (!beforeTags.includes(tag)) emit(run, 'api-tag-added', site, `${label}: tag \`${tag}\` was added`);

  const wasDeprecated = base.deprecated === true;
  const isDeprecated = revision.deprecated === true;
  const beforeSunset = sunsetOf(base);
  const afterSunset = sunsetOf(revision);
  if (!wasDeprecated && isDeprecated) {
    if (afterSunset.kind === 'invalid') emit(run, 'api-deprecated-sunset-parse', site, `${label}: x-sunset \`${afterSunset.text}\` is not a date`);
    else emit(run, afterSunset.kind === 'date' ? 'endpoint-deprecated-with-sunset' : 'endpoint-deprecated', site, `${label} was deprecated${afterSunset.kind === 'date' ? ` (sunset ${afterSunset.text})` : ''}`);
  } else if (wasDeprecated && !isDeprecated) {
    emit(run, 'endpoint-reactivated', site, `${label} is no longer deprecated`);
  } else if (wasDeprecated && isDeprecated) {
    if (beforeSunset.kind !== 'none' && afterSunset.kind === 'none') emit(run, 'sunset-deleted', site, `${label}: the sunset date of a deprecated operation was removed`);
    else if (afterSunset.kind === 'invalid' && beforeSunset.text !== afterSunset.text) emit(run, 'api-path-sunset-parse', site, `${label}: x-sunset \`${afterSunset.text}\` is not a date`);
    else if (beforeSunset.kind === 'date' && afterSunset.kind === 'date' && afterSunset.date < beforeSunset.date) {
      emit(run, 'api-sunset-date-changed-too-small', site, `${label}: sunset moved earlier, from ${beforeSunset.text} to ${afterSunset.text}`);
    }
  }
  const order = ['draft', 'alpha', 'beta', 'stable'];
  const beforeLevel = typeof base['x-stability-level'] === 'string' ? base['x-stability-level'] : undefined;
  const afterLevel = typeof revision['x-stability-level'] === 'string' ? revision['x-stability-level'] : undefined;
  if (beforeLevel !== undefined && afterLevel !== undefined && order.includes(beforeLevel) && order.includes(afterLevel)) {
    const delta = order.indexOf(afterLevel) - order.indexOf(beforeLevel);
    if (delta < 0) emit(run, 'api-stability-decreased', site, `${label}: stability decreased from ${beforeLevel} to ${afterLevel}`);
    if (delta > 0) emit(run, 'api-stability-increased', site, `${label}: stability increased from ${beforeLevel} to ${afterLevel}`);
  }
}

// ---------------------------------------------------------------- parameters

interface ParameterEntry {
  parameter: Parameter;
  tokens: (string | number)[];
}

/** Effective parameters (path-level overridden by operation-level), keyed by location and name. */
function parametersOf(resolve: RefResolver, pathItem: PathItem, operation: Operation, operationTokens: (string | number)[], path: string): Map<string, ParameterEntry> {
  const result = new Map<string, ParameterEntry>();
  const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const add = (list: (Parameter | Reference)[] | undefined, tokens: (string | number)[]): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const parameter = resolve(raw);
      if (!isNode(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') return;
      // Path parameters match by position, so renaming `{id}` to `{itemId}` is not a removal.
      const position = templateNames.indexOf(parameter.name);
      const key = parameter.in === 'path' && position !== -1 ? `path:#${position}`
        : parameter.in === 'header' ? `header:${parameter.name.toLowerCase()}` : `${parameter.in}:${parameter.name}`;
      result.set(key, { parameter, tokens: [...tokens, index] });
    });
  };
  add(pathItem.parameters, [...operationTokens.slice(0, -1), 'parameters']);
  add(operation.parameters, [...operationTokens, 'parameters']);
  return result;
}

function compareParameters(run: DiffRun, pair: OperationPair): void {
  const path = String(pair.tokens[1]);
  const before = parametersOf(run.resolveBase, pair.basePathItem, pair.base, pair.tokens, path);
  const after = parametersOf(run.resolveRevision, pair.revisionPathItem, pair.revision, pair.tokens, path);
  const label = pair.label;
  for (const [key, { parameter, tokens }] of before) {
    if (after.has(key)) continue;
    const site = { operation: label, tokens };
    const name = `${String(parameter.in)} parameter \`${String(parameter.name)}\``;
    if (parameter.deprecated === true) {
      const sunset = sunsetOf(parameter);
      if (sunset.kind === 'invalid') emit(run, 'request-parameter-sunset-parse', site, `${label}: x-sunset \`${sunset.text}\` of ${name} is not a date`);
      else if (sunset.kind === 'date' && sunset.date > run.today) emit(run, 'request-parameter-removed-before-sunset', site, `${label}: ${name} was removed before its sunset date ${sunset.text}`);
      else emit(run, 'request-parameter-removed-with-deprecation', site, `${label}: deprecated ${name} was removed`);
    } else {
      emit(run, 'request-parameter-removed', site, `${label}: ${name} was removed`);
    }
  }
  for (const [key, { parameter, tokens }] of after) {
    if (before.has(key)) continue;
    const site = { operation: label, tokens };
    const name = `${String(parameter.in)} parameter \`${String(parameter.name)}\``;
    if (parameter.in === 'path') emit(run, 'new-request-path-parameter', site, `${label}: ${name} was added`);
    else if (parameter.required === true) emit(run, 'new-required-request-parameter', site, `${label}: required ${name} was added`);
    else emit(run, 'new-optional-request-parameter', site, `${label}: optional ${name} was added`);
  }
  for (const [key, { parameter: revision, tokens }] of after) {
    const entry = before.get(key);
    if (entry === undefined) continue;
    const base = entry.parameter;
    const site = { operation: label, tokens };
    const name = `${String(revision.in)} parameter \`${String(revision.name)}\``;
    if (base.required !== true && revision.required === true) emit(run, 'request-parameter-became-required', site, `${label}: ${name} became required`);
    if (base.required === true && revision.required !== true) emit(run, 'request-parameter-became-optional', site, `${label}: ${name} became optional`);
    if (base.deprecated !== true && revision.deprecated === true) emit(run, 'request-parameter-deprecated', site, `${label}: ${name} was deprecated`);
    if (base.deprecated === true && revision.deprecated !== true) emit(run, 'request-parameter-reactivated', site, `${label}: ${name} is no longer deprecated`);
    if (base.deprecated === true && revision.deprecated === true && sunsetOf(base).kind !== 'none' && sunsetOf(revision).kind === 'none') {
      emit(run, 'request-parameter-sunset-deleted', site, `${label}: the sunset date of deprecated ${name} was removed`);
    }
    const owner: SchemaOwner = revision.in === 'header' ? 'header-parameter' : 'parameter';
    const scope = { run, direction: 'request' as const, owner, operation: label, subject: name };
    const baseSchema = parameterSchema(base);
    const revisionSchema = parameterSchema(revision);
    if (baseSchema !== undefined && revisionSchema !== undefined) {
      compareSchemas(scope, baseSchema.schema, revisionSchema.schema, [...tokens, ...revisionSchema.tokens]);
    }
  }
}

function parameterSchema(parameter: Parameter): { schema: unknown; tokens: string[] } | undefined {
  if (parameter.schema !== undefined) return { schema: parameter.schema, tokens: ['schema'] };
  if (isNode(parameter.content)) {
    const [mediaType, media] = Object.entries(parameter.content)[0] ?? [];
    if (mediaType !== undefined && isNode(media) && media.schema !== undefined) return { schema: media.schema, tokens: ['content', mediaType, 'schema'] };
  }
  return undefined;
}

// ---------------------------------------------------------------- request body

function compareRequestBody(run: DiffRun, pair: OperationPair): void {
  const base = run.resolveBase(pair.base.requestBody);
  const revision = run.resolveRevision(pair.revision.requestBody);
  const tokens = [...pair.tokens, 'requestBody'];
  const site = { operation: pair.label, tokens };
  if (!isNode(base) && !isNode(revision)) return;
  if (!isNode(base)) {
    const required = isNode(revision) && revision.required === true;
    emit(run, required ? 'request-body-added-required' : 'request-body-added-optional', site, `${pair.label}: ${required ? 'a required' : 'an optional'} request body was added`);
    return;
  }
  if (!isNode(revision)) {
    emit(run, 'request-body-removed', site, `${pair.label}: the request body was removed`);
    return;
  }
  if (base.required !== true && revision.required === true) emit(run, 'request-body-became-required', site, `${pair.label}: the request body became required`);
  if (base.required === true && revision.required !== true) emit(run, 'request-body-became-optional', site, `${pair.label}: the request body became optional`);
  compareContent(run, pair.label, 'request', base.content, revision.content, tokens);
}

/** Media types of a request body or a response: added, removed, and their schemas compared. */
function compareContent(
  run: DiffRun,
  label: string,
  direction: 'request' | 'response',
  rawBase: Record<string, MediaType> | undefined,
  rawRevision: Record<string, MediaType> | undefined,
  tokens: (string | number)[],
  status?: string,
): void {
  const base: Record<string, MediaType> = isNode(rawBase) ? rawBase : {};
  const revision: Record<string, MediaType> = isNode(rawRevision) ? rawRevision : {};
  const where = direction === 'request' ? 'request body' : `response ${status ?? ''}`.trim();
  const prefix = direction === 'request' ? 'request-body' : 'response';
  for (const mediaType of Object.keys(base)) {
    if (!(mediaType in revision)) emit(run, `${prefix}-media-type-removed`, { operation: label, tokens: [...tokens, 'content', mediaType] }, `${label}: media type \`${mediaType}\` was removed from the ${where}`);
  }
  for (const mediaType of Object.keys(revision)) {
    if (!(mediaType in base)) emit(run, `${prefix}-media-type-added`, { operation: label, tokens: [...tokens, 'content', mediaType] }, `${label}: media type \`${mediaType}\` was added to the ${where}`);
  }
  for (const [mediaType, rawMedia] of Object.entries(revision)) {
    if (!(mediaType in base)) continue;
    const baseMedia = run.resolveBase(base[mediaType]);
    const revisionMedia = run.resolveRevision(rawMedia);
    if (!isNode(baseMedia) || !isNode(revisionMedia)) continue;
    const mediaTokens = [...tokens, 'content', mediaType];
    const site = { operation: label, tokens: mediaTokens };
    const bodyPrefix = `${direction}-body`;
    if (baseMedia.schema !== undefined && revisionMedia.schema === undefined) {
      emit(run, `${bodyPrefix}-media-type-schema-removed`, site, `${label}: the schema of \`${mediaType}\` in the ${where} was removed`);
    } else if (baseMedia.schema === undefined && revisionMedia.schema !== undefined) {
      emit(run, `${bodyPrefix}-media-type-schema-added`, site, `${label}: a schema was added to \`${mediaType}\` in the ${where}`);
    } else if (baseMedia.schema !== undefined) {
      const scope = { run, direction, owner: 'body' as const, operation: label, subject: `the ${where} (${mediaType})` };
      compareSchemas(scope, baseMedia.schema, revisionMedia.schema, [...mediaTokens, 'schema']);
    }
  }
}

// ---------------------------------------------------------------- responses

function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

function compareResponses(run: DiffRun, pair: OperationPair): void {
  const base: Responses = isNode(pair.base.responses) ? pair.base.responses : {};
  const revision: Responses = isNode(pair.revision.responses) ? pair.revision.responses : {};
  const tokens = [...pair.tokens, 'responses'];
  for (const status of Object.keys(base)) {
    if (status in revision) continue;
    const success = isSuccess(status);
    emit(run, success ? 'response-success-status-removed' : 'response-non-success-status-removed', { operation: pair.label, tokens: [...tokens, status] }, `${pair.label}: response status ${status} was removed`);
  }
  for (const status of Object.keys(revision)) {
    if (status in base) continue;
    const success = isSuccess(status);
    emit(run, success ? 'response-success-status-added' : 'response-non-success-status-added', { operation: pair.label, tokens: [...tokens, status] }, `${pair.label}: response status ${status} was added`);
  }
  for (const [status, rawResponse] of Object.entries(revision)) {
    if (!(status in base)) continue;
    const baseResponse = run.resolveBase(base[status]);
    const revisionResponse = run.resolveRevision(rawResponse);
    if (!isNode(baseResponse) || !isNode(revisionResponse)) continue;
    const ref = refOf(rawResponse);
    if (ref !== undefined && ref === refOf(base[status]) && run.sameComponent(ref)) continue;
    const statusTokens = [...tokens, status];
    compareContent(run, pair.label, 'response', baseResponse.content, revisionResponse.content, statusTokens, status);
    compareResponseHeaders(run, pair.label, status, baseResponse.headers, revisionResponse.headers, statusTokens);
  }
}

type Headers = Record<string, Header | Reference>;

function compareResponseHeaders(run: DiffRun, label: string, status: string, rawBase: Headers | undefined, rawRevision: Headers | undefined, tokens: (string | number)[]): void {
  const index = (headers: Headers | undefined, resolve: RefResolver): Map<string, { name: string; header: Header }> => {
    const result = new Map<string, { name: string; header: Header }>();
    if (!isNode(headers)) return result;
    for (const [name, raw] of Object.entries(headers)) {
      const header = resolve(raw);
      if (isNode(header)) result.set(name.toLowerCase(), { name, header });
    }
    return result;
  };
  const before = index(rawBase, run.resolveBase);
  const after = index(rawRevision, run.resolveRevision);
  for (const [key, { name, header }] of before) {
    if (after.has(key)) continue;
    const site = { operation: label, tokens: [...tokens, 'headers', name] };
    const required = header.required === true;
    emit(run, required ? 'required-response-header-removed' : 'optional-response-header-removed', site, `${label}: ${required ? 'required' : 'optional'} header \`${name}\` was removed from response ${status}`);
  }
  for (const [key, { name }] of after) {
    if (!before.has(key)) emit(run, 'response-header-added', { operation: label, tokens: [...tokens, 'headers', name] }, `${label}: header \`${name}\` was added to response ${status}`);
  }
  for (const [key, { name, header }] of after) {
    const entry = before.get(key);
    if (entry === undefined) continue;
    const site = { operation: label, tokens: [...tokens, 'headers', name] };
    if (entry.header.required === true && header.required !== true) emit(run, 'response-header-became-optional', site, `${label}: header \`${name}\` of response ${status} became optional`);
    if (entry.header.schema !== undefined && header.schema !== undefined) {
      const scope = { run, direction: 'response' as const, owner: 'response-header' as const, operation: label, subject: `header \`${name}\` of response ${status}` };
      compareSchemas(scope, entry.header.schema, header.schema, [...site.tokens, 'schema']);
    }
  }
}
