import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Db } from '../db.js';
import { sendWebhookRequest } from './send-request.js';
import type { WebhookTargetPolicy } from './target-policy.js';
import { DELIVERY_CHANNEL, claimDeliveries, recordAndSettle, releaseLeases } from './webhook-store.js';
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
  /** This replica's name in leases, execution records and its own notifications. @default host:pid:random */
  replica?: string;
}

/** A running delivery worker. */
export interface StartedWebhookWorker {
  /** This replica's name in leases and execution records. */
  readonly replica: string;
  /** Looks at the queue now (this replica just queued something). */
  wake(): void;
  /** Whether it would claim another delivery now: fewer in flight than its concurrency, not stopping. */
  hasRoom(): boolean;
  /** Stops claiming, lets in-flight deliveries finish for up to 2 s, gives back the rest's leases. */
  stop(): Promise<void>;
}

/** A name no other replica has: host, process and a random part (a restarted process may reuse a pid). */
export function replicaName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Claims deliveries from the PostgreSQL queue and sends them. Every replica runs one: the
 * replica that queues a delivery wakes its own worker, a LISTEN on the queue's channel wakes the
 * others when that one has no room, a poll finds the rest (retries due, leases run out), and
 * SKIP LOCKED plus a lease makes exactly one of them send it; a replica that dies holding one
 * lets its lease run out and another sends it again (at least once).
 */
export async function startWebhookWorker(db: Db, databaseUrl: string, options: WebhookWorkerOptions): Promise<StartedWebhookWorker> {
  const replica = options.replica ?? replicaName();
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
    const retry = !sent.success && sent.retryable && delivery.attempt <= options.retries;
    await recordAndSettle(
      db,
      { ...sent, webhookId: delivery.webhookId, deliveryId: delivery.id, eventName: delivery.eventName, attempt: delivery.attempt, replica },
      { success: sent.success, retryAt: retry ? new Date(Date.now() + options.retryBackoffMs * 2 ** (delivery.attempt - 1)) : undefined },
    );
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
  // Its own notices are skipped: whoever queued here woke this worker already, and a second
  // claim per publish would only cost a round trip that finds nothing.
  listener.on('notification', (notice) => {
    if (notice.payload !== replica) void claim();
  });
  await listener.connect();
  await listener.query(`LISTEN ${DELIVERY_CHANNEL}`);
  const timer = setInterval(() => void claim(), options.pollMs ?? 1000);
  timer.unref();
  void claim();

  return {
    replica,
    wake: () => void claim(),
    hasRoom: () => !closed && inFlight.size < concurrency,
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
