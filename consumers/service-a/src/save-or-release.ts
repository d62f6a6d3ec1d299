import type { FastifyBaseLogger } from 'fastify';
import type { StoredOrder } from './order.js';
import type { OrderStore } from './order-store.js';
import type { ServiceBClient } from './service-b-client.js';

/**
 * Saves a new order with its event; when that fails (Redis away), releases the reservation B holds
 * for it before the error answers 503, so the failed order leaves no stock held behind.
 */
export async function saveOrRelease(
  deps: { client: ServiceBClient; store: OrderStore },
  order: StoredOrder,
  key: string | null,
  log: FastifyBaseLogger,
): Promise<StoredOrder> {
  try {
    return await deps.store.save(order, key, log);
  } catch (error) {
    await deps.client.release(order.reservationId, { correlationId: order.correlationId, logger: log }).then(
      () => log.info({ event: 'order.compensated', reservationId: order.reservationId }, 'order not stored: reservation released'),
      (releaseError: unknown) => log.error({ event: 'order.compensation-failed', reservationId: order.reservationId, error: (releaseError as Error).message }, 'order not stored and its reservation could not be released'),
    );
    throw error;
  }
}
