import { setTimeout as delay } from 'node:timers/promises';
import { defineScenario, verdict } from 'accord';
import type { HttpResult } from 'accord';
import { client } from './system-client.js';
import { redis, skuFor } from './system.js';
import { seedItems } from './database-probe.js';
import { confirmedEventsFor, waitForShipments } from './stream-probe.js';
import type { PublishedEvent, ShipmentRow } from './stream-probe.js';
import { statusCounts } from './evidence.js';
import { exactlyOnce, settledShipments, streamTargets } from './stream-evidence.js';

const ORDERS = 40;
/**
 * The orders are placed this far apart, so the burst spans many of C's reads. Placed all at once
 * they reached C within one read and one commit, which the shipment probe (every 100 ms) saw only
 * when all of them were done: C was then killed after the burst, not in it.
 */
const PACE_MS = 20;

interface Outcome {
  readonly responses: readonly HttpResult[];
  /** Shipments C had committed when it was killed: more than none and fewer than all means mid-batch. */
  readonly atKill: number;
  readonly published: readonly PublishedEvent[];
  readonly shipments: readonly ShipmentRow[];
}

/** Stream scenario: C killed with SIGKILL while it works through a burst of events, then restarted; nothing is lost or shipped twice. */
export const cKilled = defineScenario<{ sku: string }, Outcome>({
  name: 'c-killed',
  title: 'C killed (SIGKILL) mid-batch: restarted, it loses no event and ships none twice',
  points: ['c-killed'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'ckill');
    await seedItems(ctx, [{ sku, stock: ORDERS * 2 }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const events = streamTargets(ctx);
    const placing = (async () => {
      const orders: Promise<HttpResult>[] = [];
      for (let i = 0; i < ORDERS; i++) {
        orders.push(client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id(`order-${i}`), idempotencyKey: ctx.id(`key-${i}`) }));
        await delay(PACE_MS);
      }
      return Promise.all(orders);
    })();
    // Kill as soon as C has committed its first shipment of the burst: the rest are on their way.
    const atKill = (await waitForShipments(ctx, sku, (rows) => rows.length > 0, 10_000)).length;
    await ctx.service('service-c').kill();
    await ctx.point('c-killed');
    const responses = await placing;
    await ctx.service('service-c').restart();
    const published = await confirmedEventsFor(redis(ctx), events.stream, sku);
    return { responses, atKill, published, shipments: await settledShipments(ctx, sku, published.length) };
  },
  checks: [
    {
      name: 'A confirmed every order of the burst',
      verify: ({ responses, published }) =>
        verdict(responses.every((r) => r.status >= 200 && r.status < 300) && published.length === ORDERS, `responses ${JSON.stringify(statusCounts(responses))}; ${published.length} order.confirmed event(s) (expected ${ORDERS})`),
    },
    {
      name: 'C was killed mid-batch',
      verify: ({ atKill }) => verdict(atKill > 0 && atKill < ORDERS, `${atKill} of ${ORDERS} shipment(s) committed when SIGKILL was sent`),
    },
    {
      name: 'restarted, C ships every event exactly once (no loss, no duplicate)',
      verify: ({ published, shipments }) => exactlyOnce(published, shipments),
    },
  ],
});
