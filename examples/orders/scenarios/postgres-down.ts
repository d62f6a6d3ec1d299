import { defineScenario, fail, field, pass, verdict } from 'accord';
import type { HttpResult, ScenarioContext } from 'accord';
import { client } from './system-client.js';
import { postgresOf, skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { describeResponse, isProblem } from './evidence.js';

const INITIAL_STOCK = 10;

interface Outcome {
  readonly writeIds: readonly string[];
  readonly directWrite: HttpResult;
  readonly orderWrite: HttpResult;
  readonly rowsAfter: readonly ReservationRow[];
  readonly stockAfter: number | undefined;
  readonly healthBack: HttpResult;
  readonly writeBack: HttpResult;
  readonly orderBack: HttpResult;
}

/** Scenario 6: Postgres stopped; B answers 503 for writes, no partial rows appear afterwards, and B recovers when Postgres returns. */
export const postgresDown = defineScenario<{ sku: string }, Outcome>({
  name: 'postgres-down',
  title: 'Postgres down: B answers 503 for writes, leaves no partial rows, and recovers',
  proves: ['error-handling'],
  points: ['postgres-back'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'pgdown');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    await postgresOf(ctx).halt('SIGINT');
    const directId = ctx.id('reserve');
    const orderId = ctx.id('order');
    const directWrite = await client(ctx).reserve(sku, 1, directId);
    const orderWrite = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: orderId, idempotencyKey: ctx.id('key') });
    await postgresOf(ctx).resume();
    await ctx.point('postgres-back');
    const healthBack = await waitForPostgresInB(ctx);
    const rowsAfter = await reservationsOf(ctx, sku);
    const stockAfter = await stockOf(ctx, sku);
    const writeBack = await client(ctx).reserve(sku, 1, ctx.id('reserve-back'));
    const orderBack = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id('order-back'), idempotencyKey: ctx.id('key') });
    return { writeIds: [directId, orderId], directWrite, orderWrite, rowsAfter, stockAfter, healthBack, writeBack, orderBack };
  },
  checks: [
    {
      name: 'B answers 503 problem+json for writes while Postgres is down',
      verify: ({ directWrite }) => verdict(isProblem(directWrite, 503), `POST /reservations → ${describeResponse(directWrite)}`),
    },
    {
      name: 'A passes the outage on as 503 with Retry-After',
      verify: ({ orderWrite }) => verdict(isProblem(orderWrite, 503) && orderWrite.headers['retry-after'] !== undefined, `POST /orders → ${describeResponse(orderWrite)}, Retry-After ${JSON.stringify(orderWrite.headers['retry-after'] ?? null)}`),
    },
    {
      name: 'no partial rows appear afterwards',
      verify: ({ rowsAfter, stockAfter, writeIds }) => {
        const partial = rowsAfter.filter((r) => r.correlation_id !== null && writeIds.includes(r.correlation_id));
        if (rowsAfter.length > 0 || stockAfter !== INITIAL_STOCK) {
          return fail(`after recovery: ${rowsAfter.length} reservation row(s) for the sku (${partial.length} from the failed writes), stock ${stockAfter} (expected ${INITIAL_STOCK})`);
        }
        return pass(`no reservation rows for the sku and stock still ${INITIAL_STOCK} after Postgres returned`);
      },
    },
    {
      name: 'B recovers when Postgres returns',
      verify: ({ healthBack, writeBack, orderBack }) =>
        verdict(
          healthBack.status === 200 && writeBack.status === 201 && orderBack.status === 200,
          `B /health → ${healthBack.status} ${JSON.stringify(field(healthBack.body, 'checks') ?? null)}; POST /reservations → ${describeResponse(writeBack)}; POST /orders → ${describeResponse(orderBack)}`,
        ),
    },
  ],
});

/** Polls B's health until its pool reaches Postgres again, at most 10 s. */
async function waitForPostgresInB(ctx: ScenarioContext): Promise<HttpResult> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const health = await client(ctx).health('service-b');
    if (health.status === 200 || Date.now() >= deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
