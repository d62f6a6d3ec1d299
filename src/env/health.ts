import { request } from 'undici';

/** Options for {@link waitHealthy}. */
export interface WaitHealthyOptions {
  timeoutMs: number;
  /** Stops waiting early (e.g. the process exited). */
  gaveUp?: () => boolean;
  /** Delay between polls. @default 50 */
  intervalMs?: number;
}

/** Why a health check did not pass: the last status or connection error seen. */
export interface HealthOutcome {
  readonly healthy: boolean;
  readonly last: string;
  /** The HTTP status, when the service answered at all. */
  readonly status?: number;
}

/** One `GET url`: 2xx is healthy. Never throws. */
export async function checkHealth(url: string, timeoutMs = 1000): Promise<HealthOutcome> {
  try {
    // reset: a fresh connection each time, so a poll never reuses a socket of a dead process.
    const response = await request(url, { method: 'GET', reset: true, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await response.body.dump();
    return { healthy: response.statusCode >= 200 && response.statusCode < 300, last: `HTTP ${response.statusCode}`, status: response.statusCode };
  } catch (error) {
    return { healthy: false, last: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** True for a 4xx: the service is up and says the request is wrong (a wrong health path), which waiting cannot fix. */
export function isClientError(outcome: HealthOutcome): boolean {
  return outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500;
}

/** Polls `url` until it answers 2xx (or 4xx, which will not change), the time is up or `gaveUp()` says stop. */
export async function waitHealthy(url: string, options: WaitHealthyOptions): Promise<HealthOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  let outcome: HealthOutcome = { healthy: false, last: 'not polled yet' };
  while (Date.now() < deadline && !options.gaveUp?.()) {
    outcome = await checkHealth(url, Math.min(1000, Math.max(1, deadline - Date.now())));
    if (outcome.healthy || isClientError(outcome)) return outcome;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return outcome;
}
