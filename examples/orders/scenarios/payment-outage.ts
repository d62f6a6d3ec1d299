import { fail, pass, verdict } from 'accord';
import type { CheckOutcome, Exchange, HttpResult, LogLine, ScenarioCheck, ScenarioContext } from 'accord';
import { client } from './system-client.js';
import { SERVICES, paymentsTargetOf, skuFor } from './system.js';
import type { PaymentsTarget } from './system.js';
import { reservationsOf, seedItems, stockOf } from './database-probe.js';
import type { ReservationRow } from './database-probe.js';
import { describeAuthorization, exchangesOf, grantedAuthorizations, PAYMENT_OPERATIONS, paymentExchanges } from './payments-probe.js';
import { describeResponse, eventsOf, isProblem } from './evidence.js';

export const INITIAL_STOCK = 5;
export const QUANTITY = 1;

// A's events that end its background check for an authorization granted after it stopped waiting.
const LATE_CHECK_DONE = ['payment.voided', 'payment.no_late_authorization', 'payment.late_check_gave_up'];

/** What a payment outage scenario observed. */
export interface PaymentOutcome {
  readonly sku: string;
  readonly correlationId: string;
  readonly answer: HttpResult;
  readonly logs: readonly LogLine[];
  readonly exchanges: readonly Exchange[];
  readonly rows: readonly ReservationRow[];
  readonly stock: number | undefined;
}

/** The payments stub of the environment, or a one-line error saying the config runs none. */
export function paymentsOf(ctx: ScenarioContext): PaymentsTarget {
  const stub = paymentsTargetOf(ctx);
  if (!stub) throw new Error('the environment runs no payments-stub: add it to environment.yaml (service-a finds it as PAYMENTS_STUB_URL)');
  return stub;
}

/** Seeds the scenario's own item. */
export async function seedPaymentItem(ctx: ScenarioContext, label: string): Promise<{ sku: string }> {
  const sku = skuFor(ctx, label);
  await seedItems(ctx, [{ sku, stock: INITIAL_STOCK }]);
  return { sku };
}

/**
 * Places one order while `fault` is in force on the vendor's authorize, then waits for A's
 * background late-authorization check to finish (or `settleMs`), and heals the stub: what the
 * vendor saw and what B holds afterwards is the outcome.
 */
export async function orderDuringPaymentFault(ctx: ScenarioContext, sku: string, fault: Readonly<Record<string, unknown>>, settleMs: number): Promise<PaymentOutcome> {
  // An environment without the stub fails here, in one line, before anything is faulted.
  paymentsOf(ctx);
  const correlationId = ctx.id('order');
  await ctx.stub(SERVICES.paymentsStub).fault({ ...fault, operations: [PAYMENT_OPERATIONS.authorize] });
  await ctx.point('payments-faulted');
  const answer = await client(ctx).placeOrder({ sku, quantity: QUANTITY, correlationId, idempotencyKey: ctx.id('key') }, 60_000);
  const logs = await ctx.logs.forCorrelation(correlationId, (lines) => LATE_CHECK_DONE.some((event) => eventsOf(lines, 'service-a', event).length > 0), settleMs);
  await ctx.stub(SERVICES.paymentsStub).heal();
  return { sku, correlationId, answer, logs, exchanges: await paymentExchanges(ctx, correlationId), rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku) };
}

/** A answered the order 503 problem+json. */
export const answers503: ScenarioCheck<PaymentOutcome> = {
  name: 'A answers 503 problem+json',
  verify: ({ answer }) => verdict(isProblem(answer, 503), `POST /orders → ${describeResponse(answer)}`),
};

/** The reservation was released in B: real rows, stock back where it was seeded. */
export const stockBack: ScenarioCheck<PaymentOutcome> = {
  name: 'the reservation is released in B (stock back, no leak)',
  verify: ({ sku, rows, stock }) => {
    const active = rows.filter((row) => row.status === 'active');
    const detail = `${rows.length} reservation(s) of ${sku}: ${rows.map((r) => `${r.id} ${r.status}`).join(', ') || 'none'}; stock ${stock} (seeded ${INITIAL_STOCK})`;
    if (rows.length === 0) return fail(`${detail}: A never reserved, so the release was not exercised`);
    if (active.length > 0 || stock !== INITIAL_STOCK) return fail(`stock leaked: ${INITIAL_STOCK - (stock ?? 0)} unit(s) of ${sku} still held by ${active.map((r) => `reservation ${r.id}`).join(', ') || 'no active reservation'} (${detail})`);
    return pass(detail);
  },
};

/** Nothing charged: every authorization the vendor granted under the order was voided. */
export const nothingCharged: ScenarioCheck<PaymentOutcome> = {
  name: 'nothing is charged (every authorization the vendor granted was voided)',
  verify: ({ exchanges }): CheckOutcome => {
    const attempts = exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize);
    const granted = grantedAuthorizations(exchanges);
    const unvoided = granted.filter((a) => !a.voided);
    const detail = `${attempts.length} authorize request(s) recorded by the stub, ${granted.length} granted, ${granted.length - unvoided.length} voided`;
    if (attempts.length === 0) return fail(`${detail}: A never asked the vendor, so the payment step was not exercised`);
    if (unvoided.length > 0) return fail(`unvoided authorization ${unvoided.map(describeAuthorization).join('; ')}: money held on the card (${detail})`);
    return pass(detail);
  },
};
