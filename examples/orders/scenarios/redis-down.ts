import { defineScenario, fail, field, pass, verdict } from 'accord';
import type { HttpResult, LogLine, ScenarioContext } from 'accord';
import { client } from './system-client.js';
import { redisOf, skuFor } from './system.js';
import { seedItems, stockOf } from './database-probe.js';
import { describeResponse, eventsOf } from './evidence.js';

const INITIAL_STOCK = 10;

interface Outcome {
  readonly itemDown: HttpResult;
  readonly orderDown: HttpResult;
  readonly stockAfterOrderDown: number | undefined;
  readonly downLogs: readonly LogLine[];
  /** B's and A's /health once both see Redis again (or the wait gave up). */
  readonly healthBack: readonly [HttpResult, HttpResult];
  readonly itemBack: HttpResult;
  readonly cacheHitBack: boolean;
  readonly orderBack: HttpResult;
  /** A's GET /orders/{id} of the order placed after recovery: A keeps orders in Redis. */
  readonly orderBackView: HttpResult;
}

/** Scenario 5: Redis stopped; B keeps answering from Postgres, A refuses orders it cannot store, warnings are logged, and both use Redis again when it returns. */
export const redisDown = defineScenario<{ sku: string }, Outcome>({
  name: 'redis-down',
  title: 'Redis down: B answers from Postgres (degraded), A refuses orders with 503, both recover',
  proves: ['error-handling'],
  points: ['redis-down'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'redis');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    await client(ctx).getItem(sku, ctx.id('warm'));
    return { sku };
  },
  async actions(ctx, { sku }) {
    await redisOf(ctx).halt('SIGTERM');
    await ctx.point('redis-down');
    const itemId = ctx.id('item');
    const orderId = ctx.id('order');
    const itemDown = await client(ctx).getItem(sku, itemId);
    const orderDown = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: orderId, idempotencyKey: ctx.id('key') });
    const stockAfterOrderDown = await stockOf(ctx, sku);
    // Each request's own front door answered: B for the item read, A for the order (B's answer to
    // A comes first, and A's lines may still be in its log buffer then).
    const answered = (lines: readonly LogLine[]) =>
      lines.some((l) => l.correlationId === itemId && l.service === 'service-b' && l.event === 'http.response') &&
      lines.some((l) => l.correlationId === orderId && l.service === 'service-a' && l.event === 'http.response');
    const downLogs = (await ctx.logs.waitFor(answered)).filter((l) => l.correlationId === itemId || l.correlationId === orderId);
    await redisOf(ctx).resume();
    const healthBack = await waitForRedisAgain(ctx);
    await client(ctx).getItem(sku, ctx.id('refill'));
    const hitId = ctx.id('hit');
    const itemBack = await client(ctx).getItem(sku, hitId);
    // Wait for the line the check reads: B's and A's lines come through separate pipes, so A's answer can be read first.
    const hitLogs = await ctx.logs.forCorrelation(hitId, (lines) => eventsOf(lines, 'service-b', 'cache.hit').length > 0);
    const orderBack = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id('order-back'), idempotencyKey: ctx.id('key') });
    const orderBackView = await client(ctx).getOrder(String(field(orderBack.body, 'id') ?? 'missing'), ctx.id('view'));
    return { itemDown, orderDown, stockAfterOrderDown, downLogs, healthBack, itemBack, cacheHitBack: eventsOf(hitLogs, 'service-b', 'cache.hit').length > 0, orderBack, orderBackView };
  },
  checks: [
    {
      name: 'B answers item reads from Postgres while Redis is down',
      verify: ({ itemDown }) => verdict(itemDown.status === 200 && field(itemDown.body, 'stock') === INITIAL_STOCK, `GET /items → ${describeResponse(itemDown)} stock ${JSON.stringify(field(itemDown.body, 'stock'))} (expected ${INITIAL_STOCK})`),
    },
    {
      // A keeps each order with its event in Redis: without Redis it refuses the order and gives B's reservation back.
      name: 'A refuses orders it cannot store with their event (503) and holds no stock for them',
      verify: ({ orderDown, stockAfterOrderDown }) =>
        verdict(orderDown.status === 503 && stockAfterOrderDown === INITIAL_STOCK, `POST /orders → ${describeResponse(orderDown)}; stock ${stockAfterOrderDown} (expected ${INITIAL_STOCK})`),
    },
    {
      name: 'the degradation is logged as a warning',
      verify: ({ downLogs }) => {
        const degraded = eventsOf(downLogs, 'service-b', 'cache.degraded').filter(isWarning);
        const aWarnings = eventsOf(downLogs, 'service-a').filter(isWarning);
        const detail = `service-b: ${degraded.length} cache.degraded warning(s); service-a: ${aWarnings.length} warning(s) (${[...new Set(aWarnings.map((l) => l.event ?? l.msg))].join(', ') || 'none'})`;
        return degraded.length > 0 && aWarnings.length > 0 ? pass(detail) : fail(detail);
      },
    },
    {
      name: 'both services use Redis again when it returns',
      verify: ({ healthBack, itemBack, cacheHitBack, orderBack, orderBackView }) =>
        verdict(
          healthBack.every(redisOk) && itemBack.status === 200 && cacheHitBack && orderBack.status === 200 && orderBackView.status === 200,
          `/health redis: B ${JSON.stringify(field(field(healthBack[0].body, 'checks'), 'redis'))}, A ${JSON.stringify(field(field(healthBack[1].body, 'checks'), 'redis'))}; GET /items → ${itemBack.status} served ${cacheHitBack ? 'from the cache' : 'without a cache hit'}; POST /orders → ${describeResponse(orderBack)}, read back from A → ${describeResponse(orderBackView)}`,
        ),
    },
  ],
});

function isWarning(line: LogLine): boolean {
  const level = line.level;
  return typeof level === 'number' ? level >= 40 : level === 'warn' || level === 'error';
}

const redisOk = (health: HttpResult) => field(field(health.body, 'checks'), 'redis') === 'ok';

/** Polls both services' health until each sees Redis again (their clients reconnect on their own schedules), at most 10 s. */
async function waitForRedisAgain(ctx: ScenarioContext): Promise<[HttpResult, HttpResult]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const health: [HttpResult, HttpResult] = [await client(ctx).health('service-b'), await client(ctx).health('service-a')];
    if (health.every(redisOk) || Date.now() >= deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
