import { request } from 'undici';

/** A response as the scenarios look at it; `status` 0 with `error` when no answer came. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  readonly body: unknown;
  readonly durationMs: number;
  /** The network error (e.g. ECONNREFUSED, a timeout) when there was no answer. */
  readonly error?: string;
}

/** Options of one {@link httpCall}. */
export interface HttpCallOptions {
  headers?: Record<string, string>;
  json?: unknown;
  /** Gives up after this long (a frozen service never answers). @default 10000 */
  timeoutMs?: number;
}

/** Sends one HTTP request and never throws for a network failure: a scenario checks what happened, it does not crash on it. */
export async function httpCall(method: string, url: string, options: HttpCallOptions = {}): Promise<HttpResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await request(url, {
      method: method as 'GET',
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers: flat, body: parseJson(text), durationMs: performance.now() - started };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return { status: 0, headers: {}, body: undefined, durationMs: performance.now() - started, error: err.code ?? err.message };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads `body[key]` of a JSON object body, or undefined. */
export function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[key] : undefined;
}
