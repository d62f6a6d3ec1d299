import { changedTables, checksumTables, defineScenario, fail, field, pass, verdict } from 'accord';
import type { HttpResult, LogLine } from 'accord';
import { client } from './system-client.js';
import { db, retryOf, skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { backoffCeiling, describeResponse, eventsOf, isProblem, num } from './evidence.js';

const INITIAL_STOCK = 5;
const QUANTITY = 1;
// Millisecond timestamps in the logs: a measured gap may read this much shorter than the wait.
const CLOCK_TOLERANCE_MS = 2;

interface Outcome {
  readonly sku: string;
  readonly correlationId: string;
  readonly outage: HttpResult;
  readonly outageLogs: readonly LogLine[];
  readonly checksumsBefore: Record<string, string>;
  readonly checksumsDuring: Record<string, string>;
  readonly retried: HttpResult;
  readonly replayed: HttpResult;
  readonly rows: readonly ReservationRow[];
  readonly stock: number | undefined;
}

/** Scenario 2: B stopped; A retries with growing backoff, answers 503 with Retry-After, corrupts nothing; after B returns the same order succeeds once. */
export const bUnavailable = defineScenario<{ sku: string }, Outcome>({
  name: 'b-unavailable',
  title: 'B unavailable: A retries with backoff, answers 503, and the retry after recovery reserves once',
  proves: ['error-handling'],
  points: ['b-down'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'bdown');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const correlationId = ctx.id('order');
    const idempotencyKey = ctx.id('key');
    const order = { sku, quantity: QUANTITY, correlationId, idempotencyKey };
    const checksumsBefore = await checksumTables(db(ctx));
    // A crash, not a shutdown: B gets no chance to finish anything.
    await ctx.service('service-b').kill();
    await ctx.point('b-down');
    const outage = await client(ctx).placeOrder(order);
    const outageLogs = await ctx.logs.forCorrelation(correlationId, (lines) => eventsOf(lines, 'service-a', 'http.response').length > 0);
    const checksumsDuring = await checksumTables(db(ctx));
    await ctx.service('service-b').restart();
    const retried = await client(ctx).placeOrder(order);
    const replayed = await client(ctx).placeOrder(order);
    return { sku, correlationId, outage, outageLogs, checksumsBefore, checksumsDuring, retried, replayed, rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku) };
  },
  checks: [
    {
      name: 'A retried B the configured number of times',
      verify: ({ outageLogs }, ctx) => {
        const attempts = eventsOf(outageLogs, 'service-a', 'upstream.call').length;
        const expected = retryOf(ctx).retries + 1;
        if (retryOf(ctx).retries < 1) return fail(`A is configured with ${retryOf(ctx).retries} retries and made ${attempts} attempt(s): an unavailable B is not retried at all`);
        return verdict(attempts === expected, `${attempts} attempts to reach B (1 + ${retryOf(ctx).retries} retries configured)`);
      },
    },
    {
      name: 'the gaps between attempts grow exponentially (backoff with jitter)',
      verify: ({ outageLogs }, ctx) => {
        const calls = eventsOf(outageLogs, 'service-a', 'upstream.call');
        const retries = eventsOf(outageLogs, 'service-a', 'upstream.retry');
        // Growth needs at least two waits to compare.
        if (retries.length < 2) return fail(`only ${retries.length} backoff wait(s) logged: growing gaps cannot be shown (A retries ${retryOf(ctx).retries} time(s))`);
        const problems: string[] = [];
        const gaps: number[] = [];
        for (const [index, retry] of retries.entries()) {
          const n = index + 1;
          const delay = num(retry, 'delayMs') ?? Number.NaN;
          const ceiling = backoffCeiling(retryOf(ctx), n);
          if (!(delay >= 0 && delay <= ceiling)) problems.push(`retry ${n} waited ${delay} ms, outside [0, ${ceiling}]`);
          const previous = calls[index];
          const next = calls[index + 1];
          if (previous && next) {
            const gap = next.time - (num(next, 'durationMs') ?? 0) - previous.time;
            gaps.push(Math.round(gap));
            if (gap + CLOCK_TOLERANCE_MS < delay) problems.push(`attempt ${n + 1} started ${Math.round(gap)} ms after attempt ${n} failed, before its ${delay} ms backoff was over`);
          }
        }
        const ceilings = retries.map((_, index) => backoffCeiling(retryOf(ctx), index + 1));
        const growing = ceilings.every((c, i) => i === 0 || c > (ceilings[i - 1] ?? 0) || c === retryOf(ctx).retryMaxMs);
        if (!growing) problems.push(`backoff ceilings ${ceilings.join(', ')} ms do not grow`);
        const detail = `waits ${retries.map((r) => num(r, 'delayMs')).join(', ')} ms within growing ceilings ${ceilings.join(', ')} ms; measured gaps ${gaps.join(', ')} ms`;
        return problems.length === 0 ? pass(detail) : fail(`${problems.join('; ')} (${detail})`);
      },
    },
    {
      name: 'A answers 503 problem+json with Retry-After once retries are exhausted',
      verify: ({ outage }, ctx) => {
        const retryAfter = outage.headers['retry-after'];
        return verdict(isProblem(outage, 503) && retryAfter === String(retryOf(ctx).retryAfterSeconds), `POST /orders → ${describeResponse(outage)}, Retry-After ${JSON.stringify(retryAfter ?? null)} (configured ${retryOf(ctx).retryAfterSeconds})`);
      },
    },
    {
      name: 'the failure is logged with the correlation id',
      verify: ({ outageLogs, correlationId }) => {
        const exhausted = eventsOf(outageLogs, 'service-a', 'upstream.exhausted');
        const answered = eventsOf(outageLogs, 'service-a', 'http.response').find((l) => num(l, 'statusCode') === 503);
        return verdict(exhausted.length === 1 && answered !== undefined, `service-a logged upstream.exhausted ${exhausted.length} time(s) and ${answered ? 'an' : 'no'} http.response 503 under ${correlationId}`);
      },
    },
    {
      name: 'no data corruption while B was down (every table checksum unchanged)',
      verify: ({ checksumsBefore, checksumsDuring }) => {
        const changed = changedTables(checksumsBefore, checksumsDuring);
        return changed.length === 0
          ? pass(`checksums of ${Object.keys(checksumsBefore).length} tables unchanged (${Object.entries(checksumsBefore).map(([t, s]) => `${t} ${s.split('/')[1]}`).join(', ')})`)
          : fail(`tables changed while B was down: ${changed.map((t) => `${t} ${checksumsBefore[t] ?? 'absent'} → ${checksumsDuring[t] ?? 'absent'}`).join('; ')}`);
      },
    },
    {
      name: 'after B restarts the same order with the same Idempotency-Key succeeds and reserves exactly once',
      verify: ({ retried, replayed, rows, stock }) => {
        const sameOrder = field(retried.body, 'reservationId') !== undefined && field(retried.body, 'reservationId') === field(replayed.body, 'reservationId');
        const active = rows.filter((r) => r.status === 'active');
        return verdict(
          retried.status === 200 && replayed.status === 200 && sameOrder && active.length === 1 && stock === INITIAL_STOCK - QUANTITY,
          `retry → ${describeResponse(retried)}, replay → ${describeResponse(replayed)}, same reservation: ${sameOrder}; ${active.length} active reservation(s); stock ${stock} (expected ${INITIAL_STOCK - QUANTITY})`,
        );
      },
    },
  ],
});
