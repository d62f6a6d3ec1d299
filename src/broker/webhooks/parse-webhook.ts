import { randomUUID } from 'node:crypto';
import { badRequest } from '../problem.js';
import { WEBHOOK_EVENTS, isWebhookEvent } from './events.js';
import type { WebhookEventName } from './events.js';
import { targetRefusal } from './target-policy.js';
import type { WebhookTargetPolicy } from './target-policy.js';
import type { WebhookInput, WebhookRequest } from './webhook-store.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const UUID = /^[A-Za-z0-9_-]{8,64}$/;
/** Bounds on what a webhook may carry: enough for any CI trigger, never unbounded. */
const LIMITS = { description: 1000, url: 2048, headers: 50, header: 8192, body: 64 * 1024 };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The name in `{ "name": … }` (the Pact Broker's pacticipant reference); labels are not supported. */
function pacticipantName(value: unknown, field: string, errors: Record<string, string[]>): string | null {
  if (value === undefined || value === null) return null;
  if (isObject(value) && typeof value.name === 'string' && value.name.length > 0 && value.name.length <= 255) return value.name;
  if (isObject(value) && value.label !== undefined) (errors[field] ??= []).push('selecting pacticipants by label is not supported: give {"name": "…"}');
  else (errors[field] ??= []).push('expected {"name": "<pacticipant name>"}');
  return null;
}

/**
 * A webhook body (`POST /webhooks`, `PUT /webhooks/{uuid}`) checked field by field, the target
 * against the policy: a webhook that could never be delivered is refused now, not when it fires.
 * `scope` is the consumer/provider the URL names (the scoped forms), which wins over the body's.
 */
export function parseWebhook(body: unknown, policy: WebhookTargetPolicy, options: { uuid?: string | undefined; scope?: { consumer?: string | undefined; provider?: string | undefined } } = {}): WebhookInput {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const input = isObject(body) ? body : {};
  if (!isObject(body)) add('body', 'expected a JSON object');

  const events: WebhookEventName[] = [];
  if (!Array.isArray(input.events) || input.events.length === 0) add('events', `expected at least one event: [{"name": "…"}] with names from ${WEBHOOK_EVENTS.join(', ')}`);
  else {
    input.events.forEach((event: unknown, index) => {
      const name = isObject(event) ? event.name : undefined;
      if (isWebhookEvent(name)) {
        if (!events.includes(name)) events.push(name);
      } else add(`events[${index}].name`, `${JSON.stringify(name ?? null)} is not a webhook event (${WEBHOOK_EVENTS.join(', ')})`);
    });
  }

  const request = isObject(input.request) ? input.request : undefined;
  if (!request) add('request', 'expected {"method": …, "url": …}');
  const method = typeof request?.method === 'string' ? request.method.toUpperCase() : '';
  if (request && !METHODS.has(method)) add('request.method', `expected one of ${[...METHODS].join(', ')}, got ${JSON.stringify(request.method ?? null)}`);
  const url = typeof request?.url === 'string' ? request.url : '';
  if (request) {
    if (!url) add('request.url', 'expected the URL to call');
    else if (url.length > LIMITS.url) add('request.url', `longer than ${LIMITS.url} characters`);
    else {
      const refusal = targetRefusal(url, policy);
      if (refusal) add('request.url', `${refusal}: this webhook could never be delivered`);
    }
  }
  const headers: Record<string, string> = {};
  if (request?.headers !== undefined && request.headers !== null) {
    if (!isObject(request.headers)) add('request.headers', 'expected an object of header names to values');
    else {
      const entries = Object.entries(request.headers);
      if (entries.length > LIMITS.headers) add('request.headers', `more than ${LIMITS.headers} headers`);
      for (const [name, value] of entries) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) add('request.headers', `${JSON.stringify(name)} is not a header name`);
        else if (typeof value !== 'string' || value.length > LIMITS.header || /[\r\n]/.test(value)) add(`request.headers.${name}`, `expected one line of text up to ${LIMITS.header} characters`);
        else headers[name] = value;
      }
    }
  }
  if (request?.body !== undefined && request.body !== null && JSON.stringify(request.body).length > LIMITS.body) add('request.body', `longer than ${LIMITS.body} characters`);
  for (const field of ['username', 'password'] as const) {
    if (request?.[field] !== undefined && request[field] !== null && typeof request[field] !== 'string') add(`request.${field}`, 'expected text');
  }
  if (input.description !== undefined && input.description !== null && (typeof input.description !== 'string' || input.description.length > LIMITS.description)) add('description', `expected text up to ${LIMITS.description} characters`);
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') add('enabled', 'expected true or false');
  const consumerName = options.scope?.consumer ?? pacticipantName(input.consumer, 'consumer', errors);
  const providerName = options.scope?.provider ?? pacticipantName(input.provider, 'provider', errors);
  const uuid = options.uuid ?? (typeof input.uuid === 'string' ? input.uuid : randomUUID());
  if (!UUID.test(uuid)) add('uuid', 'expected 8 to 64 letters, digits, - or _');

  if (Object.keys(errors).length > 0) throw badRequest(Object.entries(errors).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; '), errors);
  const webhookRequest: WebhookRequest = { method, url, headers };
  if (request?.body !== undefined && request.body !== null) webhookRequest.body = request.body;
  if (typeof request?.username === 'string') webhookRequest.username = request.username;
  if (typeof request?.password === 'string') webhookRequest.password = request.password;
  return {
    uuid,
    description: typeof input.description === 'string' ? input.description : null,
    consumerName,
    providerName,
    events,
    request: webhookRequest,
    enabled: input.enabled !== false,
  };
}
