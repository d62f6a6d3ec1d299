import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { request } from 'undici';
import { redactHeaders } from './redact-headers.js';
import { hostListed, isLinkLocalOrMetadata, targetRefusal } from './target-policy.js';
import type { WebhookTargetPolicy } from './target-policy.js';
import { renderBody, renderTemplate } from './template.js';
import type { WebhookRequest } from './webhook-store.js';

/** How much of a receiver's answer is kept: enough to read an error, never unbounded. */
export const MAX_RESPONSE_BODY = 16 * 1024;

/** One attempt, as sent (secret-looking header values redacted) and as answered. */
export interface SentRequest {
  request: { method: string; url: string; headers: Record<string, string>; body?: string | undefined };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  durationMs: number;
  success: boolean;
  /** False when trying again cannot help (a refused target). */
  retryable: boolean;
}

/** Options for {@link sendWebhookRequest}. */
export interface SendOptions {
  policy: WebhookTargetPolicy;
  /** @default 10000 */
  timeoutMs?: number;
  /** Aborts the request (a stopping replica). */
  signal?: AbortSignal | undefined;
}

/** The webhook's request with the parameters rendered in (values URL-encoded in the URL). */
export function renderRequest(template: WebhookRequest, params: Readonly<Record<string, string>>): { method: string; url: string; headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers ?? {})) headers[name] = renderTemplate(String(value), params);
  if (template.username !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    headers.Authorization = `Basic ${Buffer.from(`${template.username}:${template.password ?? ''}`).toString('base64')}`;
  }
  return { method: template.method.toUpperCase(), url: renderTemplate(template.url, params, encodeURIComponent), headers, body: renderBody(template.body, params) };
}

/** Refuses a host name that resolves to a link-local or metadata address the whitelist does not name. */
async function resolvedRefusal(host: string, policy: WebhookTargetPolicy): Promise<string | undefined> {
  const name = host.replace(/^\[|\]$/g, '');
  if (isIP(name) !== 0 || hostListed(policy, name)) return undefined;
  const addresses = await lookup(name, { all: true }).catch(() => []);
  const risky = addresses.find((address) => isLinkLocalOrMetadata(address.address) && !hostListed(policy, address.address));
  return risky ? `the host ${name} resolves to ${risky.address}, a link-local or cloud metadata address the host whitelist does not name` : undefined;
}

/** Sends one webhook request; never throws: a refusal, a network error or a non-2xx answer is a failed attempt. */
export async function sendWebhookRequest(template: WebhookRequest, params: Readonly<Record<string, string>>, options: SendOptions): Promise<SentRequest> {
  const rendered = renderRequest(template, params);
  const shown = { method: rendered.method, url: rendered.url, headers: redactHeaders(rendered.headers), ...(rendered.body === undefined ? {} : { body: rendered.body }) };
  const started = performance.now();
  const failed = (error: string, retryable: boolean): SentRequest => ({ request: shown, response: null, error, durationMs: performance.now() - started, success: false, retryable });
  const refusal = targetRefusal(rendered.url, options.policy) ?? (await resolvedRefusal(new URL(rendered.url).hostname, options.policy));
  if (refusal) return failed(`refused: ${refusal}`, false);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const headers = { ...rendered.headers };
    if (rendered.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    // undici's request never follows redirects: a receiver cannot bounce a webhook past the whitelist.
    const response = await request(rendered.url, {
      method: rendered.method as 'POST',
      headers,
      body: rendered.body ?? null,
      signal: AbortSignal.any(signals),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    let body = '';
    for await (const chunk of response.body) {
      body += (chunk as Buffer).toString('utf8');
      // Leaving the loop destroys the stream: a receiver cannot make the broker read without end.
      if (body.length >= MAX_RESPONSE_BODY) break;
    }
    const responseHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]));
    const success = response.statusCode >= 200 && response.statusCode < 300;
    return {
      request: shown,
      response: { status: response.statusCode, headers: redactHeaders(responseHeaders), body: body.slice(0, MAX_RESPONSE_BODY) },
      error: success ? null : `the receiver answered ${response.statusCode}`,
      durationMs: performance.now() - started,
      success,
      retryable: !success,
    };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT';
    return failed(timedOut ? `no answer within ${timeoutMs} ms` : `${(error as Error).message}`, true);
  }
}
