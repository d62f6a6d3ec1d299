import { httpCall } from './http.js';
import type { HttpResult } from './http.js';
import type { ScenarioTargets } from './targets.js';

/** An order request as a client of Service A sends it. */
export interface OrderRequest {
  readonly sku: string;
  readonly quantity: number;
  readonly correlationId: string;
  readonly idempotencyKey?: string;
  readonly customerId?: string;
}

/** Calls the example system the way its clients do: A's public API, and B's API with its bearer token. */
export interface SystemClient {
  /** `POST /orders` on A. */
  placeOrder(order: OrderRequest, timeoutMs?: number): Promise<HttpResult>;
  /** `GET /orders/{id}` on A. */
  getOrder(id: string, correlationId: string): Promise<HttpResult>;
  /** `DELETE /orders/{id}` on A. */
  cancelOrder(id: string, correlationId: string): Promise<HttpResult>;
  /** `GET /items/{sku}` on B. */
  getItem(sku: string, correlationId: string): Promise<HttpResult>;
  /** `POST /reservations` on B, directly. */
  reserve(sku: string, quantity: number, correlationId: string): Promise<HttpResult>;
  /** `GET /health` on the consumer, the provider or the worker, by service name. */
  health(service: string): Promise<HttpResult>;
}

/** A {@link SystemClient} for the live targets. */
export function systemClient(targets: ScenarioTargets): SystemClient {
  const bHeaders = (correlationId: string) => ({ authorization: `Bearer ${targets.serviceBToken}`, 'x-correlation-id': correlationId });
  const a = () => targets.serviceA.url.replace(/\/$/, '');
  const b = () => targets.serviceB.url.replace(/\/$/, '');
  const c = () => (targets.events?.serviceC.url ?? 'http://worker.not-started').replace(/\/$/, '');
  return {
    placeOrder(order, timeoutMs) {
      const headers: Record<string, string> = { 'x-correlation-id': order.correlationId };
      if (order.idempotencyKey !== undefined) headers['idempotency-key'] = order.idempotencyKey;
      const json: Record<string, unknown> = { sku: order.sku, quantity: order.quantity };
      if (order.customerId !== undefined) json.customerId = order.customerId;
      return httpCall('POST', `${a()}/orders`, timeoutMs === undefined ? { headers, json } : { headers, json, timeoutMs });
    },
    getOrder: (id, correlationId) => httpCall('GET', `${a()}/orders/${encodeURIComponent(id)}`, { headers: { 'x-correlation-id': correlationId } }),
    cancelOrder: (id, correlationId) => httpCall('DELETE', `${a()}/orders/${encodeURIComponent(id)}`, { headers: { 'x-correlation-id': correlationId } }),
    getItem: (sku, correlationId) => httpCall('GET', `${b()}/items/${encodeURIComponent(sku)}`, { headers: bHeaders(correlationId) }),
    reserve: (sku, quantity, correlationId) => httpCall('POST', `${b()}/reservations`, { headers: bHeaders(correlationId), json: { sku, quantity } }),
    health: (service) => httpCall('GET', `${service === targets.serviceA.name ? a() : service === targets.serviceB.name ? b() : c()}/health`, { timeoutMs: 2000 }),
  };
}
