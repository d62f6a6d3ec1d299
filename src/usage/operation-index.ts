import { isObject } from '../contract/json-pointer.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `GET /users/{id}` → `GET /users/{}`: how operations are compared whatever their parameters are called. */
export function operationKey(label: string): string {
  return label.replace(/\{[^}]+\}/g, '{}');
}

interface Template {
  key: string;
  label: string;
  /** `GET 3`: the method and the number of segments, which a matching request path shares. */
  bucket: string;
  /** Per segment: the literal text, or what a segment with parameters matches. */
  segments: (string | SegmentPattern)[];
  literals: number;
}

/** A template segment with parameters: `{id}` (any non-empty segment) or `{a}.{b}` (a pattern). */
type SegmentPattern = { any: true } | { any: false; pattern: RegExp };

/** Finds the contract operation a pact request hits. */
export interface OperationIndex {
  /** Every operation, as `METHOD /path` labels in document order. */
  readonly labels: readonly string[];
  /** The key ({@link operationKey}) of the operation `method path` hits, if any. */
  match(method: string, path: string): string | undefined;
}

/**
 * Indexes the operations of one or more OpenAPI documents (read as plain JSON). A request path
 * matches a template segment by segment; where several match (`/users/search` and
 * `/users/{id}`), the one with more literal segments wins, as routers do. The servers' path
 * prefixes (`/api/v1`) are tried too.
 */
export function createOperationIndex(...documents: unknown[]): OperationIndex {
  const templates = new Map<string, Template>();
  const prefixes = new Set<string>();
  for (const document of documents) {
    if (!isObject(document)) continue;
    for (const server of Array.isArray(document.servers) ? document.servers : []) {
      if (!isObject(server) || typeof server.url !== 'string') continue;
      const prefix = serverPath(server.url);
      if (prefix !== '') prefixes.add(prefix);
    }
    for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        if (item[method] === undefined) continue;
        const label = `${method.toUpperCase()} ${path}`;
        const key = operationKey(label);
        if (templates.has(key)) continue;
        const segments = path.split('/');
        templates.set(key, { key, label, bucket: `${method.toUpperCase()} ${segments.length}`, segments: segments.map(segmentOf), literals: segments.filter((segment) => !segment.includes('{')).length });
      }
    }
  }
  // A template parameter matches one segment, so only templates with as many segments can match.
  const byBucket = new Map<string, Template[]>();
  for (const template of templates.values()) {
    const list = byBucket.get(template.bucket) ?? [];
    list.push(template);
    byBucket.set(template.bucket, list);
  }
  for (const list of byBucket.values()) list.sort((a, b) => b.literals - a.literals);
  const cache = new Map<string, string | undefined>();
  return {
    labels: [...templates.values()].map((template) => template.label),
    match(method, rawPath) {
      const upper = method.toUpperCase();
      const cacheKey = `${upper} ${rawPath}`;
      if (cache.has(cacheKey)) return cache.get(cacheKey);
      const path = rawPath.split('?')[0] ?? rawPath;
      const candidates = [path, ...[...prefixes].filter((prefix) => path.startsWith(`${prefix}/`)).map((prefix) => path.slice(prefix.length))];
      const lookIn = (candidate: string): Template | undefined => {
        const segments = candidate.split('/');
        // A trailing slash is allowed (`/users/` hits `/users`): one empty segment more.
        const counts = candidate.length > 1 && candidate.endsWith('/') ? [segments.length, segments.length - 1] : [segments.length];
        for (const count of counts) {
          const template = byBucket.get(`${upper} ${count}`)?.find((candidateTemplate) => matches(candidateTemplate, segments));
          if (template !== undefined) return template;
        }
        return undefined;
      };
      const found = candidates.map(lookIn).find((template) => template !== undefined);
      cache.set(cacheKey, found?.key);
      return found?.key;
    },
  };
}

// Segments are compared as text, not each template as one regular expression: a large API has
// thousands of templates, and compiling an expression costs more than the comparisons it saves.
function segmentOf(segment: string): string | SegmentPattern {
  if (!segment.includes('{')) return segment;
  if (/^\{[^}]+\}$/.test(segment)) return { any: true };
  return { any: false, pattern: new RegExp(`^${segment.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`) };
}

/** Does `template` match the request path's `segments` (the first `template.segments.length` of them)? */
function matches(template: Template, segments: readonly string[]): boolean {
  for (let index = 0; index < template.segments.length; index += 1) {
    const expected = template.segments[index] as string | SegmentPattern;
    const actual = segments[index] as string;
    if (typeof expected === 'string' ? expected !== actual : expected.any ? actual === '' : !expected.pattern.test(actual)) return false;
  }
  return true;
}

function serverPath(url: string): string {
  try {
    return new URL(url, 'http://server.invalid').pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
