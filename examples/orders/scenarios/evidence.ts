import { field } from 'accord';
import type { HttpResult, LogLine } from 'accord';
import type { RetrySettings } from './system.js';

/** The lines of `service` with `event` (any when omitted) among `lines`, in log order. */
export function eventsOf(lines: readonly LogLine[], service: string, event?: string): LogLine[] {
  return lines.filter((line) => line.service === service && (event === undefined || line.event === event));
}

/** A number field of a log line, or undefined. */
export function num(line: LogLine | undefined, key: string): number | undefined {
  const value = line?.[key];
  return typeof value === 'number' ? value : undefined;
}

/** The backoff ceiling of retry `n` (1-based) as A's settings define it: min(max, base·2^(n-1)). */
export function backoffCeiling(retry: RetrySettings, n: number): number {
  return Math.min(retry.retryMaxMs, retry.retryBaseMs * 2 ** (n - 1));
}

/**
 * The longest A may take to give up on a B that never answers: every attempt times out and every
 * backoff is at its ceiling, plus `slackMs` for A's own work and process scheduling on a busy machine.
 */
export function giveUpDeadlineMs(retry: RetrySettings, slackMs = 1000): number {
  let total = (retry.retries + 1) * retry.timeoutMs;
  for (let n = 1; n <= retry.retries; n++) total += backoffCeiling(retry, n);
  return total + slackMs;
}

/** `503 application/problem+json "detail"` or `no answer (ECONNREFUSED)`: how a response reads in a check's detail. */
export function describeResponse(response: HttpResult): string {
  if (response.status === 0) return `no answer (${response.error ?? 'unknown error'})`;
  const type = response.headers['content-type']?.split(';')[0] ?? 'no content-type';
  const detail = field(response.body, 'detail');
  return `${response.status} ${type}${typeof detail === 'string' ? ` "${detail}"` : ''}`;
}

/** True for a problem+json response with `status`. */
export function isProblem(response: HttpResult, status: number): boolean {
  return response.status === status && (response.headers['content-type'] ?? '').startsWith('application/problem+json');
}

/** Counts of each status among `responses`, e.g. `{"200": 10, "409": 40}`. */
export function statusCounts(responses: readonly HttpResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) counts[String(r.status)] = (counts[String(r.status)] ?? 0) + 1;
  return counts;
}
