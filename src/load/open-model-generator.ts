import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { ArrivalSchedule } from './arrival-schedule.js';
import type { LoadRecorder, RecorderSnapshot } from './load-recorder.js';
import type { RequestMix } from './request-mix.js';

/** Options of {@link runOpenModel}. */
export interface OpenModelOptions {
  /** Origin of the target, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  schedule: ArrivalSchedule;
  mix: RequestMix;
  recorder: LoadRecorder;
  /** Keep-alive connections. @default 64 */
  connections?: number;
  /** Requests in flight at most; arrivals beyond it are dropped and counted. @default 2000 */
  maxInFlight?: number;
  /** Per-request timeout (headers and body). @default 10000 */
  requestTimeoutMs?: number;
  /** An arrival sent later than this after its scheduled time counts as late. @default 10 */
  lateAfterMs?: number;
  /** Requests sent (4 at a time, unmeasured) before the plan starts. @default 0 */
  warmupRequests?: number;
  /** Called about once a second with a live view; returning a string stops the run with that reason. */
  onSecond?: (elapsedMs: number, snapshot: RecorderSnapshot) => string | undefined;
  /** Stops the run early (e.g. Ctrl-C); in-flight requests are still awaited. */
  signal?: AbortSignal;
  /** Monotonic clock in ms. @default performance.now */
  now?: () => number;
}

/** How a generator run ended. */
export interface OpenModelOutcome {
  /** Wall time from the first scheduled arrival to the last completion, in ms. */
  readonly elapsedMs: number;
  /** The clock (`now()`) when the plan started, after the warm-up: time 0 of every recorded time. */
  readonly planStartMs: number;
  /** Why the run stopped before the plan ended, if it did. */
  readonly abortedReason: string | undefined;
  /** Highest number of requests in flight at once. */
  readonly maxInFlightSeen: number;
  /** Requests still outstanding when the drain deadline passed (then cancelled and counted as errors). */
  readonly abandoned: number;
}

/**
 * Runs an open-model (arrival-rate) load: request i starts at its scheduled time whatever the
 * server does, and its latency is measured from that scheduled time, so a stalled server shows
 * in the percentiles instead of silently slowing the generator down (coordinated omission).
 * Node timers have 1 ms granularity, so arrivals due within the same millisecond leave together;
 * each wake-up sends everything that is due. Bounded: the plan has a fixed count and duration,
 * and the drain after it waits at most the request timeout.
 */
