import { changedTables, checksumTables, defineScenario, fail, pass, verdict } from 'accord';
import type { HttpResult, LogLine } from 'accord';
import { client } from './system-client.js';
import { db, retryOf, skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { describeResponse, eventsOf, giveUpDeadlineMs, isProblem, num } from './evidence.js';

const INITIAL_STOCK = 5;
const QUANTITY = 1;
// A timer may fire a little early by the log's millisecond clock.
const CLOCK_TOLERANCE_MS = 5;

interface Outcome {
  readonly correlationId: string;
  readonly hung: HttpResult;
  readonly elapsedMs: number;
  readonly logs: readonly LogLine[];
  readonly checksumsBefore: Record<string, string>;
  readonly checksumsDuring: Record<string, string>;
  readonly retried: HttpResult;
  readonly rows: readonly ReservationRow[];
  readonly stock: number | undefined;
}

/** Scenario 3: B frozen with SIGSTOP (it accepts connections, never answers): A's timeouts fire, it answers 503 in time, nothing is written. */
export const bHangs = defineScenario<{ sku: string }, Outcome>({
  name: 'b-hangs',
  title: 'B hangs (SIGSTOP): A times out, retries and answers 503 within its deadline',
  proves: ['error-handling'],
  points: ['b-frozen'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'bhang');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const correlationId = ctx.id('order');
    const order = { sku, quantity: QUANTITY, correlationId, idempotencyKey: ctx.id('key') };
    const checksumsBefore = await checksumTables(db(ctx));
    await ctx.service('service-b').pause();
    await ctx.point('b-frozen');
    const started = performance.now();
    const hung = await client(ctx).placeOrder(order, 30_000);
    const elapsedMs = Math.round(performance.now() - started);
    const logs = await ctx.logs.forCorrelation(correlationId, (lines) => eventsOf(lines, 'service-a', 'http.response').length > 0);
    const checksumsDuring = await checksumTables(db(ctx));
    await ctx.service('service-b').resume();
    // The client's retry: a new request (new correlation id) with the same key. Whatever B did with
    // the requests queued while it was frozen, exactly one reservation must result.
    const retried = await client(ctx).placeOrder({ ...order, correlationId: ctx.id('retry') });
    return { correlationId, hung, elapsedMs, logs, checksumsBefore, checksumsDuring, retried, rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku) };
  },
  checks: [
    {
      name: "A's per-attempt timeout fires on every attempt",
      verify: ({ logs }, ctx) => {
        const calls = eventsOf(logs, 'service-a', 'upstream.call');
        const timedOut = calls.filter((c) => c.error === 'timeout' && (num(c, 'durationMs') ?? 0) + CLOCK_TOLERANCE_MS >= retryOf(ctx).timeoutMs);
        const expected = retryOf(ctx).retries + 1;
        return verdict(
          calls.length === expected && timedOut.length === expected,
          `${timedOut.length} of ${calls.length} attempts ended in a ${retryOf(ctx).timeoutMs} ms timeout (expected ${expected}); durations ${calls.map((c) => Math.round(num(c, 'durationMs') ?? 0)).join(', ')} ms`,
        );
      },
    },
    {
      name: 'A answers 503 within its configured deadline',
      verify: ({ hung, elapsedMs }, ctx) => {
        const deadline = giveUpDeadlineMs(retryOf(ctx));
        const floor = (retryOf(ctx).retries + 1) * retryOf(ctx).timeoutMs;
        return verdict(
          isProblem(hung, 503) && elapsedMs <= deadline && elapsedMs + CLOCK_TOLERANCE_MS >= floor,
          `POST /orders → ${describeResponse(hung)} after ${elapsedMs} ms (allowed ${floor}–${deadline} ms: ${retryOf(ctx).retries + 1} × ${retryOf(ctx).timeoutMs} ms timeouts plus backoff)`,
        );
      },
    },
    {
      name: 'nothing is written while B hangs (every table checksum unchanged)',
      verify: ({ checksumsBefore, checksumsDuring }) => {
        const changed = changedTables(checksumsBefore, checksumsDuring);
        return changed.length === 0 ? pass(`checksums of ${Object.keys(checksumsBefore).length} tables unchanged`) : fail(`tables changed while B hung: ${changed.join(', ')}`);
      },
    },
    {
      name: 'after B resumes the same order with the same Idempotency-Key reserves exactly once',
      verify: ({ retried, rows, stock }) => {
        const active = rows.filter((r) => r.status === 'active');
        return verdict(
          retried.status === 200 && active.length === 1 && stock === INITIAL_STOCK - QUANTITY,
          `retry → ${describeResponse(retried)}; ${active.length} active reservation(s), ${rows.length} in all; stock ${stock} (expected ${INITIAL_STOCK - QUANTITY})`,
        );
      },
    },
  ],
});
