import { defineScenario, verdict } from 'accord';
import type { HttpResult } from 'accord';
import { client } from './system-client.js';
import { retryOf, skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { statusCounts } from './evidence.js';

const INITIAL_STOCK = 10;
const ORDERS = 50;
// A client that is told 503 + Retry-After comes back with the same Idempotency-Key (the API's contract).
const CLIENT_TRIES = 5;

interface Outcome {
  /** Each order's first answer: under load some may be 503 (A's timeout to B expired). */
  readonly first: readonly HttpResult[];
  /** Each order's final answer, after the client's retries of 503s. */
  readonly responses: readonly HttpResult[];
  readonly stock: number | undefined;
  readonly rows: readonly ReservationRow[];
}

/** Scenario 7: 50 parallel orders of one unit for a sku with stock 10: exactly 10 succeed, 40 get 409, stock ends at 0. */
export const concurrentLastStock = defineScenario<{ sku: string }, Outcome>({
  name: 'concurrent-last-stock',
  title: `Concurrent orders on the last units: ${ORDERS} parallel orders for a stock of ${INITIAL_STOCK}`,
  proves: ['data-consistency'],
  points: ['before-orders'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'race');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    await ctx.point('before-orders');
    const outcomes = await Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        const order = { sku, quantity: 1, correlationId: ctx.id(`order${i}`), idempotencyKey: ctx.id(`key${i}`) };
        const first = await client(ctx).placeOrder(order);
        let last = first;
        for (let tries = 1; last.status === 503 && tries < CLIENT_TRIES; tries++) {
          const wait = Number(last.headers['retry-after'] ?? retryOf(ctx).retryAfterSeconds);
          // Jittered around Retry-After, as a well-behaved client does, so 40 retries do not land at once.
          await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(wait) ? wait : 1) * 1000 * (0.5 + Math.random())));
          last = await client(ctx).placeOrder(order);
        }
        return { first, last };
      }),
    );
    return { first: outcomes.map((o) => o.first), responses: outcomes.map((o) => o.last), stock: await stockOf(ctx, sku), rows: await reservationsOf(ctx, sku) };
  },
  checks: [
    {
      name: `exactly ${INITIAL_STOCK} orders succeed`,
      verify: ({ responses, first }) => {
        const counts = statusCounts(responses);
        return verdict((counts['200'] ?? 0) === INITIAL_STOCK, `${counts['200'] ?? 0} × 200 of ${ORDERS} orders (final statuses ${JSON.stringify(counts)}; first answers ${JSON.stringify(statusCounts(first))})`);
      },
    },
    {
      name: `the other ${ORDERS - INITIAL_STOCK} get 409`,
      verify: ({ responses }) => {
        const counts = statusCounts(responses);
        return verdict((counts['409'] ?? 0) === ORDERS - INITIAL_STOCK, `${counts['409'] ?? 0} × 409 (statuses ${JSON.stringify(counts)})`);
      },
    },
    {
      name: 'stock ends at 0, never negative, and matches the reservations',
      verify: ({ stock, rows }) => {
        const reserved = rows.filter((r) => r.status === 'active').reduce((sum, r) => sum + r.quantity, 0);
        return verdict(stock === 0 && reserved === INITIAL_STOCK, `stock ${stock}; ${rows.length} reservation rows reserving ${reserved} units`);
      },
    },
  ],
});
