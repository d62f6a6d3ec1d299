import type { Queryable } from '../db.js';
import type { WebhookEvent, WebhookEventName } from './events.js';

/** The HTTP request a webhook sends, as given (templates unrendered). */
export interface WebhookRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  username?: string;
  password?: string;
}

/** A stored webhook. */
export interface Webhook {
  id: number;
  uuid: string;
  description: string | null;
  consumerName: string | null;
  providerName: string | null;
  events: WebhookEventName[];
  request: WebhookRequest;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What creating or replacing a webhook stores. */
export type WebhookInput = Pick<Webhook, 'uuid' | 'description' | 'consumerName' | 'providerName' | 'events' | 'request' | 'enabled'>;

const COLUMNS = `id::int AS id, uuid, description, consumer_name AS "consumerName", provider_name AS "providerName", events, request, enabled, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Creates or replaces the webhook with `input.uuid`; `created` says which. */
export async function saveWebhook(db: Queryable, input: WebhookInput): Promise<{ webhook: Webhook; created: boolean }> {
  const { rows } = await db.query<Webhook & { created: boolean }>(
    `INSERT INTO webhooks (uuid, description, consumer_name, provider_name, events, request, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (uuid) DO UPDATE SET description = EXCLUDED.description, consumer_name = EXCLUDED.consumer_name, provider_name = EXCLUDED.provider_name,
       events = EXCLUDED.events, request = EXCLUDED.request, enabled = EXCLUDED.enabled, updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [input.uuid, input.description, input.consumerName, input.providerName, input.events, JSON.stringify(input.request), input.enabled],
  );
  const { created, ...webhook } = rows[0] as Webhook & { created: boolean };
  return { webhook, created };
}

/** The webhook with this uuid. */
export async function findWebhook(db: Queryable, uuid: string): Promise<Webhook | undefined> {
  const { rows } = await db.query<Webhook>(`SELECT ${COLUMNS} FROM webhooks WHERE uuid = $1`, [uuid]);
  return rows[0];
}

/** Every webhook, oldest first. */
export async function listWebhooks(db: Queryable): Promise<Webhook[]> {
  const { rows } = await db.query<Webhook>(`SELECT ${COLUMNS} FROM webhooks ORDER BY id`);
  return rows;
}

/** Deletes a webhook (its deliveries and executions with it); false when there was none. */
export async function deleteWebhook(db: Queryable, uuid: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhooks WHERE uuid = $1', [uuid]);
  return (rowCount ?? 0) > 0;
}

/** The channel replicas LISTEN on to hear of new deliveries at once. */
export const DELIVERY_CHANNEL = 'accord_webhook_deliveries';

/**
 * The event names some enabled webhook listens for on an integration of these consumers and
 * providers: a publish skips the look-ups for events no webhook wants. It may name more than
 * the exact pairs want (any consumer with any provider); {@link enqueueDeliveries} matches exactly.
 */
export async function subscribedEvents(db: Queryable, consumerNames: readonly string[], providerNames: readonly string[]): Promise<Set<WebhookEventName>> {
  const { rows } = await db.query<{ name: WebhookEventName }>(
    `SELECT DISTINCT unnest(events) AS name FROM webhooks
     WHERE enabled AND (consumer_name IS NULL OR consumer_name = ANY ($1::text[])) AND (provider_name IS NULL OR provider_name = ANY ($2::text[]))`,
    [consumerNames, providerNames],
  );
  return new Set(rows.map((row) => row.name));
}

/** Whether queueing tells every replica (NOTIFY), and which replica queued (the payload: it ignores its own notice). */
export interface QueueNotice {
  notify: boolean;
  from: string;
}

/**
 * Queues one delivery per enabled webhook that listens for each event and matches its consumer
 * and provider, and (with `notice.notify`) notifies every replica. Returns how many were queued.
 */
export async function enqueueDeliveries(db: Queryable, events: readonly WebhookEvent[], notice: QueueNotice = { notify: true, from: '' }): Promise<number> {
  if (events.length === 0) return 0;
  // The insert and the NOTIFY in one statement: one round trip, and the notice goes out with
  // the commit that makes the rows visible.
  const { rows } = await db.query<{ queued: number }>(
    `WITH queued AS (
       INSERT INTO webhook_deliveries (uuid, webhook_id, event_name, params)
       SELECT gen_random_uuid()::text, w.id, e.name, e.params
       FROM jsonb_to_recordset($1::jsonb) AS e(name text, "consumerName" text, "providerName" text, params jsonb)
       JOIN webhooks w ON w.enabled AND e.name = ANY (w.events)
         AND (w.consumer_name IS NULL OR w.consumer_name = e."consumerName") AND (w.provider_name IS NULL OR w.provider_name = e."providerName")
       ORDER BY w.id
       RETURNING 1
     )
     SELECT count(*)::int AS queued, CASE WHEN count(*) > 0 AND $4::boolean THEN pg_notify($2, $3) END AS notified FROM queued`,
    [JSON.stringify(events), DELIVERY_CHANNEL, notice.from, notice.notify],
  );
  return rows[0]?.queued ?? 0;
}