// eslint-disable-next-line max-lines-per-function -- the generator's hot loop: its timer, in-flight count and drain share local state, inline for speed
export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelOutcome> {
  const now = options.now ?? (() => performance.now());
  const maxInFlight = options.maxInFlight ?? 2000;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const lateAfterMs = options.lateAfterMs ?? 10;
  const { schedule, mix, recorder } = options;
  const pool = new Pool(options.baseUrl, {
    connections: options.connections ?? 64,
    pipelining: 1,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    keepAliveTimeout: 30_000,
  });

  await warmUp(pool, mix, options.warmupRequests ?? 0, timeout);

  let inFlight = 0;
  let maxInFlightSeen = 0;
  let abortedReason: string | undefined;
  let nextIndex = 1;
  let nextAt = schedule.timeOf(nextIndex);
  let nextReportMs = 1000;
  const t0 = now();
  let drained: (() => void) | undefined;

  /** Sends every arrival that is due by `elapsed` (dropping those over the in-flight cap). */
  const pump = (elapsed: number): void => {
    while (nextAt !== undefined && nextAt <= elapsed && abortedReason === undefined) {
      send(nextAt);
      nextIndex++;
      nextAt = schedule.timeOf(nextIndex);
    }
  };

  const send = (intendedMs: number): void => {
    const sentMs = now() - t0;
    if (inFlight >= maxInFlight) {
      recorder.dropped(intendedMs);
      return;
    }
    const request = mix.next();
    recorder.sent(intendedMs, sentMs - intendedMs > lateAfterMs);
    inFlight++;
    if (inFlight > maxInFlightSeen) maxInFlightSeen = inFlight;
    const wantsBody = Object.keys(request.template.capture).length > 0;
    // Every sent request ends here exactly once: recorded, its slot freed.
    const finish = (ok: boolean, statusCode: number | undefined, errorKind: string | undefined) => {
      recorder.complete({ endpoint: request.endpoint, intendedMs, sentMs, endMs: now() - t0, ok, status: statusCode, errorKind });
      inFlight--;
      if (inFlight === 0) drained?.();
      // A freed slot takes a due arrival now rather than at the next timer tick (≥ 1 ms away):
      // at saturation the timer alone would cap the rate at one refill per millisecond.
      if (nextAt !== undefined && abortedReason === undefined && nextAt <= now() - t0) pump(now() - t0);
    };
    // undici's dispatch() with a plain handler instead of request(): no response stream, no promise
    // per request. The generator shares the machine with the target, so each microsecond it spends
    // per request is one the target does not get (and autocannon, its yardstick, is this lean).
    // These handler methods are the ones undici's clients call (its newer onResponse* API is
    // adapted onto them, parsing every header): typed deprecated, kept within the pinned major.
    let status = 0;
    let chunks: Buffer[] | undefined;
    pool.dispatch(
      { method: request.method as 'GET', path: request.path, headers: request.headers, body: request.body ?? null },
      {
        onConnect() {},
        onHeaders(statusCode: number) {
          status = statusCode;
          if (wantsBody && isExpected(statusCode, request.template.expect)) chunks = [];
          return true;
        },
        onData(chunk: Buffer) {
          chunks?.push(chunk);
          return true;
        },
        onComplete() {
          const ok = isExpected(status, request.template.expect);
          // Captured before the slot is freed: a due arrival sent by finish() may need the value.
          if (chunks) {
            const parsed = parseJson(chunks);
            if (parsed !== undefined) mix.capture(request.template, parsed);
          }
          finish(ok, status, ok ? undefined : `HTTP ${status}`);
        },
        onError(error: Error) {
          finish(false, undefined, errorKindOf(error));
        },
      } satisfies Dispatcher.DispatchHandler,
    );
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = now() - t0;
      pump(elapsed);
      if (elapsed >= nextReportMs) {
        nextReportMs = (Math.floor(elapsed / 1000) + 1) * 1000;
        recorder.settle(elapsed);
        abortedReason ??= options.onSecond?.(elapsed, recorder.snapshot(elapsed));
      }
      if (options.signal?.aborted) abortedReason ??= 'interrupted';
      if (nextAt === undefined || abortedReason !== undefined) {
        resolve();
        return;
      }
      // Wake for whichever comes first: the next arrival or the next once-a-second report.
      const wait = Math.min(nextAt, nextReportMs) - (now() - t0);
      setTimeout(tick, Math.max(0, Math.floor(wait)));
    };
    tick();
  });

  let abandoned = 0;
  if (inFlight > 0) {
    const waitDrain = new Promise<void>((resolve) => {
      drained = resolve;
    });
    const reporter = setInterval(() => {
      const elapsed = now() - t0;
      recorder.settle(elapsed);
      options.onSecond?.(elapsed, recorder.snapshot(elapsed));
    }, 1000);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), timeout + 2000);
    });
    const outcome = await Promise.race([waitDrain, deadline]);
    clearInterval(reporter);
    clearTimeout(timer);
    if (outcome === 'deadline') abandoned = inFlight;
  }
  // destroy() fails whatever is still queued; each of those completes as an error before it resolves.
  await pool.destroy();
  const elapsedMs = now() - t0;
  recorder.settle(elapsedMs + 1000 * 3600);
  return { elapsedMs, planStartMs: t0, abortedReason, maxInFlightSeen, abandoned };
}

/**
 * Sends `count` requests from the mix, 4 at a time, before the measured plan: connections open
 * and the target's code paths get compiled. Failures are ignored (the plan will count its own);
 * successful responses fill the capture pools. Bounded by count and by twice the request timeout.
 */
async function warmUp(pool: Pool, mix: RequestMix, count: number, timeoutMs: number): Promise<void> {
  if (count <= 0) return;
  const deadline = Date.now() + 2 * timeoutMs;
  let remaining = count;
  const worker = async () => {
    while (remaining > 0 && Date.now() < deadline) {
      remaining--;
      const request = mix.next();
      try {
        const { statusCode, body } = await pool.request({ method: request.method as 'GET', path: request.path, headers: request.headers, body: request.body ?? null });
        const ok = isExpected(statusCode, request.template.expect);
        if (ok && Object.keys(request.template.capture).length > 0) {
          const parsed: unknown = await body.json().catch(() => undefined);
          if (parsed !== undefined) mix.capture(request.template, parsed);
        } else {
          await body.dump();
        }
      } catch {
        // A failing warm-up request says nothing the measured run will not say better.
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** The JSON of a response body, or undefined when it is not JSON. */
function parseJson(chunks: readonly Buffer[]): unknown {
  try {
    return JSON.parse((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `status` counts as success for a template (`expect` empty: any status below 400). */
export function isExpected(status: number, expect: readonly number[]): boolean {
  return expect.length === 0 ? status < 400 : expect.includes(status);
}

/** A short, stable name for a client-side failure (`timeout`, `ECONNREFUSED`, `ECONNRESET`, …). */
export function errorKindOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED' || code === 'UND_ERR_ABORTED') return 'cancelled';
  if (code === 'UND_ERR_SOCKET') return 'socket closed';
  if (typeof code === 'string') return code;
  return (error as Error)?.name ?? 'error';
}
