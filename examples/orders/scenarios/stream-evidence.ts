import { fail, pass } from 'accord';
import type { CheckOutcome, ScenarioContext } from 'accord';
import { eventTargetsOf } from './system.js';
import type { EventTargets } from './system.js';
import { duplicatedEvents, shipmentChecksum, waitForShipments } from './stream-probe.js';
import type { PublishedEvent, ShipmentRow } from './stream-probe.js';

/** The stream scenarios need C and its streams; an environment without C fails them with one clear line. */
export function streamTargets(ctx: ScenarioContext): EventTargets {
  const events = eventTargetsOf(ctx);
  if (!events) throw new Error('the environment runs no service-c: the stream scenarios need it (add it to environment.yaml)');
  return events;
}

/** Waits for as many shipments as events, then a little longer: a duplicate arrives after the last original. */
export async function settledShipments(ctx: ScenarioContext, sku: string, expected: number): Promise<ShipmentRow[]> {
  await waitForShipments(ctx, sku, (rows) => rows.length >= expected);
  return waitForShipments(ctx, sku, (rows) => rows.length > expected, 1000);
}

/** Every published event became exactly one shipment with its order, sku and quantity: counts and checksums agree. */
export function exactlyOnce(published: readonly PublishedEvent[], shipments: readonly ShipmentRow[]): CheckOutcome {
  const duplicates = duplicatedEvents(shipments);
  const expectedSum = shipmentChecksum(published.map((e) => ({ event_id: e.eventId, order_id: e.orderId, sku: e.sku, quantity: e.quantity })));
  const actualSum = shipmentChecksum(shipments);
  const detail = `${shipments.length} shipment row(s) for ${published.length} event(s); checksum ${actualSum.slice(0, 12)} vs published ${expectedSum.slice(0, 12)}`;
  if (duplicates.length > 0) return fail(`${detail}; duplicated event(s): ${duplicates.join(', ')}`);
  if (shipments.length !== published.length || actualSum !== expectedSum) {
    const shipped = new Set(shipments.map((s) => s.event_id));
    const lost = published.filter((e) => !shipped.has(e.eventId)).map((e) => e.eventId);
    return fail(`${detail}${lost.length > 0 ? `; never shipped: ${lost.join(', ')}` : ''}`);
  }
  return pass(detail);
}
