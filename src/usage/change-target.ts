import type { ContractChange } from '../contract/index.js';
import { getAt, isObject, parsePointer } from '../contract/json-pointer.js';
import { createRefResolver } from '../contract/refs.js';
import { childPath, itemsPath } from './field-paths.js';
import { operationKey } from './operation-index.js';

/** What part of an HTTP exchange a change is about. */
export type HttpPart =
  | { part: 'operation' }
  | { part: 'parameter'; in: string; name: string }
  | { part: 'request-body'; field: string }
  | { part: 'response'; status: string; field: string | undefined; header: string | undefined };

/** What a change touches, in the terms a pact can be compared with. */
export type ChangeTarget =
  /** Nothing a consumer sends or reads (the version, a component, a webhook). */
  | { scope: 'none' }
  /** The whole API (global security): every consumer. */
  | { scope: 'all' }
  | ({ scope: 'http'; operation: string; absent: boolean } & HttpPart)
  | { scope: 'message'; message: string; part: 'message' | 'payload' | 'headers'; field: string }
  | { scope: 'channel'; address: string; messages: string[] };

// Changes that break the consumers who do NOT send something yet: they must now.
const REQUIRES = new Set([
  'new-required-request-parameter',
  'new-required-request-default-parameter-to-existing-path',
  'request-parameter-became-required',
  'new-required-request-property',
  'new-required-request-property-with-default',
  'request-property-became-required',
  'new-required-request-header-property',
  'request-body-added-required',
  'request-body-became-required',
]);

/** The documents a diff compared, to name the parameters and channels its pointers reach. */
export interface DiffDocuments {
  base: unknown;
  revision: unknown;
}

/** Reads a change's operation and pointer into the thing it changed. */
export function createTargetReader(documents: DiffDocuments): (change: ContractChange) => ChangeTarget {
  const sides = [documents.revision, documents.base].map((document) => ({ document, resolve: createRefResolver(document) }));
  // A removal's pointer is into the base, every other change's into the revision.
  const lookupIn = (tokens: string[], removal: boolean): unknown => {
    for (const { document, resolve } of removal ? [...sides].reverse() : sides) {
      const found = resolve(getAt(document, tokens));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return (change) => {
    const tokens = parsePointer(change.location);
    const lookup = (at: string[]): unknown => lookupIn(at, /removed|deleted/.test(change.id));
    const [root] = tokens;
    if (change.location === '#/info/version' || change.id === 'api-text-changed' || root === 'components' || root === 'webhooks' || root === 'info') return { scope: 'none' };
    if (root === 'channels') return messageTarget(change, tokens, lookup);
    if (root !== 'paths' || change.operation === null) return root === 'security' ? { scope: 'all' } : { scope: 'none' };
    const operation = operationKey(change.operation);
    const absent = REQUIRES.has(change.id);
    // Path-level parameters have no method token; operation tokens do.
    const rest = /^(get|put|post|delete|options|head|patch|trace)$/.test(tokens[2] ?? '') ? tokens.slice(3) : tokens.slice(2);
    const [area] = rest;
    if (area === 'parameters') {
      const at = tokens.indexOf('parameters', 2);
      const parameter = lookup(tokens.slice(0, at + 2));
      if (isObject(parameter) && typeof parameter.name === 'string' && typeof parameter.in === 'string') {
        return { scope: 'http', operation, absent, part: 'parameter', in: parameter.in, name: parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name };
      }
      return { scope: 'http', operation, absent, part: 'operation' };
    }
    if (area === 'requestBody') return { scope: 'http', operation, absent, part: 'request-body', field: schemaField(rest, 'content') };
    if (area === 'responses' && rest[1] !== undefined) {
      const headerAt = rest.indexOf('headers');
      const header = headerAt === 2 && rest[3] !== undefined ? rest[3].toLowerCase() : undefined;
      const field = rest[2] === 'content' ? schemaField(rest, 'content') : undefined;
      return { scope: 'http', operation, absent, part: 'response', status: rest[1], field: field === '' && rest.length <= 4 ? undefined : field, header };
    }
    return { scope: 'http', operation, absent, part: 'operation' };
  };
}

function messageTarget(change: ContractChange, tokens: string[], lookup: (tokens: string[]) => unknown): ChangeTarget {
  const [, channelId, area, , part] = tokens;
  if (change.operation !== null && change.operation.startsWith('message ') && area === 'messages') {
    const message = change.operation.slice('message '.length);
    if (part === 'payload') return { scope: 'message', message, part: 'payload', field: schemaPath(tokens.slice(5)) };
    if (part === 'headers') return { scope: 'message', message, part: 'headers', field: schemaPath(tokens.slice(5)) };
    return { scope: 'message', message, part: 'message', field: '' };
  }
  const channel = lookup(['channels', channelId ?? '']);
  if (!isObject(channel)) return { scope: 'none' };
  const messages: string[] = [];
  for (const [id, raw] of Object.entries(isObject(channel.messages) ? channel.messages : {})) {
    const message = lookup(['channels', channelId ?? '', 'messages', id]) ?? raw;
    messages.push(isObject(message) && typeof message.name === 'string' ? message.name : id);
  }
  return { scope: 'channel', address: String(channel.address), messages };
}

/** The field a pointer below `…/content/{media type}/schema` names; `''` for the body itself. */
function schemaField(rest: string[], contentKey: string): string {
  const at = rest.indexOf(contentKey);
  if (at === -1 || rest[at + 2] !== 'schema') return '';
  return schemaPath(rest.slice(at + 3));
}

/**
 * A schema pointer as a field path: `properties/a`, then `items`, then `properties/b` → `a[].b`. Composition
 * (`allOf/0`) adds nothing; the first other keyword ends the field (`…/enum` is about its field).
 */
export function schemaPath(tokens: readonly string[]): string {
  let path = '';
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token === 'properties' && tokens[index + 1] !== undefined) {
      path = childPath(path, tokens[index + 1] as string);
      index += 1;
    } else if (token === 'items') {
      path = itemsPath(path);
    } else if (token === 'prefixItems' && tokens[index + 1] !== undefined) {
      path = itemsPath(path);
      index += 1;
    } else if ((token === 'allOf' || token === 'oneOf' || token === 'anyOf') && tokens[index + 1] !== undefined) {
      index += 1;
    } else if (token === 'additionalProperties') {
      path = childPath(path, '*');
    } else {
      break;
    }
  }
  return path;
}