/** A delivery a replica holds the lease of, with the webhook it delivers. */
export interface ClaimedDelivery {
  id: number;
  uuid: string;
  eventName: string;
  params: Record<string, string>;
  attempt: number;
  webhookId: number;
  webhookUuid: string;
  request: WebhookRequest;
}

/**
 * Claims up to `limit` due deliveries for `replica` for `leaseMs`: pending ones whose next
 * attempt is due and that no live replica holds. SKIP LOCKED lets replicas claim side by side
 * without waiting on each other or taking the same row.
 */
export async function claimDeliveries(db: Queryable, replica: string, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
       ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $2::double precision / 1000), leased_by = $1, attempts = attempts + 1, updated_at = now()
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.uuid, d.event_name, d.params, d.attempts, d.webhook_id
     )
     SELECT c.id::int AS id, c.uuid, c.event_name AS "eventName", c.params, c.attempts AS attempt, c.webhook_id::int AS "webhookId", w.uuid AS "webhookUuid", w.request
     FROM claimed c JOIN webhooks w ON w.id = c.webhook_id ORDER BY c.id`,
    [replica, leaseMs, limit],
  );
  return rows;
}

/** How an attempt ends: done, due again at `retryAt`, or given up (no `retryAt`). */
export interface DeliveryOutcome {
  success: boolean;
  retryAt?: Date | undefined;
}

const statusOf = (outcome: DeliveryOutcome) => (outcome.success ? 'succeeded' : outcome.retryAt ? 'pending' : 'failed');

/** Gives back leases a stopping replica holds, so another replica claims them at once. */
export async function releaseLeases(db: Queryable, replica: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`UPDATE webhook_deliveries SET leased_until = NULL, leased_by = NULL WHERE leased_by = $1 AND id = ANY ($2::bigint[]) AND status = 'pending'`, [replica, ids]);
}

/** One attempt at a webhook, as recorded. */
export interface WebhookExecution {
  id: number;
  webhookUuid: string;
  deliveryUuid: string | null;
  eventName: string;
  attempt: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string | undefined };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  durationMs: number;
  success: boolean;
  replica: string;
  createdAt: Date;
}

/** One attempt to record (its request already redacted). */
export type ExecutionRecord = Omit<WebhookExecution, 'id' | 'createdAt' | 'webhookUuid' | 'deliveryUuid'> & { webhookId: number; deliveryId: number | undefined };

const INSERT_EXECUTION = `INSERT INTO webhook_executions (webhook_id, delivery_id, event_name, attempt, request, response, error, duration_ms, success, replica) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
const executionValues = (execution: ExecutionRecord) => [
  execution.webhookId,
  execution.deliveryId ?? null,
  execution.eventName,
  execution.attempt,
  JSON.stringify(execution.request),
  execution.response === null ? null : JSON.stringify(execution.response),
  execution.error,
  Math.round(execution.durationMs),
  execution.success,
  execution.replica,
];

/** Records one attempt (its request already redacted). */
export async function recordExecution(db: Queryable, execution: ExecutionRecord): Promise<void> {
  await db.query(INSERT_EXECUTION, executionValues(execution));
}

/** Records a queued delivery's attempt and settles it, in one statement (one round trip, one commit: never one without the other). */
export async function recordAndSettle(db: Queryable, execution: ExecutionRecord & { deliveryId: number }, outcome: DeliveryOutcome): Promise<void> {
  await db.query(
    `WITH recorded AS (${INSERT_EXECUTION})
     UPDATE webhook_deliveries SET status = $12, next_attempt_at = COALESCE($13, next_attempt_at), leased_until = NULL, leased_by = NULL, updated_at = now() WHERE id = $11`,
    [...executionValues(execution), execution.deliveryId, statusOf(outcome), outcome.retryAt ?? null],
  );
}

/** The newest executions, of one webhook or of all. */
export async function listExecutions(db: Queryable, options: { webhookUuid?: string; limit: number }): Promise<WebhookExecution[]> {
  const { rows } = await db.query<WebhookExecution>(
    `SELECT x.id::int AS id, w.uuid AS "webhookUuid", d.uuid AS "deliveryUuid", x.event_name AS "eventName", x.attempt, x.request, x.response, x.error,
            x.duration_ms AS "durationMs", x.success, x.replica, x.created_at AS "createdAt"
     FROM webhook_executions x JOIN webhooks w ON w.id = x.webhook_id LEFT JOIN webhook_deliveries d ON d.id = x.delivery_id
     WHERE $1::text IS NULL OR w.uuid = $1 ORDER BY x.id DESC LIMIT $2`,
    [options.webhookUuid ?? null, options.limit],
  );
  return rows;
}
