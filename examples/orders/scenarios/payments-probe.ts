import { field } from 'accord';
import type { Exchange, ScenarioContext } from 'accord';
import { SERVICES } from './system.js';

/** The payment operations of the vendor's contract the scenarios look at. */
export const PAYMENT_OPERATIONS = Object.freeze({ authorize: 'authorizePayment', void: 'voidPayment' });

/** An authorization the vendor granted (a 2xx answer to authorize) and whether a later void released it. */
export interface GrantedAuthorization {
  readonly paymentId: string;
  readonly idempotencyKey: string;
  readonly time: string;
  readonly voided: boolean;
}

/** The payments stub's recorded exchanges carrying `correlationId` (A forwards it on every vendor call), oldest first. */
export async function paymentExchanges(ctx: ScenarioContext, correlationId: string): Promise<Exchange[]> {
  return (await ctx.stub(SERVICES.paymentsStub).exchanges()).filter((exchange) => exchange.request.headers['x-correlation-id'] === correlationId);
}

/** The exchanges of one operation. */
export function exchangesOf(exchanges: readonly Exchange[], operation: string): Exchange[] {
  return exchanges.filter((exchange) => exchange.operation === operation);
}

/** The distinct Idempotency-Keys among `exchanges`, in first-seen order. */
export function idempotencyKeys(exchanges: readonly Exchange[]): string[] {
  return [...new Set(exchanges.map((exchange) => exchange.request.headers['idempotency-key'] ?? '(none)'))];
}

/** True when the vendor answered the exchange 2xx: for authorize, money held on the card. */
export function succeeded(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 200 && status < 300;
}

/**
 * Every authorization the vendor granted under these exchanges, each marked voided when a 2xx
 * void of its payment id was recorded after it. The vendor granting one whose client had already
 * stopped waiting is what "a late success" means: it holds money unless voided.
 */
export function grantedAuthorizations(exchanges: readonly Exchange[]): GrantedAuthorization[] {
  const voids = exchangesOf(exchanges, PAYMENT_OPERATIONS.void).filter(succeeded);
  return exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize)
    .filter(succeeded)
    .map((exchange) => {
      const paymentId = String(field(exchange.response?.body, 'id') ?? '(no id)');
      const voided = voids.some((v) => v.time >= exchange.time && v.request.path.endsWith(`/${encodeURIComponent(paymentId)}/void`));
      return { paymentId, idempotencyKey: exchange.request.headers['idempotency-key'] ?? '(none)', time: exchange.time, voided };
    });
}

/** `pay_1 (key k, 12:00:01.200)`: how an authorization reads in a check's detail. */
export function describeAuthorization(authorization: GrantedAuthorization): string {
  return `${authorization.paymentId} (Idempotency-Key ${authorization.idempotencyKey}, granted ${authorization.time})`;
}
