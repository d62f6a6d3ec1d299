import { defineScenario, verdict } from 'accord';
import { exchangesOf, PAYMENT_OPERATIONS, succeeded } from './payments-probe.js';
import { eventsOf } from './evidence.js';
import { answers503, nothingCharged, orderDuringPaymentFault, paymentsOf, seedPaymentItem, stockBack } from './payment-outage.js';
import type { PaymentOutcome } from './payment-outage.js';

/** Payments slow beyond A's timeout: A answers 503, releases the stock, and voids the authorization the vendor granted late. */
export const paymentsSlow = defineScenario<{ sku: string; delayMs: number }, PaymentOutcome>({
  name: 'payments-slow',
  title: "Payments slow beyond A's timeout: A answers 503, releases the stock, voids the late success",
  points: ['payments-faulted'],
  async setup(ctx) {
    // Twice A's per-attempt limit: every attempt times out, yet the vendor does grant each one.
    return { ...(await seedPaymentItem(ctx, 'payslow')), delayMs: 2 * paymentsOf(ctx).timeoutMs };
  },
  // A's late check waits longer than the delay: give it the delay and a margin to void.
  actions: (ctx, { sku, delayMs }) => orderDuringPaymentFault(ctx, sku, { mode: 'latency', delayMs }, 4 * delayMs + 5000),
  checks: [
    {
      name: "every authorize attempt ran into A's timeout",
      verify: ({ logs }, ctx) => {
        const { retries, timeoutMs } = paymentsOf(ctx);
        const attempts = eventsOf(logs, 'service-a', 'payments.call').filter((l) => l.operation === 'authorize').slice(0, retries + 1);
        const timedOut = attempts.filter((l) => l.error === 'timeout').length;
        return verdict(timedOut === retries + 1, `${timedOut} of ${attempts.length} authorize attempts ended in A's ${timeoutMs} ms timeout (expected ${retries + 1})`);
      },
    },
    answers503,
    stockBack,
    {
      name: 'the vendor did grant the authorization late (the fault was exercised)',
      verify: ({ exchanges }) => {
        const granted = exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize).filter(succeeded);
        return verdict(granted.length > 0, `${granted.length} authorize request(s) answered 2xx after A stopped waiting`);
      },
    },
    nothingCharged,
  ],
});
