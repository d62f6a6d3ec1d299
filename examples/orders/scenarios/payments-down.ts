import { defineScenario, verdict } from 'accord';
import { exchangesOf, PAYMENT_OPERATIONS } from './payments-probe.js';
import { eventsOf } from './evidence.js';
import { answers503, nothingCharged, orderDuringPaymentFault, paymentsOf, seedPaymentItem, stockBack } from './payment-outage.js';
import type { PaymentOutcome } from './payment-outage.js';

// A's late-authorization check meets the same 5xx and gives up within a few backoffs.
const SETTLE_MS = 10_000;

/** Payments down (every authorize answered 503): A answers 503, releases the reservation in B, and nothing is charged. */
export const paymentsDown = defineScenario<{ sku: string }, PaymentOutcome>({
  name: 'payments-down',
  title: 'Payments down (5xx): A answers 503, releases the reservation in B, charges nothing',
  points: ['payments-faulted'],
  setup: (ctx) => seedPaymentItem(ctx, 'paydown'),
  actions: (ctx, { sku }) => orderDuringPaymentFault(ctx, sku, { mode: 'error', status: 503 }, SETTLE_MS),
  checks: [
    {
      name: 'A tried the vendor with its configured retries',
      verify: ({ exchanges, logs }, ctx) => {
        const expected = paymentsOf(ctx).retries + 1;
        const first = eventsOf(logs, 'service-a', 'payments.call').filter((l) => l.operation === 'authorize').slice(0, expected);
        const failed = first.filter((l) => l.statusCode === 503).length;
        return verdict(failed === expected, `${failed} of the first ${expected} authorize attempts answered 503 (1 + ${expected - 1} retries configured); ${exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize).length} authorize request(s) in all, late checks included`);
      },
    },
    answers503,
    stockBack,
    nothingCharged,
  ],
});
