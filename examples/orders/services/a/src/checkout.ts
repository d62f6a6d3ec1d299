import type { FastifyBaseLogger } from 'fastify';
import { PaymentsError } from './payments-client.js';
import type { Payment, PaymentsClient } from './payments-client.js';
import type { CancelledPaymentStatus, StoredOrder } from './order.js';
import type { Reservation, ServiceBClient } from './service-b-client.js';

/** A guarantee of the checkout that tests switch off on purpose, to prove the scenarios notice. */
export type BrokenGuarantee = 'release' | 'void' | 'idempotency-key' | 'late-write';

/** Every {@link BrokenGuarantee}, as SERVICE_A_TEST_BREAK accepts them. */
export const BROKEN_GUARANTEES: readonly BrokenGuarantee[] = Object.freeze(['release', 'void', 'idempotency-key', 'late-write']);

/** How A pays for orders. */
export interface CheckoutSettings {
  /** ISO 4217 currency of B's prices. @default 'EUR' */
  currency: string;
  /** The card token orders pay with when the client sends none (the example shop has no payment form). @default 'tok_visa_4242' */
  cardToken: string;
  /** How long the check for a late authorization waits for the vendor's answer. @default 10000 */
  lateAnswerTimeoutMs: number;
  /** How many times that check asks before giving up. @default 3 */
  lateAnswerChecks: number;
  /** Test-only: guarantees switched off. @default none */
  broken: ReadonlySet<BrokenGuarantee>;
}

/** The defaults of {@link CheckoutSettings}. */
export const CHECKOUT_DEFAULTS: Readonly<CheckoutSettings> = Object.freeze({
  currency: 'EUR',
  cardToken: 'tok_visa_4242',
  lateAnswerTimeoutMs: 10_000,
  lateAnswerChecks: 3,
  broken: new Set<BrokenGuarantee>(),
});

/** What {@link placeOrder} needs. */
export interface CheckoutDeps {
  client: ServiceBClient;
  payments: PaymentsClient;
  settings: CheckoutSettings;
}

/** One order to place. */
export interface CheckoutInput {
  orderId: string;
  sku: string;
  quantity: number;
  /** B's Idempotency-Key; the payment keys derive from it, so a retried order never pays twice. */
  idempotencyKey: string;
  correlationId: string;
  log: FastifyBaseLogger;
}

/**
 * Places an order across B and the payments vendor: price from B, reserve in B, authorize at
 * the vendor, then `record` (A's own store). The order holds only when all of them do: a failed
 * authorization releases the reservation, a failed `record` also voids the authorization, and an
 * authorization that timed out is checked again in the background (same Idempotency-Key, so
 * the vendor answers the first attempt's outcome) and voided if it went through late.
 */
export async function placeOrder<T>(deps: CheckoutDeps, input: CheckoutInput, record: (reservation: Reservation, payment: Payment) => Promise<T>): Promise<T> {
  const { client, payments, settings } = deps;
  const { log, correlationId } = input;
  const call = { correlationId, logger: log };
  const item = await client.getItem(input.sku, call);
  const reservation = await client.reserve({ sku: input.sku, quantity: input.quantity }, { ...call, idempotencyKey: input.idempotencyKey });
  const authorization = {
    amount: item.priceCents * input.quantity,
    currency: settings.currency,
    reference: input.orderId,
    token: settings.cardToken,
    description: `${input.quantity} x ${input.sku}`,
  };
  const paymentKey = `${input.idempotencyKey}:authorize`;
  let payment: Payment;
  try {
    payment = await payments.authorize(authorization, { ...call, idempotencyKey: paymentKey });
  } catch (error) {
    await release(deps, reservation, input);
    if (error instanceof PaymentsError && error.kind === 'unavailable' && !settings.broken.has('void')) {
      // The vendor may have authorized after A stopped waiting: find out, and void it if so.
      void checkLateAuthorization(deps, input, () => payments.authorize(authorization, { ...call, idempotencyKey: paymentKey, timeoutMs: settings.lateAnswerTimeoutMs }));
    }
    throw error;
  }
  log.info({ event: 'payment.authorized', paymentId: payment.id, amount: payment.amount, reservationId: reservation.id }, 'payment.authorized');
  try {
    return await record(reservation, payment);
  } catch (error) {
    await voidPayment(deps, payment, input);
    await release(deps, reservation, input);
    throw error;
  }
}

