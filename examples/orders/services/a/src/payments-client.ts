import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { backoffDelay } from './backoff.js';
import type { ClientLogger } from './service-b-client.js';

/** A payment as the vendor returns it (the fields A reads). */
export interface Payment {
  id: string;
  status: 'authorized' | 'captured' | 'voided';
  amount: number;
  currency: string;
  reference: string;
}

/** Why A voids, as the vendor's VoidRequest names it: a failed checkout, or the customer cancelling. */
export type VoidReason = 'order_failed' | 'requested_by_customer';

/** What A asks the vendor to authorize. */
export interface AuthorizeRequest {
  /** Minor units (cents). */
  amount: number;
  currency: string;
  /** A's order id. */
  reference: string;
  /** The card token the customer's payment form produced. */
  token: string;
  description?: string;
}

/**
 * How a payment call failed. `declined`: the card was refused (402); `unavailable`: timeouts,
 * connection errors, 5xx or 429 after every retry; `rejected`: any other answer (A's request was
 * wrong, or the vendor answered something the contract does not have).
 */
export type PaymentsErrorKind = 'declined' | 'unavailable' | 'rejected';

/** A payment call that did not succeed. */
export class PaymentsError extends Error {
  override readonly name = 'PaymentsError';
  constructor(
    readonly kind: PaymentsErrorKind,
    message: string,
    /** The vendor's status, or null when no answer came. */
    readonly status: number | null,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Options for {@link PaymentsClient}. */
export interface PaymentsClientOptions {
  /** Where the vendor's paths start, e.g. https://api.paywell.example/v2. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Time limit of one attempt, answer body included. @default 800 */
  timeoutMs?: number;
  /** Retries after the first attempt (same Idempotency-Key) on timeouts, connection errors, 5xx and 429. @default 2 */
  retries?: number;
  /** @default 50 */
  retryBaseMs?: number;
  /** @default 500 */
  retryMaxMs?: number;
  /** Keep-alive sockets to the vendor. @default 64 */
  connections?: number;
  /** @default no logging */
  logger?: ClientLogger;
  /** Random source of the backoff jitter. @default Math.random */
  random?: () => number;
  /** @default a timer */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Test-only: a new Idempotency-Key on every attempt, the bug that charges twice. Scenarios set
   * it to prove they notice. @default false
   */
  freshKeyPerAttempt?: boolean;
}

/** Per-call context. */
export interface PaymentCallOptions {
  /** Sent as Idempotency-Key on every attempt of this call. */
  idempotencyKey: string;
  correlationId?: string;
  logger?: ClientLogger;
  /** Overrides the per-attempt time limit (a late-answer check waits longer). */
  timeoutMs?: number;
}

const SILENT: ClientLogger = { info() {}, warn() {}, error() {} };

type Outcome = { status: number; text: string } | { failure: string; cause: unknown };

/**
 * Service A's client for the payments vendor (contracts/external/payments.yaml). node:http
 * rather than undici: it is what nock intercepts, so the unit tests see every request A sends.
 * Every POST carries the caller's Idempotency-Key on each attempt, so a retry after a timeout
 * can never authorize twice.
 */
export class PaymentsClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly settings: Required<Omit<PaymentsClientOptions, 'baseUrl' | 'apiKey'>> & { authorization: string };

  constructor(options: PaymentsClientOptions) {
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    this.settings = {
      timeoutMs: options.timeoutMs ?? 800,
      retries: options.retries ?? 2,
      retryBaseMs: options.retryBaseMs ?? 50,
      retryMaxMs: options.retryMaxMs ?? 500,
      connections: options.connections ?? 64,
      logger: options.logger ?? SILENT,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => sleepFor(ms)),
      freshKeyPerAttempt: options.freshKeyPerAttempt ?? false,
      authorization: `Bearer ${options.apiKey}`,
    };
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: this.settings.connections, keepAliveMsecs: 10_000 });
  }

  /** POST /payments: holds the amount on the card. */
  async authorize(request: AuthorizeRequest, options: PaymentCallOptions): Promise<Payment> {
    const body = {
      amount: request.amount,
      currency: request.currency,
      reference: request.reference,
      paymentMethod: { type: 'card', token: request.token },
      ...(request.description === undefined ? {} : { description: request.description }),
    };
    return this.call('authorize', '/payments', body, options);
  }

  /** POST /payments/{id}/void: releases the hold; voiding a voided payment is a no-op at the vendor. */
  async void(paymentId: string, options: PaymentCallOptions, reason: VoidReason = 'order_failed'): Promise<Payment> {
    return this.call('void', `/payments/${encodeURIComponent(paymentId)}/void`, { reason }, options);
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private async call(operation: string, path: string, body: object, options: PaymentCallOptions): Promise<Payment> {
    const { retries, retryBaseMs, retryMaxMs, random, sleep } = this.settings;
    const log = options.logger ?? this.settings.logger;
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      const key = this.settings.freshKeyPerAttempt ? `${options.idempotencyKey}:${attempt}` : options.idempotencyKey;
      const started = performance.now();
      const outcome = await this.attempt(path, payload, key, options);
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const retryable = 'failure' in outcome || outcome.status >= 500 || outcome.status === 429;
      log.info({ event: 'payments.call', operation, attempt, idempotencyKey: key, ...('status' in outcome ? { statusCode: outcome.status } : { error: outcome.failure }), durationMs }, 'payments.call');
      if (!retryable && 'status' in outcome) return this.settle(operation, outcome, attempt);
      const reason = 'status' in outcome ? `HTTP ${outcome.status}` : outcome.failure;
      if (attempt > retries) {
        log.error({ event: 'payments.exhausted', operation, attempts: attempt, error: reason }, 'payments.exhausted');
        throw new PaymentsError('unavailable', `the payments provider did not answer ${operation} after ${attempt} attempt(s): ${reason}`, 'status' in outcome ? outcome.status : null, attempt, { cause: 'cause' in outcome ? outcome.cause : undefined });
      }
      const delayMs = backoffDelay(attempt, retryBaseMs, retryMaxMs, random);
      log.warn({ event: 'payments.retry', operation, attempt, delayMs, error: reason }, 'payments.retry');
      await sleep(delayMs);
    }
  }

  private attempt(path: string, payload: string, key: string, options: PaymentCallOptions): Promise<Outcome> {
    const headers: Record<string, string | number> = {
      authorization: this.settings.authorization,
      accept: 'application/json, application/problem+json',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'idempotency-key': key,
    };
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    const transport = this.base.protocol === 'https:' ? https : http;
    const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = transport.request(
        { protocol: this.base.protocol, hostname: this.base.hostname, port: this.base.port, path: `${this.base.pathname.replace(/\/$/, '')}${path}`, method: 'POST', headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (error) => finish({ failure: (error as NodeJS.ErrnoException).code ?? error.message, cause: error }));
        },
      );
      // One limit over the whole exchange: a vendor that sends headers and then stalls is as slow as one that never answers.
      const timer = setTimeout(() => {
        finish({ failure: 'timeout', cause: new Error(`no answer within ${timeoutMs} ms`) });
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ failure: error.code ?? error.message, cause: error }));
      req.end(payload);
    });
  }

  private settle(operation: string, outcome: { status: number; text: string }, attempts: number): Payment {
    const { status, text } = outcome;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const detail = (parsed as { detail?: unknown } | undefined)?.detail;
    if (status >= 200 && status < 300) {
      const payment = parsed as Payment | undefined;
      if (typeof payment?.id !== 'string') throw new PaymentsError('rejected', `the payments provider answered ${operation} ${status} without a payment id`, status, attempts);
      return payment;
    }
    const reason = typeof detail === 'string' ? detail : `HTTP ${status}`;
    const kind: PaymentsErrorKind = status === 402 ? 'declined' : 'rejected';
    throw new PaymentsError(kind, `the payments provider answered ${operation} ${status}: ${reason}`, status, attempts);
  }
}
