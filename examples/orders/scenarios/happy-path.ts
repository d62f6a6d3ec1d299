import { defineScenario, expectEqual, fail, field, pass, verdict } from 'accord';
import type { HttpResult, LogLine } from 'accord';
import { client } from './system-client.js';
import { skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { describeResponse, eventsOf, num } from './evidence.js';

const INITIAL_STOCK = 5;
const QUANTITY = 2;

interface Outcome {
  readonly sku: string;
  readonly correlationId: string;
  readonly idempotencyKey: string;
  readonly response: HttpResult;
  readonly rows: readonly ReservationRow[];
  readonly stock: number | undefined;
  readonly logs: readonly LogLine[];
}

/** Scenario 1: a seeded item, one order through A, and the row, the stock and both services' logs agree. */
export const happyPath = defineScenario<{ sku: string }, Outcome>({
  name: 'happy-path',
  title: 'Happy path: an order goes client → A → B → Postgres',
  proves: ['end-to-end'],
  points: ['after-order'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'happy');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const correlationId = ctx.id('order');
    const idempotencyKey = ctx.id('key');
    const response = await client(ctx).placeOrder({ sku, quantity: QUANTITY, correlationId, idempotencyKey });
    await ctx.point('after-order');
    // Wait for the very lines the check looks for: B logs its 201 after answering, so A's lines can
    // arrive first, and a line of B's earlier call (the item lookup) is not the reservation's.
    const logs = await ctx.logs.forCorrelation(correlationId, (lines) => successLines(lines).missing.length === 0);
    return { sku, correlationId, idempotencyKey, response, rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku), logs };
  },
  checks: [
    {
      name: 'A answers 200 with a confirmed order',
      verify: ({ response, correlationId }) =>
        verdict(
          response.status === 200 && field(response.body, 'status') === 'confirmed' && field(response.body, 'correlationId') === correlationId && typeof field(response.body, 'reservationId') === 'string',
          `POST /orders → ${describeResponse(response)}, status ${JSON.stringify(field(response.body, 'status'))}, correlationId ${JSON.stringify(field(response.body, 'correlationId'))}`,
        ),
    },
    {
      name: 'the reservation row exists with the integration fields',
      verify: ({ rows, response, correlationId }) => {
        if (rows.length !== 1) return fail(`expected 1 reservation row for the sku, found ${rows.length}`);
        const row = rows[0] as ReservationRow;
        const problems: string[] = [];
        if (row.id !== field(response.body, 'reservationId')) problems.push(`id ${row.id} is not the order's reservationId`);
        if (row.correlation_id !== correlationId) problems.push(`correlation_id ${JSON.stringify(row.correlation_id)} (expected ${correlationId})`);
        if (row.source_service !== 'service-a') problems.push(`source_service ${JSON.stringify(row.source_service)} (expected "service-a")`);
        if (row.idempotency_key === null) problems.push('idempotency_key is null');
        if (row.status !== 'active' || row.quantity !== QUANTITY) problems.push(`status ${row.status}, quantity ${row.quantity}`);
        return problems.length === 0 ? pass(`reservation ${row.id}: active, quantity ${QUANTITY}, correlation_id, source_service and idempotency_key set`) : fail(problems.join('; '));
      },
    },
    {
      name: 'stock decremented by the ordered quantity',
      verify: ({ stock }) => expectEqual('stock', stock, INITIAL_STOCK - QUANTITY),
    },
    {
      name: 'every service logged a success line with the same correlation id',
      verify: ({ logs, correlationId }) => {
        const { missing } = successLines(logs);
        return missing.length === 0
          ? pass(`service-a (http.response 200, upstream.call 201) and service-b (http.response 201) logged ${correlationId}`)
          : fail(`no line with correlation id ${correlationId} for: ${missing.join(', ')} (${logs.length} lines carried it)`);
      },
    },
  ],
});

/** The success lines the happy path expects for one order, and which of them are missing. */
function successLines(lines: readonly LogLine[]): { missing: string[] } {
  const aResponse = eventsOf(lines, 'service-a', 'http.response').find((l) => num(l, 'statusCode') === 200);
  const aCall = eventsOf(lines, 'service-a', 'upstream.call').find((l) => num(l, 'statusCode') === 201);
  const bResponse = eventsOf(lines, 'service-b', 'http.response').find((l) => num(l, 'statusCode') === 201);
  return { missing: [aResponse ? '' : 'service-a http.response 200', aCall ? '' : 'service-a upstream.call 201', bResponse ? '' : 'service-b http.response 201'].filter(Boolean) };
}
