import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { placeOrder, voidCancelledPayment } from '../checkout.js';
import type { StoredOrder } from '../order.js';
import { orderStatus, toOrder } from '../order.js';
import { HttpProblem } from '../problem.js';
import { idParams, orderBody, orderHeaders } from '../schemas.js';

interface CreateOrderRoute {
  Body: { sku: string; quantity: number; customerId?: string };
  Headers: { 'idempotency-key'?: string };
}

/** POST /orders (reserve in B, authorize → 200 order), GET /orders/:id (status read through B), DELETE /orders/:id (release in B, void the payment). */
export function orderRoutes(app: FastifyInstance, { client, payments, checkout: settings, store }: RouteContext): void {
  app.post<CreateOrderRoute>('/orders', { schema: { body: orderBody, headers: orderHeaders } }, async (request) => {
    const log = request.log;
    const key = request.headers['idempotency-key'] ?? null;
    if (key !== null) {
      const earlier = await store.findByIdempotencyKey(key, log);
      if (earlier) {
        log.info({ event: 'order.replay', orderId: earlier.id }, 'order.replay');
        return toOrder(earlier);
      }
    }
    // B always gets a key: the client's, so its retries dedupe in B too, or a fresh one, so that
    // A's own retries of this call (after a timeout) never reserve twice. The payment keys derive from it.
    const orderId = randomUUID();
    const checkout = { orderId, sku: request.body.sku, quantity: request.body.quantity, idempotencyKey: key ?? randomUUID(), correlationId: request.id, log };
    return placeOrder({ client, payments, settings }, checkout, async (reservation, payment) => {
      const order: StoredOrder = {
        id: orderId,
        sku: reservation.sku,
        quantity: reservation.quantity,
        status: orderStatus(reservation),
        reservationId: reservation.id,
        correlationId: request.id,
        createdAt: new Date().toISOString(),
        customerId: request.body.customerId ?? null,
        paymentId: payment.id,
      };
      return toOrder(await store.save(order, key, log));
    });
  });

  app.get<{ Params: { id: string } }>('/orders/:id', { schema: { params: idParams } }, async (request) => {
    const order = await store.get(request.params.id);
    if (!order) throw new HttpProblem(404, `order ${request.params.id} does not exist`);
    const reservation = await client.getReservation(order.reservationId, { correlationId: request.id, logger: request.log });
    const current = { ...order, status: orderStatus(reservation) };
    if (current.status !== order.status) await store.update(current, request.log);
    return toOrder(current);
  });

  app.delete<{ Params: { id: string } }>('/orders/:id', { schema: { params: idParams } }, async (request) => {
    const order = await store.get(request.params.id);
    if (!order) throw new HttpProblem(404, `order ${request.params.id} does not exist`);
    const reservation = await client.release(order.reservationId, { correlationId: request.id, logger: request.log });
    const cancelled: StoredOrder = { ...order, status: orderStatus(reservation) };
    // The stock is back first: a vendor that cannot void leaves the order cancelled, its void recorded as pending or failed.
    const paymentStatus = cancelled.status === 'cancelled' ? await voidCancelledPayment({ payments, settings }, cancelled, { correlationId: request.id, log: request.log }) : undefined;
    if (paymentStatus !== undefined) cancelled.paymentStatus = paymentStatus;
    await store.update(cancelled, request.log);
    return toOrder(cancelled);
  });
}
