import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Db } from '../db.js';
import { sendWebhookRequest } from './send-request.js';
import type { WebhookTargetPolicy } from './target-policy.js';
import { DELIVERY_CHANNEL, claimDeliveries, recordExecution, releaseLeases, settleDelivery } from './webhook-store.js';
import type { ClaimedDelivery } from './webhook-store.js';

/** How webhooks are delivered (broker.yaml `webhooks:`). */
export interface WebhookDeliverySettings {
  policy: WebhookTargetPolicy;
  /** Attempts after the first failed one. @default 6 */
  retries: number;
  /** Wait before the first retry; each later one waits twice as long. @default 10000 */
  retryBackoffMs: number;
  /** How long a receiver has to answer. @default 10000 */
  timeoutMs: number;
}

/** The defaults of {@link WebhookDeliverySettings}. */
export const WEBHOOK_DELIVERY_DEFAULTS: Readonly<Omit<WebhookDeliverySettings, 'policy'>> = Object.freeze({ retries: 6, retryBackoffMs: 10_000, timeoutMs: 10_000 });

/** Options for {@link startWebhookWorker}. */
export interface WebhookWorkerOptions extends WebhookDeliverySettings {
  /** Deliveries in flight at once. @default 16 */
  concurrency?: number;
  /** How often the queue is looked at without a notification (retries due, leases run out). @default 1000 */
  pollMs?: number;
  /** How long a claimed delivery stays this replica's; longer than a request may take. @default timeoutMs + 5000 */
  leaseMs?: number;
}

/** A running delivery worker. */
export interface StartedWebhookWorker {
  /** This replica's name in leases and execution records. */
  readonly replica: string;
  /** Looks at the queue now (this replica just queued something). */
  wake(): void;
  /** Stops claiming, lets in-flight deliveries finish for up to 2 s, gives back the rest's leases. */
  stop(): Promise<void>;
}

/**
 * Claims deliveries from the PostgreSQL queue and sends them. Every replica runs one: a LISTEN
 * on the queue's channel wakes all of them when any queues something, and SKIP LOCKED plus a
 * lease makes exactly one of them send it; a replica that dies holding one lets its lease run
 * out and another sends it again (at least once).
 */
export async function startWebhookWorker(db: Db, databaseUrl: string, options: WebhookWorkerOptions): Promise<StartedWebhookWorker> {
  const replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? options.timeoutMs + 5000;
  const stopping = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  let claiming = false;
  let again = false;
  let closed = false;

  const deliver = async (delivery: ClaimedDelivery): Promise<void> => {
    const sent = await sendWebhookRequest(delivery.request, delivery.params, { policy: options.policy, timeoutMs: options.timeoutMs, signal: stopping.signal });
    // A stop cut it short: the lease is given back and another replica sends it.
    if (stopping.signal.aborted && !sent.success) return;
    await recordExecution(db, { ...sent, webhookId: delivery.webhookId, deliveryId: delivery.id, eventName: delivery.eventName, attempt: delivery.attempt, replica });
    const retry = !sent.success && sent.retryable && delivery.attempt <= options.retries;
    await settleDelivery(db, delivery.id, { success: sent.success, retryAt: retry ? new Date(Date.now() + options.retryBackoffMs * 2 ** (delivery.attempt - 1)) : undefined });
  };

  const claim = async (): Promise<void> => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const room = concurrency - inFlight.size;
        if (room <= 0 || closed) break;
        const claimed = await claimDeliveries(db, replica, leaseMs, room);
        for (const delivery of claimed) {
          const running = deliver(delivery)
            .catch(() => undefined)
            .finally(() => {
              inFlight.delete(delivery.id);
              if (!closed) void claim();
            });
          inFlight.set(delivery.id, running);
        }
        if (claimed.length === room) again = true;
      } while (again);
    } catch {
      // The database is away for a moment: the next poll tries again.
    } finally {
      claiming = false;
    }
  };

  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => undefined);
  listener.on('notification', () => void claim());
  await listener.connect();
  await listener.query(`LISTEN ${DELIVERY_CHANNEL}`);
  const timer = setInterval(() => void claim(), options.pollMs ?? 1000);
  timer.unref();
  void claim();

  return {
    replica,
    wake: () => void claim(),
    async stop() {
      closed = true;
      clearInterval(timer);
      const pending = [...inFlight.values()];
      await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      stopping.abort();
      const left = [...inFlight.keys()];
      await Promise.allSettled([...inFlight.values()]);
      await releaseLeases(db, replica, left).catch(() => undefined);
      await listener.end().catch(() => undefined);
    },
  };
}
