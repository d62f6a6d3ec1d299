import { request } from 'undici';
import { AccordError, ErrorCodes } from '../../errors/index.js';

/** Where the broker is and how to authenticate. */
export interface BrokerClientOptions {
  /** @default process.env.PACT_BROKER_BASE_URL */
  baseUrl?: string | undefined;
  /** Bearer token. @default process.env.PACT_BROKER_TOKEN */
  token?: string | undefined;
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
}

/** A HAL client for any Pact Broker API (Accord's or a real Pact Broker / PactFlow). */
export interface BrokerClient {
  readonly baseUrl: string;
  get<T = HalResource>(pathOrUrl: string): Promise<T>;
  post<T = HalResource>(pathOrUrl: string, body: unknown): Promise<T>;
  put<T = HalResource>(pathOrUrl: string, body: unknown): Promise<T>;
  /** The href of an index relation with its `{placeholders}` filled in. */
  relation(rel: string, params?: Record<string, string>): Promise<string>;
}

/** A HAL resource as received. */
export interface HalResource {
  _links?: Record<string, HalLink | HalLink[]>;
  _embedded?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A HAL link. */
export interface HalLink {
  href: string;
  name?: string;
  title?: string;
  templated?: boolean;
}

/** Fills `{name}` placeholders of a templated href, URL-encoding each value. */
export function expandHref(href: string, params: Record<string, string>): string {
  return href.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? encodeURIComponent(params[key] as string) : whole));
}

/** Creates a client; the URL comes from the options or PACT_BROKER_BASE_URL, the token from the options or PACT_BROKER_TOKEN. */
export function createBrokerClient(options: BrokerClientOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): BrokerClient {
  const rawBase = options.baseUrl ?? env.PACT_BROKER_BASE_URL;
  if (!rawBase) throw new AccordError(ErrorCodes.USAGE, 'no broker URL: pass --broker-url URL or set PACT_BROKER_BASE_URL');
  let base: URL;
  try {
    base = new URL(rawBase);
  } catch {
    throw new AccordError(ErrorCodes.USAGE, `--broker-url must be an http(s) URL, got ${JSON.stringify(rawBase)}`);
  }
  const baseUrl = base.toString().replace(/\/$/, '');
  const token = options.token ?? env.PACT_BROKER_TOKEN;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let index: HalResource | undefined;

  const call = async <T>(method: 'GET' | 'POST' | 'PUT', pathOrUrl: string, body?: unknown): Promise<T> => {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
    const headers: Record<string, string> = { accept: method === 'GET' ? 'application/hal+json, application/json' : 'application/hal+json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, { method, headers, body: body === undefined ? null : JSON.stringify(body), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    } catch (error) {
      throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `cannot reach the Pact Broker at ${baseUrl}: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.body.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (parsed === undefined) throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `the Pact Broker answered ${method} ${url} with ${response.statusCode} but the body is not JSON`);
      return parsed as T;
    }
    const detail = describeError(parsed, text);
    const where = `${method} ${url.replace(baseUrl, '') || '/'}`;
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw new AccordError(ErrorCodes.BROKER_UNAUTHORIZED, `the Pact Broker refused ${where} (${response.statusCode}): ${detail}${token ? '' : ' (no token given: pass --broker-token or set PACT_BROKER_TOKEN)'}`);
    }
    throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `the Pact Broker answered ${where} with ${response.statusCode}: ${detail}`);
  };

  return {
    baseUrl,
    get: (pathOrUrl) => call('GET', pathOrUrl),
    post: (pathOrUrl, body) => call('POST', pathOrUrl, body),
    put: (pathOrUrl, body) => call('PUT', pathOrUrl, body),
    async relation(rel, params = {}) {
      index ??= await call<HalResource>('GET', '/');
      const found = index._links?.[rel];
      const link = Array.isArray(found) ? found[0] : found;
      if (!link?.href) throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `the Pact Broker at ${baseUrl} has no "${rel}" relation in its index: is it a Pact Broker, and recent enough?`);
      return expandHref(link.href, params);
    },
  };
}

/** The broker's `errors` map / problem detail / notices, on one line. */
function describeError(parsed: unknown, text: string): string {
  if (parsed && typeof parsed === 'object') {
    const body = parsed as { errors?: unknown; detail?: unknown; notices?: Array<{ type?: string; text?: string }>; title?: unknown };
    if (typeof body.detail === 'string') return body.detail;
    if (body.errors && typeof body.errors === 'object') {
      const lines = Array.isArray(body.errors) ? body.errors.map(String) : Object.entries(body.errors).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}: ${String(v)}`));
      if (lines.length > 0) return lines.join('; ');
    }
    const errorNotices = (body.notices ?? []).filter((n) => n.type === 'error').map((n) => n.text);
    if (errorNotices.length > 0) return errorNotices.join('; ');
    if (typeof body.title === 'string') return body.title;
  }
  return text.slice(0, 300) || 'no details';
}
