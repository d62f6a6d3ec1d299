import { defineScenario, verdict } from 'accord';
import type { HttpResult } from 'accord';
import { client } from './system-client.js';
import { redis, skuFor } from './system.js';
import { seedItems } from './database-probe.js';
import { confirmedEventsFor, redeliver, waitForShipments } from './stream-probe.js';
import type { PublishedEvent, ShipmentRow } from './stream-probe.js';
import { describeResponse } from './evidence.js';
import { exactlyOnce, settledShipments, streamTargets } from './stream-evidence.js';

const ORDERS = 5;

interface Outcome {
  readonly responses: readonly HttpResult[];
  /** Shipments recorded while C was down (none expected). */
  readonly whileDown: readonly ShipmentRow[];
  readonly published: readonly PublishedEvent[];
  readonly shipments: readonly ShipmentRow[];
}

/** Stream scenario: C stopped while A confirms orders, then restarted; every event A published is processed exactly once, even one delivered twice. */
export const cDown = defineScenario<{ sku: string }, Outcome>({
  name: 'c-down',
  title: 'C down: A keeps publishing order events; C, restarted, ships each exactly once, a redelivered one too',
  points: ['c-back'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'cdown');
    await seedItems(ctx, [{ sku, stock: ORDERS * 2 }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const events = streamTargets(ctx);
    await ctx.service('service-c').stop();
    const responses: HttpResult[] = [];
    for (let i = 0; i < ORDERS; i++) responses.push(await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id(`order-${i}`), idempotencyKey: ctx.id(`key-${i}`) }));
    const whileDown = await waitForShipments(ctx, sku, () => false, 300);
    await ctx.service('service-c').restart();
    await ctx.point('c-back');
    const published = await confirmedEventsFor(redis(ctx), events.stream, sku);
    await waitForShipments(ctx, sku, (rows) => rows.length >= published.length);
    // At-least-once: the first event delivered again must change nothing.
    if (published[0]) await redeliver(redis(ctx), events.stream, published[0]);
    const shipments = await settledShipments(ctx, sku, published.length);
    return { responses, whileDown, published, shipments };
  },
  checks: [
    {
      name: 'A confirms every order while C is down',
      verify: ({ responses }) => {
        const refused = responses.filter((r) => r.status < 200 || r.status >= 300);
        return verdict(refused.length === 0, refused.length === 0 ? `${responses.length} orders confirmed` : `refused: ${refused.map(describeResponse).join('; ')}`);
      },
    },
    {
      name: 'A published one order.confirmed event per order on the stream',
      verify: ({ published }) => verdict(published.length === ORDERS, `${published.length} order.confirmed event(s) on the stream (expected ${ORDERS})`),
    },
    {
      name: 'nothing is shipped while C is down',
      verify: ({ whileDown }) => verdict(whileDown.length === 0, `${whileDown.length} shipment(s) recorded while C was stopped`),
    },
    {
      name: 'C, restarted, processes every event exactly once, a redelivered one too (row count and checksum)',
      verify: ({ published, shipments }) => exactlyOnce(published, shipments),
    },
  ],
});
