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
 * Queues one delivery per enabled webhook that listens for each event and matches its consumer
 * and provider, and notifies every replica. Returns how many were queued.
 */
export async function enqueueDeliveries(db: Queryable, events: readonly WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO webhook_deliveries (uuid, webhook_id, event_name, params)
     SELECT gen_random_uuid()::text, w.id, e.name, e.params
     FROM jsonb_to_recordset($1::jsonb) AS e(name text, "consumerName" text, "providerName" text, params jsonb)
     JOIN webhooks w ON w.enabled AND e.name = ANY (w.events)
       AND (w.consumer_name IS NULL OR w.consumer_name = e."consumerName") AND (w.provider_name IS NULL OR w.provider_name = e."providerName")
     ORDER BY w.id`,
    [JSON.stringify(events)],
  );
  const queued = rowCount ?? 0;
  if (queued > 0) await db.query(`SELECT pg_notify('${DELIVERY_CHANNEL}', '')`);
  return queued;
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

/** Settles an attempt: done, due again at `retryAt`, or given up (no `retryAt`). */
export async function settleDelivery(db: Queryable, id: number, outcome: { success: boolean; retryAt?: Date | undefined }): Promise<void> {
  const status = outcome.success ? 'succeeded' : outcome.retryAt ? 'pending' : 'failed';
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), leased_until = NULL, leased_by = NULL, updated_at = now() WHERE id = $1`,
    [id, status, outcome.retryAt ?? null],
  );
}

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

/** Records one attempt (its request already redacted). */
export async function recordExecution(
  db: Queryable,
  execution: Omit<WebhookExecution, 'id' | 'createdAt' | 'webhookUuid' | 'deliveryUuid'> & { webhookId: number; deliveryId: number | undefined },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_executions (webhook_id, delivery_id, event_name, attempt, request, response, error, duration_ms, success, replica) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
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
    ],
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
