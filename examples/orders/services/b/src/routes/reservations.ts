import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { requestDb } from '../db.js';
import { HttpProblem } from '../problem.js';
import { getReservation, release, reserve } from '../reservations.js';
import { idParams, reserveBody, reserveHeaders } from '../schemas.js';

interface ReserveRoute {
  Body: { sku: string; quantity: number };
  Headers: { 'idempotency-key'?: string; 'x-source-service'?: string; 'x-correlation-id'?: string };
}

/** POST /reservations (201, or 200 on an Idempotency-Key replay), GET and DELETE /reservations/:id. */
export function reservationRoutes(app: FastifyInstance, { pool, cache }: RouteContext): void {
  app.post<ReserveRoute>('/reservations', { schema: { body: reserveBody, headers: reserveHeaders } }, async (request, reply) => {
    const { headers } = request;
    const { reservation, created } = await reserve(requestDb(pool, request.log), cache, request.log, {
      sku: request.body.sku,
      quantity: request.body.quantity,
      idempotencyKey: headers['idempotency-key'] ?? null,
      // Stored only when the caller sent it (and it was usable); a generated id stays in the logs.
      correlationId: headers['x-correlation-id'] === request.id ? request.id : null,
      sourceService: headers['x-source-service'] ?? null,
    });
    return reply.code(created ? 201 : 200).send(reservation);
  });

  app.get<{ Params: { id: string } }>('/reservations/:id', { schema: { params: idParams } }, async (request) => {
    const reservation = await getReservation(requestDb(pool, request.log), request.params.id);
    if (!reservation) throw new HttpProblem(404, `reservation ${request.params.id} does not exist`);
    return reservation;
  });

  app.delete<{ Params: { id: string } }>('/reservations/:id', { schema: { params: idParams } }, async (request) => {
    const reservation = await release(requestDb(pool, request.log), cache, request.log, request.params.id);
    if (!reservation) throw new HttpProblem(404, `reservation ${request.params.id} does not exist`);
    return reservation;
  });
}
