import type { PactJson } from '../pact-file/index.js';
import { fieldPaths, unwrapMatcher } from './field-paths.js';
import type { FieldSet } from './field-paths.js';

/** A consumer's pact as a source gave it: the pact, its consumer's name and version, where it came from. */
export interface ConsumerPact {
  consumer: string;
  /** The consumer version(s) the broker holds this pact for; null for a pact read from a file. */
  version: string | null;
  /** The file or URL, as messages show it. */
  label: string;
  pact: PactJson;
}

/** What one HTTP interaction of a pact sends and reads. */
export interface HttpInteraction {
  kind: 'http';
  consumer: string;
  version: string | null;
  description: string;
  method: string;
  path: string;
  /** Query parameter names. */
  query: ReadonlySet<string>;
  /** Request header names, lower-cased. */
  headers: ReadonlySet<string>;
  /** Request body fields; undefined when the request has no body. */
  requestBody: FieldSet | undefined;
  status: number | undefined;
  /** Response header names the consumer expects, lower-cased. */
  responseHeaders: ReadonlySet<string>;
  /** Response body fields the consumer matches; undefined when it expects no body. */
  responseBody: FieldSet | undefined;
}

/** What one message interaction of a pact reads. */
export interface MessageInteraction {
  kind: 'message';
  consumer: string;
  version: string | null;
  description: string;
  /** The `eventType` metadata: the AsyncAPI message `name` it is checked against. */
  eventType: string | undefined;
  /** The `stream` (or `channel`/`topic`/`destination`) metadata: the channel address. */
  channel: string | undefined;
  fields: FieldSet;
  /** Metadata keys, as the headers the consumer reads. */
  metadata: ReadonlySet<string>;
}

/** One interaction of any kind. */
export type PactInteraction = HttpInteraction | MessageInteraction;

/**
 * Reads what every interaction of a pact uses: V1–V3 `interactions` and `messages`, and V4's
 * `Synchronous/HTTP` and `Asynchronous/Messages` interactions (others are skipped).
 */
export function pactInteractions(source: ConsumerPact): PactInteraction[] {
  const { pact, consumer, version } = source;
  const result: PactInteraction[] = [];
  const all = [...(Array.isArray(pact.interactions) ? pact.interactions : []), ...(Array.isArray(pact.messages) ? pact.messages.map((message) => ({ type: 'Asynchronous/Messages', ...(isRecord(message) ? message : {}) })) : [])];
  all.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const description = typeof raw.description === 'string' ? raw.description : `#${index}`;
    const type = typeof raw.type === 'string' ? raw.type : 'Synchronous/HTTP';
    if (type === 'Asynchronous/Messages' || (raw.request === undefined && raw.contents !== undefined)) {
      const metadata = isRecord(raw.metadata) ? raw.metadata : {};
      const channel = ['stream', 'channel', 'topic', 'destination'].map((key) => metadata[key]).find((value) => typeof value === 'string') as string | undefined;
      const content = bodyOf(raw.contents);
      result.push({
        kind: 'message',
        consumer,
        version,
        description,
        eventType: typeof metadata.eventType === 'string' ? metadata.eventType : undefined,
        channel,
        fields: fieldPaths(content ?? {}),
        metadata: new Set(Object.keys(metadata)),
      });
      return;
    }
    if (type !== 'Synchronous/HTTP' || !isRecord(raw.request)) return;
    const request = raw.request;
    const response = isRecord(raw.response) ? raw.response : {};
    const requestBody = bodyOf(request.body);
    const responseBody = bodyOf(response.body);
    result.push({
      kind: 'http',
      consumer,
      version,
      description,
      method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
      path: typeof request.path === 'string' ? request.path : '/',
      query: queryNames(request.query),
      headers: headerNames(request.headers),
      requestBody: requestBody === undefined ? undefined : fieldPaths(requestBody),
      status: typeof response.status === 'number' ? response.status : undefined,
      responseHeaders: headerNames(response.headers),
      responseBody: responseBody === undefined ? undefined : fieldPaths(responseBody),
    });
  });
  return result;
}

/** A body as V1–V3 (the value) or V4 (`{content, contentType, encoded}`) writes it; undefined when there is none. */
function bodyOf(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (isRecord(raw) && 'content' in raw && ('contentType' in raw || 'encoded' in raw)) {
    // An encoded (base64) body has no fields a consumer reads by name; it is still a body.
    if (raw.encoded !== false && raw.encoded !== undefined) return '';
    return raw.content ?? undefined;
  }
  const value = unwrapMatcher(raw);
  // A JSON body kept as text (some V2 writers): its fields are the parsed text's.
  if (typeof value === 'string' && /^\s*[{[]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function queryNames(raw: unknown): Set<string> {
  if (typeof raw === 'string') {
    return new Set([...new URLSearchParams(raw).keys()]);
  }
  return new Set(isRecord(raw) ? Object.keys(raw) : []);
}

function headerNames(raw: unknown): Set<string> {
  return new Set(isRecord(raw) ? Object.keys(raw).map((name) => name.toLowerCase()) : []);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
