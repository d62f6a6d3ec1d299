import { defineScenario, fail, field, pass, verdict } from 'accord';
import type { CheckOutcome, HttpResult, ScenarioContext } from 'accord';
import { client } from './system-client.js';
import { redis, redisOf, skuFor } from './system.js';
import { reservationsOf, seedItems } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { confirmedEventsFor, waitForShipments } from './stream-probe.js';
import type { PublishedEvent, ShipmentRow } from './stream-probe.js';
import { describeResponse } from './evidence.js';
import { streamTargets } from './stream-evidence.js';

const INITIAL_STOCK = 10;
// A command sent before the pause may still run when Redis wakes: look only after that had its chance.
const SETTLE_MS = 1000;

interface Snapshot {
  readonly reservations: readonly ReservationRow[];
  readonly events: readonly PublishedEvent[];
  /** A's GET /orders/{id} of each event's order. */
  readonly ordersAtA: readonly HttpResult[];
}

interface Outcome {
  readonly paused: HttpResult;
  readonly pausedMs: number;
  /** What A left behind for the refused order, once Redis ran whatever it had been sent. */
  readonly afterPause: Snapshot;
  readonly back: HttpResult;
  readonly afterBack: Snapshot;
  readonly shipments: readonly ShipmentRow[];
}

/** Stream scenario: the real redis-server frozen (SIGSTOP) and thawed; A refuses orders with 503 and never leaves an order without its event, nor an event without its order. */
export const redisPaused = defineScenario<{ sku: string }, Outcome>({
  name: 'redis-paused',
  title: 'Redis paused (SIGSTOP) and resumed: A answers 503, never an order without its event nor an event without its order',
  points: ['redis-paused'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'rpause');
    await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
    await client(ctx).getItem(sku, ctx.id('warm'));
    return { sku };
  },
  async actions(ctx, { sku }) {
    streamTargets(ctx);
    await redisOf(ctx).pause();
    await ctx.point('redis-paused');
    const started = performance.now();
    const paused = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id('order-paused'), idempotencyKey: ctx.id('key') }, 15_000);
    const pausedMs = Math.round(performance.now() - started);
    await redisOf(ctx).resume();
    await waitForA(ctx);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const afterPause = await snapshot(ctx, sku);
    const back = await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id('order-back'), idempotencyKey: ctx.id('key') });
    const afterBack = await snapshot(ctx, sku);
    const shipments = await waitForShipments(ctx, sku, (rows) => rows.length >= afterBack.events.length);
    return { paused, pausedMs, afterPause, back, afterBack, shipments };
  },
  checks: [
    {
      name: 'A answers 503 while Redis is paused',
      verify: ({ paused, pausedMs }) => verdict(paused.status === 503, `POST /orders → ${describeResponse(paused)} after ${pausedMs} ms`),
    },
    {
      name: 'the refused order left no order, no event and no held stock behind',
      verify: ({ afterPause }) => {
        const held = afterPause.reservations.filter((r) => r.status === 'active');
        return verdict(held.length === 0 && afterPause.events.length === 0, `${afterPause.events.length} order.confirmed event(s) on the stream, ${held.length} active reservation(s) of B's`);
      },
    },
    {
      name: 'every order has its event and every event its order',
      verify: ({ afterPause, afterBack }) => pairsOf(afterBack, afterPause),
    },
    {
      name: 'after Redis resumes, A takes orders again and C ships them',
      verify: ({ back, afterBack, shipments }) =>
        verdict(back.status === 200 && afterBack.events.length === 1 && shipments.length === 1, `POST /orders → ${describeResponse(back)}; ${afterBack.events.length} event(s); ${shipments.length} shipment(s)`),
    },
  ],
});

async function snapshot(ctx: ScenarioContext, sku: string): Promise<Snapshot> {
  const events = await confirmedEventsFor(redis(ctx), streamTargets(ctx).stream, sku);
  const ordersAtA = await Promise.all(events.map((e) => client(ctx).getOrder(e.orderId, ctx.id('view'))));
  return { reservations: await reservationsOf(ctx, sku), events, ordersAtA };
}

/** Each active reservation of B's (an order A kept) is named by one event, and each event's order is one A serves. */
function pairsOf(...snapshots: readonly Snapshot[]): CheckOutcome {
  const problems: string[] = [];
  for (const { reservations, events, ordersAtA } of snapshots) {
    const announced = new Set(events.map((e) => e.reservationId));
    for (const r of reservations.filter((row) => row.status === 'active' && !announced.has(row.id))) problems.push(`reservation ${r.id} held for an order with no event`);
    const held = new Set(reservations.filter((row) => row.status === 'active').map((row) => row.id));
    events.forEach((e, i) => {
      if (!held.has(e.reservationId)) problems.push(`event ${e.eventId} announces order ${e.orderId}, whose reservation ${e.reservationId} B does not hold (A refused or gave it back)`);
      const view = ordersAtA[i];
      if (view?.status !== 200 || field(view.body, 'id') !== e.orderId) problems.push(`event ${e.eventId} announces order ${e.orderId}, which A answers ${view ? describeResponse(view) : 'nothing'} for`);
    });
  }
  const last = snapshots[0];
  const detail = `${last?.events.length ?? 0} event(s), ${last?.reservations.filter((r) => r.status === 'active').length ?? 0} active reservation(s)`;
  return problems.length === 0 ? pass(`${detail}, each paired`) : fail(`${detail}: ${[...new Set(problems)].join('; ')}`);
}

/** Polls A's health until it sees Redis again, at most 10 s. */
async function waitForA(ctx: ScenarioContext): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && field(field((await client(ctx).health('service-a')).body, 'checks'), 'redis') !== 'ok') await new Promise((resolve) => setTimeout(resolve, 50));
}
