import { setTimeout as sleepFor } from 'node:timers/promises';
import { Pool } from 'undici';
import { backoffDelay } from './backoff.js';

/** An item as Service B returns it. */
export interface Item {
  sku: string;
  name: string;
  stock: number;
  priceCents: number;
  updatedAt: string;
}

/** A reservation as Service B returns it. */
export interface Reservation {
  id: string;
  sku: string;
  quantity: number;
  status: 'active' | 'released';
  correlationId: string | null;
  sourceService: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Body of a reservation request. */
export interface ReserveRequest {
  sku: string;
  quantity: number;
}

/** A problem document from Service B, as far as it could be read. */
export interface ServiceBProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  correlationId?: string;
}

/** What went wrong in a call to B. `unavailable`: connection errors, timeouts or 5xx, after every retry. */
export type ServiceBErrorKind = 'bad-request' | 'unauthorized' | 'not-found' | 'conflict' | 'unavailable' | 'unexpected';

/** A call to Service B that did not succeed; `kind` says how. */
export class ServiceBError extends Error {
  override readonly name = 'ServiceBError';
  constructor(
    readonly kind: ServiceBErrorKind,
    message: string,
    /** B's status code, or null when no response came (connection error, timeout). */
    readonly status: number | null,
    /** B's problem document, when it sent one. */
    readonly problem: ServiceBProblem | null,
    /** How many attempts were made. */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The part of a pino logger the client writes `upstream.call` / `upstream.retry` / `upstream.exhausted` events to. */
export interface ClientLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options for {@link ServiceBClient}. */
export interface ServiceBClientOptions {
  /** Service B's base URL, e.g. http://127.0.0.1:8002. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Time limit of one attempt (connect, headers and body). @default 1000 */
  timeoutMs?: number;
  /** Retries after the first attempt on connection errors, timeouts and 5xx. @default 3 */
  retries?: number;
  /** Backoff ceiling of the first retry; it doubles on each retry. @default 100 */
  retryBaseMs?: number;
  /** Largest backoff ceiling. @default 2000 */
  retryMaxMs?: number;
  /** Keep-alive connections to B. @default 64 */
  connections?: number;
  /** Sent as X-Source-Service. @default 'service-a' */
  sourceService?: string;
  /** Where events go when a call brings no logger of its own. @default no logging */
  logger?: ClientLogger;
  /** Random source for the jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /** How to wait between attempts. @default a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** Per-call context. */
export interface CallOptions {
  /** Sent as X-Correlation-Id. */
  correlationId?: string;
  /** Sent as Idempotency-Key (reserve only), so B answers a repeated reservation with the first one. */
  idempotencyKey?: string;
  /** The request's logger, so events carry its correlation id. */
  logger?: ClientLogger;
}

const SILENT: ClientLogger = { info() {}, warn() {}, error() {} };

type Outcome = { status: number; text: string } | { failure: string; cause: unknown };

/**
 * Service A's HTTP client for Service B over a keep-alive undici Pool. Every call has a per-attempt
 * timeout and is retried with exponential backoff and full jitter on connection errors, timeouts
 * and 5xx; all of B's operations are safe to retry (reservations carry an Idempotency-Key).
 */
export class ServiceBClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly settings: Required<Omit<ServiceBClientOptions, 'baseUrl' | 'token'>> & { authorization: string };

  constructor(options: ServiceBClientOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.settings = {
      timeoutMs: options.timeoutMs ?? 1000,
      retries: options.retries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 2000,
      connections: options.connections ?? 64,
      sourceService: options.sourceService ?? 'service-a',
      logger: options.logger ?? SILENT,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => sleepFor(ms)),
      authorization: `Bearer ${options.token}`,
    };
    this.pool = new Pool(url.origin, { connections: this.settings.connections, keepAliveTimeout: 10_000 });
  }

  /** GET /items/{sku}. */
  async getItem(sku: string, options: CallOptions = {}): Promise<Item> {
    return this.call<Item>('GET', `/items/${encodeURIComponent(sku)}`, options);
  }

  /** POST /reservations; B answers 201 for a new reservation, 200 for a replayed Idempotency-Key. */
  async reserve(request: ReserveRequest, options: CallOptions = {}): Promise<Reservation> {
    return this.call<Reservation>('POST', '/reservations', options, { sku: request.sku, quantity: request.quantity });
  }

  /** GET /reservations/{id}. */
  async getReservation(id: string, options: CallOptions = {}): Promise<Reservation> {
    return this.call<Reservation>('GET', `/reservations/${encodeURIComponent(id)}`, options);
  }

  /** DELETE /reservations/{id}: releases it (a second release is a no-op on B's side). */
  async release(id: string, options: CallOptions = {}): Promise<Reservation> {
    return this.call<Reservation>('DELETE', `/reservations/${encodeURIComponent(id)}`, options);
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: CallOptions, body?: object): Promise<T> {
    const { retries, retryBaseMs, retryMaxMs, random, sleep } = this.settings;
    const log = options.logger ?? this.settings.logger;
    const headers: Record<string, string> = {
      authorization: this.settings.authorization,
      accept: 'application/json',
    };
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    // B records X-Source-Service on the reservation it creates; the contract declares it on POST /reservations only.
    if (method === 'POST') headers['x-source-service'] = this.settings.sourceService;
    if (options.idempotencyKey !== undefined && method === 'POST') headers['idempotency-key'] = options.idempotencyKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const outcome = await this.attempt(method, path, headers, payload);
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      if ('status' in outcome) {
        log.info({ event: 'upstream.call', attempt, method, path, statusCode: outcome.status, durationMs }, 'upstream.call');
        if (outcome.status < 500) return this.settle<T>(outcome, method, path, attempt);
      } else {
        log.info({ event: 'upstream.call', attempt, method, path, error: outcome.failure, durationMs }, 'upstream.call');
      }
      const reason = 'status' in outcome ? `HTTP ${outcome.status}` : outcome.failure;
      if (attempt > retries) {
        log.error({ event: 'upstream.exhausted', attempts: attempt, method, path, error: reason }, 'upstream.exhausted');
        throw new ServiceBError('unavailable', `service-b did not answer ${method} ${path} after ${attempt} attempt(s): ${reason}`, 'status' in outcome ? outcome.status : null, 'status' in outcome ? parseProblem(outcome.text) : null, attempt, { cause: 'cause' in outcome ? outcome.cause : undefined });
      }
      const delayMs = backoffDelay(attempt, retryBaseMs, retryMaxMs, random);
      log.warn({ event: 'upstream.retry', attempt, delayMs, method, path, error: reason }, 'upstream.retry');
      await sleep(delayMs);
    }
  }

  private async attempt(method: string, path: string, headers: Record<string, string>, payload: string | undefined): Promise<Outcome> {
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const response = await this.pool.request({ method, path: this.basePath + path, headers, body: payload ?? null, signal });
      return { status: response.statusCode, text: await response.body.text() };
    } catch (error) {
      if (signal.aborted) return { failure: 'timeout', cause: error };
      const code = (error as { code?: unknown }).code;
      return { failure: typeof code === 'string' ? code : (error as Error).message, cause: error };
    }
  }

  private settle<T>(outcome: { status: number; text: string }, method: string, path: string, attempts: number): T {
    const { status, text } = outcome;
    if (status >= 200 && status < 300) return JSON.parse(text) as T;
    const problem = parseProblem(text);
    const detail = problem?.detail ?? `HTTP ${status}`;
    const message = `service-b answered ${status} to ${method} ${path}: ${detail}`;
    throw new ServiceBError(kindOf(status), message, status, problem, attempts);
  }
}

function kindOf(status: number): ServiceBErrorKind {
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
    case 403:
      return 'unauthorized';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    default:
      return 'unexpected';
  }
}

function parseProblem(text: string): ServiceBProblem | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as ServiceBProblem) : null;
  } catch {
    return null;
  }
}
