import { defineScenario, fail, field, pass, verdict } from 'accord';
import { client } from './system-client.js';
import { SERVICES } from './system.js';
import { reservationsOf, stockOf } from './database-probe.js';
import { exchangesOf, idempotencyKeys, PAYMENT_OPERATIONS, paymentExchanges, succeeded } from './payments-probe.js';
import { describeResponse } from './evidence.js';
import { INITIAL_STOCK, QUANTITY, paymentsOf, seedPaymentItem } from './payment-outage.js';
import type { PaymentOutcome } from './payment-outage.js';

/** A's retry of a failed authorize carries the first attempt's Idempotency-Key, so the vendor can never charge twice. */
export const paymentsRetryKey = defineScenario<{ sku: string }, PaymentOutcome>({
  name: 'payments-retry-key',
  title: "A's retry of authorize carries the same Idempotency-Key (never two charges)",
  points: ['payments-faulted'],
  setup: (ctx) => seedPaymentItem(ctx, 'paykey'),
  async actions(ctx, { sku }) {
    const stub = paymentsOf(ctx);
    if (stub.retries < 1) throw new Error(`service-a is configured with PAYMENTS_RETRIES ${stub.retries}: it never retries authorize, so there is no retry to check`);
    const correlationId = ctx.id('order');
    // One failed attempt, then the vendor is back: A's retry is what the vendor sees second.
    await ctx.stub(SERVICES.paymentsStub).fault({ mode: 'error', status: 503, times: 1, operations: [PAYMENT_OPERATIONS.authorize] });
    await ctx.point('payments-faulted');
    const answer = await client(ctx).placeOrder({ sku, quantity: QUANTITY, correlationId, idempotencyKey: ctx.id('key') });
    await ctx.stub(SERVICES.paymentsStub).heal();
    const logs = await ctx.logs.forCorrelation(correlationId);
    return { sku, correlationId, answer, logs, exchanges: await paymentExchanges(ctx, correlationId), rows: await reservationsOf(ctx, sku), stock: await stockOf(ctx, sku) };
  },
  checks: [
    {
      name: 'the order is confirmed after one failed authorize attempt',
      verify: ({ answer, exchanges }) => {
        const statuses = exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize).map((e) => e.response?.status ?? 'no answer');
        return verdict(answer.status === 200 && statuses.length === 2 && statuses[0] === 503, `POST /orders → ${describeResponse(answer)} (status ${String(field(answer.body, 'status'))}); authorize answered ${statuses.join(', ')}`);
      },
    },
    {
      name: "every authorize attempt of the order carries the same Idempotency-Key",
      verify: ({ exchanges }) => {
        const keys = idempotencyKeys(exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize));
        return keys.length === 1 ? pass(`one Idempotency-Key for the order's attempts: ${keys[0] ?? ''}`) : fail(`${keys.length} Idempotency-Keys for one order's authorize attempts: ${keys.join(', ')}: the vendor treats each as a new charge`);
      },
    },
    {
      name: 'never two charges (one granted authorization per Idempotency-Key)',
      verify: ({ exchanges }) => {
        const granted = exchangesOf(exchanges, PAYMENT_OPERATIONS.authorize).filter(succeeded);
        const keys = idempotencyKeys(granted);
        return verdict(granted.length >= 1 && keys.length === 1, `${granted.length} granted authorization(s) under ${keys.length} key(s): ${keys.join(', ') || 'none'}`);
      },
    },
    {
      name: 'the confirmed order holds its stock in B',
      verify: ({ rows, stock }) => {
        const active = rows.filter((r) => r.status === 'active').length;
        return verdict(active === 1 && stock === INITIAL_STOCK - QUANTITY, `${active} active reservation(s); stock ${stock} (expected ${INITIAL_STOCK - QUANTITY})`);
      },
    },
  ],
});
