import { defineScenario, fail, field, pass, verdict } from 'accord';
import type { Exchange, HttpResult } from 'accord';
import { client } from './system-client.js';
import { paymentsTargetOf, redis, skuFor } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { exchangesOf, grantedAuthorizations, PAYMENT_OPERATIONS, paymentExchanges, succeeded } from './payments-probe.js';
import { describeResponse } from './evidence.js';

const INITIAL_STOCK = 20;
const QUANTITIES = [2, 3, 4] as const;

interface OrderView {
  readonly id: string;
  readonly reservationId: string;
  /** What A answers to GET /orders/{id} after the writes. */
  readonly status: unknown;
}

interface Outcome {
  readonly placed: readonly HttpResult[];
  readonly cancelled: readonly HttpResult[];
  readonly orders: readonly OrderView[];
  readonly rows: readonly ReservationRow[];
  readonly stock: number | undefined;
  /** The raw `item:<sku>` entry in Redis, or null when there is none. */
  readonly cached: string | null;
  readonly itemFromB: HttpResult;
  /** What the payments stub recorded for the first order and its two cancels; undefined when the environment runs no stub. */
  readonly payments: { readonly order: readonly Exchange[]; readonly cancel: readonly Exchange[]; readonly again: readonly Exchange[] } | undefined;
}

/** Scenario 4: after reservations and releases, A's view, B's rows and the Redis cache agree; no stale cached stock after a write. */
export const dataConsistency = defineScenario<{ sku: string }, Outcome>({
  name: 'data-consistency',
  title: "Data consistency: A's view, B's rows and the Redis cache agree after writes",
  proves: ['data-consistency'],
  points: ['after-writes'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'consist');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    // Warm the cache first, so every later write has an entry to invalidate.
    await client(ctx).getItem(sku, ctx.id('warm'));
    const placed: HttpResult[] = [];
    const orderIds = QUANTITIES.map(() => ctx.id('order'));
    for (const [index, quantity] of QUANTITIES.entries()) placed.push(await client(ctx).placeOrder({ sku, quantity, correlationId: orderIds[index] as string, idempotencyKey: ctx.id('key') }));
    const firstId = String(field(placed[0]?.body, 'id') ?? 'missing');
    // Cancelling twice: the second must be a no-op that restores no stock (and voids nothing more).
    const cancelIds = [ctx.id('cancel'), ctx.id('cancel-again')] as const;
    const cancelled = [await client(ctx).cancelOrder(firstId, cancelIds[0]), await client(ctx).cancelOrder(firstId, cancelIds[1])];
    await client(ctx).getItem(sku, ctx.id('read'));
    await ctx.point('after-writes');
    const orders: OrderView[] = [];
    for (const response of placed) {
      const id = String(field(response.body, 'id') ?? '');
      const view = await client(ctx).getOrder(id, ctx.id('view'));
      orders.push({ id, reservationId: String(field(response.body, 'reservationId') ?? ''), status: field(view.body, 'status') });
    }
    const cached = await redis(ctx).get(`item:${sku}`);
    const itemFromB = await client(ctx).getItem(sku, ctx.id('check'));
    // A forwards each request's correlation id to the vendor: the stub's exchanges say which call paid or voided.
    const stub = paymentsTargetOf(ctx);
    const payments = stub ? { order: await paymentExchanges(ctx, orderIds[0] as string), cancel: await paymentExchanges(ctx, cancelIds[0]), again: await paymentExchanges(ctx, cancelIds[1]) } : undefined;
    return { placed, cancelled, orders, rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku), cached, itemFromB, payments };
  },
  checks: [
    {
      name: 'every order and cancellation was answered',
      verify: ({ placed, cancelled }) => verdict(placed.every((r) => r.status === 200) && cancelled.every((r) => r.status === 200), `orders → ${placed.map((r) => r.status).join(', ')}; cancel, cancel again → ${cancelled.map(describeResponse).join(', ')}`),
    },
    {
      name: "A's view of each order matches B's reservation row",
      verify: ({ orders, rows }) => {
        const mismatches: string[] = [];
        for (const order of orders) {
          const row = rows.find((r) => r.id === order.reservationId);
          const expected = row?.status === 'active' ? 'confirmed' : row?.status === 'released' ? 'cancelled' : 'no row';
          if (order.status !== expected) mismatches.push(`order ${order.id}: A says ${JSON.stringify(order.status)}, B's row is ${row?.status ?? 'missing'}`);
        }
        return mismatches.length === 0 ? pass(`${orders.length} orders: A's status matches each reservation (${rows.map((r) => r.status).join(', ')})`) : fail(mismatches.join('; '));
      },
    },
    {
      name: 'stock equals the initial stock minus the active reservations',
      verify: ({ rows, stock }) => {
        const reserved = rows.filter((r) => r.status === 'active').reduce((sum, r) => sum + r.quantity, 0);
        return verdict(stock === INITIAL_STOCK - reserved, `stock ${stock}; ${INITIAL_STOCK} − ${reserved} actively reserved = ${INITIAL_STOCK - reserved}`);
      },
    },
    {
      name: 'the Redis cache holds no stale stock',
      verify: ({ cached, stock }) => {
        if (cached === null) return pass('no cache entry: the next read goes to Postgres');
        let cachedStock: unknown;
        try {
          cachedStock = field(JSON.parse(cached) as unknown, 'stock');
        } catch {
          return fail(`the cache entry is not JSON: ${cached.slice(0, 80)}`);
        }
        return cachedStock === stock ? pass(`cached stock ${String(cachedStock)} = Postgres stock ${stock}`) : fail(`stale cache entry: Redis says stock ${String(cachedStock)}, Postgres says ${stock}`);
      },
    },
    {
      name: "the cancel voided the order's payment at the vendor, the second cancel nothing more",
      verify: ({ payments }) => {
        if (!payments) return fail("the environment runs no payments-stub: nothing shows the cancelled order's payment voided");
        const [authorization] = grantedAuthorizations(payments.order);
        if (!authorization) return fail(`the stub recorded no granted authorization for the first order (${payments.order.length} exchanges)`);
        const path = `/payments/${encodeURIComponent(authorization.paymentId)}/void`;
        const voids = exchangesOf(payments.cancel, PAYMENT_OPERATIONS.void);
        const voided = voids.filter((exchange) => succeeded(exchange) && exchange.request.path.endsWith(path));
        const again = exchangesOf(payments.again, PAYMENT_OPERATIONS.void);
        const key = voided[0]?.request.headers['idempotency-key'];
        if (voided.length === 0) return fail(`the cancel sent ${voids.length} void request(s), none a 2xx void of ${authorization.paymentId}: its authorization is still held`);
        if (key === undefined) return fail(`the void of ${authorization.paymentId} carried no Idempotency-Key`);
        if (again.length > 0) return fail(`the second cancel of an order already voided sent ${again.length} more void request(s)`);
        return pass(`${authorization.paymentId} voided by the cancel (Idempotency-Key ${key}, reason ${JSON.stringify(field(voided[0]?.request.body, 'reason'))}); the second cancel sent no void`);
      },
    },
    {
      name: 'B answers the stock Postgres holds',
      verify: ({ itemFromB, stock }) => verdict(itemFromB.status === 200 && field(itemFromB.body, 'stock') === stock, `GET /items → ${describeResponse(itemFromB)} stock ${JSON.stringify(field(itemFromB.body, 'stock'))}; Postgres ${stock}`),
    },
  ],
});
