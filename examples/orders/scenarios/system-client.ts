import type { HttpResult, ScenarioContext } from 'accord';
import { inventoryToken, SERVICES } from './system.js';

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
  /** `GET /health` on a service, by name. */
  health(service: string): Promise<HttpResult>;
}

/** A {@link SystemClient} over the context's HTTP client (every call recorded for the diagrams). */
export function client(ctx: ScenarioContext): SystemClient {
  const http = ctx.http;
  const a = SERVICES.orders;
  const b = SERVICES.inventory;
  const bHeaders = () => ({ authorization: `Bearer ${inventoryToken(ctx)}` });
  return {
    placeOrder(order, timeoutMs) {
      const headers: Record<string, string> = {};
      if (order.idempotencyKey !== undefined) headers['idempotency-key'] = order.idempotencyKey;
      const json: Record<string, unknown> = { sku: order.sku, quantity: order.quantity };
      if (order.customerId !== undefined) json.customerId = order.customerId;
      return http.call(a, 'POST', '/orders', { headers, json, correlationId: order.correlationId, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    },
    getOrder: (id, correlationId) => http.get(a, `/orders/${encodeURIComponent(id)}`, { correlationId }),
    cancelOrder: (id, correlationId) => http.call(a, 'DELETE', `/orders/${encodeURIComponent(id)}`, { correlationId }),
    getItem: (sku, correlationId) => http.get(b, `/items/${encodeURIComponent(sku)}`, { headers: bHeaders(), correlationId }),
    reserve: (sku, quantity, correlationId) => http.post(b, '/reservations', { sku, quantity }, { headers: bHeaders(), correlationId }),
    health: (service) => http.get(service, '/health', { timeoutMs: 2000 }),
  };
}
