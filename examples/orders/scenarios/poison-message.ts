import { defineScenario, fail, field, pass, verdict } from 'accord';
import type { HttpResult } from 'accord';
import { client } from './system-client.js';
import { redis, skuFor } from './system.js';
import { seedItems } from './database-probe.js';
import { confirmedEventsFor, deadLettersOf, waitForShipments } from './stream-probe.js';
import type { DeadLetter, PublishedEvent, ShipmentRow } from './stream-probe.js';
import { statusCounts } from './evidence.js';
import { exactlyOnce, streamTargets } from './stream-evidence.js';

const ORDERS = 3;
// How long the good events may take to flow past the poison: C redelivers a failing entry a few times first.
const FLOW_ON_MS = 10_000;

interface Outcome {
  /** The stream ids of the two bad entries: an event that breaks the schema, and a payload that is not JSON. */
  readonly poisonIds: readonly string[];
  readonly responses: readonly HttpResult[];
  readonly published: readonly PublishedEvent[];
  readonly shipments: readonly ShipmentRow[];
  readonly deadLetters: readonly DeadLetter[];
  readonly health: HttpResult;
}

/** Stream scenario: a poison message and an entry that is not JSON go to the dead-letter stream with the reason; the orders behind them flow on. */
export const poisonMessage = defineScenario<{ sku: string }, Outcome>({
  name: 'poison-message',
  title: 'Poison message: bad entries go to the dead-letter stream with the reason, the rest flow on, C keeps running',
  points: ['poisoned'],
  async setup(ctx) {
    const sku = skuFor(ctx, 'poison');
    await seedItems(ctx, [{ sku, stock: ORDERS * 2 }]);
    return { sku };
  },
  async actions(ctx, { sku }) {
    const events = streamTargets(ctx);
    const schemaBreaking = JSON.stringify({ eventId: ctx.id('poison'), type: 'order.confirmed', occurredAt: new Date().toISOString(), correlationId: ctx.id('poison'), order: { id: ctx.id('poison-order'), sku, quantity: 'lots' } });
    const poisonIds = [
      String(await redis(ctx).xadd(events.stream, '*', 'eventType', 'order.confirmed', 'contentType', 'application/json', 'payload', schemaBreaking)),
      String(await redis(ctx).xadd(events.stream, '*', 'eventType', 'order.confirmed', 'contentType', 'application/json', 'payload', '{not json')),
    ];
    await ctx.point('poisoned');
    const responses: HttpResult[] = [];
    for (let i = 0; i < ORDERS; i++) responses.push(await client(ctx).placeOrder({ sku, quantity: 1, correlationId: ctx.id(`order-${i}`), idempotencyKey: ctx.id(`key-${i}`) }));
    const published = (await confirmedEventsFor(redis(ctx), events.stream, sku)).filter((e) => !poisonIds.includes(e.streamId));
    const shipments = await waitForShipments(ctx, sku, (rows) => rows.length >= published.length, FLOW_ON_MS);
    const deadLetters = await deadLettersOf(redis(ctx), events.deadLetterStream, poisonIds);
    return { poisonIds, responses, published, shipments, deadLetters, health: await client(ctx).health('service-c') };
  },
  checks: [
    {
      name: 'A confirmed the orders behind the bad entries',
      verify: ({ responses, published }) => verdict(responses.every((r) => r.status === 200) && published.length === ORDERS, `responses ${JSON.stringify(statusCounts(responses))}; ${published.length} order.confirmed event(s) of A's`),
    },
    {
      name: 'each bad entry is on the dead-letter stream with its reason',
      verify: ({ poisonIds, deadLetters }) => {
        const missing = poisonIds.filter((id) => !deadLetters.some((d) => d.sourceId === id && d.reason !== ''));
        const detail = deadLetters.map((d) => `${d.sourceId}: "${d.reason}" after ${d.deliveries} deliver(ies)`).join('; ') || 'no dead-letter entry';
        return missing.length === 0 ? pass(detail) : fail(`${missing.join(', ')} not dead-lettered with a reason (found: ${detail})`);
      },
    },
    {
      name: "the rest flow on: A's events behind them are each shipped once",
      verify: ({ published, shipments }) => {
        const outcome = exactlyOnce(published, shipments);
        return outcome.ok ? outcome : fail(`the stream stalled behind the bad entries: ${outcome.detail}`);
      },
    },
    {
      name: 'C did not crash: its health answers, counting the dead letters',
      verify: ({ health }) => {
        const lettered = field(field(health.body, 'events'), 'deadLettered');
        return verdict(health.status === 200 && typeof lettered === 'number' && lettered >= 2, `GET /health → ${health.status || health.error}, events.deadLettered ${JSON.stringify(lettered)}`);
      },
    },
  ],
});