async function release(deps: CheckoutDeps, reservation: Reservation, input: CheckoutInput): Promise<void> {
  if (deps.settings.broken.has('release')) return;
  try {
    await deps.client.release(reservation.id, { correlationId: input.correlationId, logger: input.log });
    input.log.info({ event: 'reservation.released', reservationId: reservation.id }, 'reservation.released');
  } catch (error) {
    // The reservation stays held until B's own expiry; the log is what an operator follows up.
    input.log.error({ event: 'reservation.release_failed', reservationId: reservation.id, error: (error as Error).message }, 'reservation.release_failed');
  }
}

async function voidPayment(deps: CheckoutDeps, payment: Payment, input: CheckoutInput): Promise<void> {
  if (deps.settings.broken.has('void')) return;
  try {
    await deps.payments.void(payment.id, { idempotencyKey: `${input.idempotencyKey}:void`, correlationId: input.correlationId, logger: input.log });
    input.log.info({ event: 'payment.voided', paymentId: payment.id }, 'payment.voided');
  } catch (error) {
    input.log.error({ event: 'payment.void_failed', paymentId: payment.id, error: (error as Error).message }, 'payment.void_failed');
  }
}

async function checkLateAuthorization(deps: CheckoutDeps, input: CheckoutInput, ask: () => Promise<Payment>): Promise<void> {
  for (let check = 1; check <= deps.settings.lateAnswerChecks; check++) {
    try {
      const payment = await ask();
      input.log.warn({ event: 'payment.late_authorization', paymentId: payment.id, check }, 'payment.late_authorization: voiding it');
      await voidPayment(deps, payment, input);
      return;
    } catch (error) {
      if (!(error instanceof PaymentsError) || error.kind !== 'unavailable') {
        // Declined or refused: nothing was authorized, nothing to void.
        input.log.info({ event: 'payment.no_late_authorization', check, status: error instanceof PaymentsError ? error.status : null }, 'payment.no_late_authorization');
        return;
      }
    }
  }
  input.log.error({ event: 'payment.late_check_gave_up', checks: deps.settings.lateAnswerChecks }, 'payment.late_check_gave_up: the authorization may still be held');
}

/**
 * Voids the payment of an order just cancelled (its reservation already released in B). The
 * cancellation stands whatever the vendor answers: the customer asked for it and the stock is
 * back; what the vendor's answer changes is the payment's status A records. Returns undefined when
 * there is nothing to void (no payment, already voided). The Idempotency-Key derives from the order
 * id, so a repeated cancel of a `void-pending` order retries the same void.
 */
export async function voidCancelledPayment(deps: Pick<CheckoutDeps, 'payments' | 'settings'>, order: StoredOrder, call: { correlationId: string; log: FastifyBaseLogger }): Promise<CancelledPaymentStatus | undefined> {
  const paymentId = order.paymentId;
  if (typeof paymentId !== 'string' || order.paymentStatus === 'voided' || deps.settings.broken.has('void')) return undefined;
  const { log } = call;
  try {
    await deps.payments.void(paymentId, { idempotencyKey: `${order.id}:cancel:void`, correlationId: call.correlationId, logger: log }, 'requested_by_customer');
    log.info({ event: 'payment.voided', paymentId, orderId: order.id, reason: 'requested_by_customer' }, 'payment.voided');
    return 'voided';
  } catch (error) {
    const pending = error instanceof PaymentsError && error.kind === 'unavailable';
    const paymentStatus: CancelledPaymentStatus = pending ? 'void-pending' : 'void-failed';
    log.error({ event: 'payment.void_failed', paymentId, orderId: order.id, paymentStatus, status: error instanceof PaymentsError ? error.status : null, error: (error as Error).message }, `payment.void_failed: ${pending ? 'a repeated cancel voids it again' : 'the vendor refused; an operator must refund or look'}`);
    return paymentStatus;
  }
}
