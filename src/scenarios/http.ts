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
  /** Sent as `x-correlation-id`, and what the recorded call is grouped under in the trace. */
  correlationId?: string;
}

/** Sends one HTTP request and never throws for a network failure: a scenario checks what happened, it does not crash on it. */
export async function httpCall(method: string, url: string, options: HttpCallOptions = {}): Promise<HttpResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { ...options.headers };
  if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
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

/** Where the {@link ScenarioHttp} client leaves a record of each call it made. */
export type CallRecorder = (call: ClientCall) => void;

/** One call the scenario's client made, as recorded in the trace (event `client.call`). */
export interface ClientCall {
  readonly service: 'client';
  readonly event: 'client.call';
  /** Epoch milliseconds when the answer (or the failure) came. */
  readonly time: number;
  /** The service called, by its environment.yaml name. */
  readonly target: string;
  readonly method: string;
  readonly path: string;
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
  readonly correlationId?: string;
}

/**
 * The HTTP client a scenario calls the services with, by their environment.yaml names. It never
 * throws for a network failure (see {@link httpCall}) and records every call for the trace, so a
 * sequence diagram shows the client's requests even to a service that logs nothing of its own.
 */
export interface ScenarioHttp {
  /** `method path` on the service `service`, e.g. `http.call('billing', 'POST', '/invoices', { json, correlationId })`. */
  call(service: string, method: string, path: string, options?: HttpCallOptions): Promise<HttpResult>;
  /** `GET path` on `service`. */
  get(service: string, path: string, options?: HttpCallOptions): Promise<HttpResult>;
  /** `POST path` on `service` with `json` as the body. */
  post(service: string, path: string, json: unknown, options?: HttpCallOptions): Promise<HttpResult>;
  /** The base URL of `service` (no trailing slash). */
  url(service: string): string;
}

/** A {@link ScenarioHttp} over services found by `urlOf`, recording each call through `record`. */
export function scenarioHttp(urlOf: (service: string) => string, record: CallRecorder): ScenarioHttp {
  const call = async (service: string, method: string, path: string, options: HttpCallOptions = {}): Promise<HttpResult> => {
    const base = urlOf(service);
    const result = await httpCall(method, `${base}${path.startsWith('/') ? '' : '/'}${path}`, options);
    record({
      service: 'client',
      event: 'client.call',
      time: Date.now(),
      target: service,
      method: method.toUpperCase(),
      path,
      ...(result.status === 0 ? { error: result.error ?? 'no answer' } : { statusCode: result.status }),
      durationMs: Math.round(result.durationMs),
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    });
    return result;
  };
  return {
    call,
    get: (service, path, options) => call(service, 'GET', path, options),
    post: (service, path, json, options) => call(service, 'POST', path, { ...options, json }),
    url: urlOf,
  };
}
