import http from 'node:http';
import https from 'node:https';
import { expect } from 'chai';
import nock from 'nock';
import { contractNock } from 'accord';
import type { ContractScope } from 'accord';
import type { RunningServiceB } from '../../b/test/helpers/service-b.js';
import { startServiceB, TEST_TOKEN } from '../../b/test/helpers/service-b.js';
import { captureLogs } from '../../b/test/helpers/log-capture.js';
import { CHECKOUT_DEFAULTS, placeOrder } from '../src/checkout.js';
import { createLogger } from '../src/logger.js';
import { PaymentsClient } from '../src/payments-client.js';
import { ServiceBClient } from '../src/service-b-client.js';
import type { RunningServiceA } from './helpers/service-a.js';
import { EXAMPLE_DIR, PAYMENTS_CONTRACT, startServiceA } from './helpers/service-a.js';

// Importing nock patches http and fetch at once; only this suite runs patched (see before/after).
nock.restore();

const VENDOR = 'https://api.paywell.example/v2';
const PAYMENT = { id: 'pay_5f1e7c9a2b', status: 'authorized', amount: 2598, currency: 'EUR', reference: 'order-1', capturedAmount: 0, createdAt: '2026-12-02T06:00:00Z' };
const VOIDED = { ...PAYMENT, status: 'voided' };
const UNAVAILABLE = { type: 'https://paywell.example/problems/unavailable', title: 'Service unavailable', status: 503 };
const INVALID_STATE = { type: 'https://paywell.example/problems/invalid-state', title: 'Invalid state', status: 409, detail: 'payment pay_5f1e7c9a2b is captured and cannot be voided' };
const DECLINED = { type: 'https://paywell.example/problems/card-declined', title: 'Card declined', status: 402, declineCode: 'insufficient_funds' };

/** POST through node:http: nock 15.0 on Node 20 breaks passthrough fetch bodies while it is active. */
function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>) });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** DELETE through node:http, for the same reason as {@link post}. */
function del(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'DELETE', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('service-a: the payment step, against a mocked vendor held to payments.yaml', () => {
  let b: RunningServiceB;
  let a: RunningServiceA;
  let vendor: ContractScope;
  const keys: string[] = [];

  const stockOf = async (sku: string) => (await b.pool.query<{ stock: number }>('SELECT stock FROM items WHERE sku = $1', [sku])).rows[0]?.stock;
  const activeReservations = async () => (await b.pool.query("SELECT id FROM reservations WHERE status = 'active'")).rows.length;
  const order = (body: unknown, headers: Record<string, string> = {}) => post(`${a.url}/orders`, body, headers);
  /** An authorize interceptor that remembers the Idempotency-Key it saw. */
  const authorizeReplies = (status: number, body: unknown) => (request: { headers: Record<string, string> }) => {
    keys.push(request.headers['idempotency-key'] ?? '(none)');
    return [status, body] as const;
  };

  before(async () => {
    b = await startServiceB('a_payments');
    a = await startServiceA({
      serviceBUrl: b.url,
      token: TEST_TOKEN,
      redisUrl: b.redisServer.url,
      paymentsUrl: VENDOR,
      payments: { timeoutMs: 300, retries: 2, retryBaseMs: 5, retryMaxMs: 10 },
      checkout: { lateAnswerTimeoutMs: 1000, lateAnswerChecks: 1 },
    });
    nock.activate();
    nock.disableNetConnect();
    // Our own servers (A, B, Redis, Postgres) stay reachable; only the vendor is mocked.
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
    // nock loads part of itself on the first intercepted request (a second or more here): take
    // that before the tests, whose timeouts are a few hundred milliseconds.
    nock('https://warm-up.example').get('/').reply(200);
    await new Promise<void>((resolve, reject) => https.get('https://warm-up.example/', (res) => res.resume().on('end', () => resolve())).on('error', reject));
  });
  after(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
    await a?.stop();
    await b?.stop();
  });
  beforeEach(async () => {
    await b.reset();
    a.logs.clear();
    keys.length = 0;
    nock.cleanAll();
    vendor = await contractNock(VENDOR, { contract: PAYMENTS_CONTRACT, cwd: EXAMPLE_DIR });
  });
  afterEach(function () {
    // Every mock used, every request A sent one the vendor accepts.
    if (this.currentTest?.state === 'passed') vendor.done();
  });

  it('authorizes price x quantity after the reservation and confirms the order', async () => {
    vendor.post('/payments').reply(authorizeReplies(201, PAYMENT));
    const sent = await order({ sku: 'SKU-001', quantity: 2 }, { 'idempotency-key': 'order-key-1' });
    expect(sent.status).to.equal(200);
    expect(sent.body).to.include({ status: 'confirmed', sku: 'SKU-001', quantity: 2 });
    expect(sent.body).not.to.have.property('paymentId');
    expect(keys).to.deep.equal(['order-key-1:authorize']);
    expect(a.logs.events('payment.authorized')[0]).to.include({ paymentId: PAYMENT.id });
    expect(await stockOf('SKU-001')).to.equal(98);
  });

  it('sends the amount, currency, reference and card token the contract asks for', async () => {
    let seen: Record<string, unknown> | undefined;
    vendor.post('/payments').reply((request) => {
      seen = request.body as Record<string, unknown>;
      return [201, PAYMENT];
    });
    await order({ sku: 'SKU-002', quantity: 3 });
    const price = (await b.pool.query<{ price_cents: number }>("SELECT price_cents FROM items WHERE sku = 'SKU-002'")).rows[0]?.price_cents;
    expect(seen).to.deep.include({ amount: (price ?? 0) * 3, currency: 'EUR', paymentMethod: { type: 'card', token: 'tok_visa_4242' } });
    expect(seen?.reference).to.match(/^[0-9a-f-]{36}$/);
  });

  it('a declined card: 402 problem+json, the reservation released, nothing held', async () => {
    vendor.post('/payments').reply(402, DECLINED);
    const sent = await order({ sku: 'SKU-001', quantity: 1 });
    expect(sent.status).to.equal(402);
    expect(sent.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(sent.body).to.include({ title: 'Payment Declined' });
    expect(await stockOf('SKU-001')).to.equal(100);
    expect(await activeReservations()).to.equal(0);
  });

  it('retries a 503 with the same Idempotency-Key (never two charges) and confirms', async () => {
    vendor.post('/payments').reply(authorizeReplies(503, UNAVAILABLE));
    vendor.post('/payments').reply(authorizeReplies(201, PAYMENT));
    const sent = await order({ sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'order-key-retry' });
    expect(sent.status).to.equal(200);
    expect(keys).to.deep.equal(['order-key-retry:authorize', 'order-key-retry:authorize']);
    expect(a.logs.events('payments.retry')).to.have.length(1);
  });

  it('payments down (connection resets): 503 with Retry-After, the reservation released, nothing voided', async () => {
    // 3 attempts, then the late-authorization check's 3 attempts.
    vendor.post('/payments').times(6).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const sent = await order({ sku: 'SKU-001', quantity: 4 }, { 'x-correlation-id': 'corr-pay-down' });
    expect(sent.status).to.equal(503);
    expect(sent.headers['retry-after']).to.equal('5');
    expect(sent.body).to.include({ detail: 'the payments provider is unavailable; the reservation was released, nothing was charged' });
    expect(await stockOf('SKU-001')).to.equal(100);
    expect(await activeReservations()).to.equal(0);
    expect(a.logs.events('payments.exhausted')[0]).to.include({ attempts: 3, correlationId: 'corr-pay-down' });
    await until(() => a.logs.events('payment.late_check_gave_up').length === 1, 'the late-authorization check');
    expect(a.logs.events('payment.voided')).to.have.length(0);
  });

  it("payments slower than A's timeout: 503, reservation released, and the late authorization is voided", async () => {
    vendor.post('/payments').times(3).delay(700).reply(authorizeReplies(201, PAYMENT));
    // The check asks again with the same key and waits longer: the vendor answers the first outcome.
    vendor.post('/payments').delay(200).reply(authorizeReplies(201, PAYMENT));
    let voidKey: string | undefined;
    vendor.post(`/payments/${PAYMENT.id}/void`).reply((request) => {
      voidKey = request.headers['idempotency-key'];
      return [200, VOIDED];
    });
    const sent = await order({ sku: 'SKU-002', quantity: 1 }, { 'idempotency-key': 'order-key-slow' });
    expect(sent.status).to.equal(503);
    expect(await activeReservations()).to.equal(0);
    await until(() => a.logs.events('payment.voided').length === 1, 'the void of the late authorization');
    expect(new Set(keys)).to.deep.equal(new Set(['order-key-slow:authorize']));
    expect(voidKey).to.equal('order-key-slow:void');
    expect(a.logs.events('payments.call').filter((line) => line.error === 'timeout')).to.have.length(3);
  });

  it('a step after the authorization fails: the payment is voided and the reservation released', async () => {
    vendor.post('/payments').reply(201, PAYMENT);
    vendor.post(`/payments/${PAYMENT.id}/void`).reply(200, VOIDED);
    const logs = captureLogs(createLogger);
    const client = new ServiceBClient({ baseUrl: b.url, token: TEST_TOKEN, retries: 0 });
    const payments = new PaymentsClient({ baseUrl: VENDOR, apiKey: 'sk_test_accord', retries: 0 });
    try {
      const input = { orderId: 'order-later-step', sku: 'SKU-001', quantity: 5, idempotencyKey: 'k-later', correlationId: 'corr-later', log: logs.logger as never };
      const failed = await placeOrder({ client, payments, settings: CHECKOUT_DEFAULTS }, input, async () => {
        throw new Error('the order store refused the write');
      }).then(() => 'placed', (error: Error) => error.message);
      expect(failed).to.equal('the order store refused the write');
      expect(logs.events('payment.voided')[0]).to.include({ paymentId: PAYMENT.id });
      expect(await stockOf('SKU-001')).to.equal(100);
    } finally {
      payments.close();
      await client.close();
    }
  });

  describe('cancelling an order voids its payment', () => {
    /** An order placed through A against a mocked authorize; its id. */
    const placed = async (key: string): Promise<string> => {
      vendor.post('/payments').reply(201, PAYMENT);
      const sent = await order({ sku: 'SKU-001', quantity: 2 }, { 'idempotency-key': key });
      expect(sent.status).to.equal(200);
      return String(sent.body.id);
    };
    const cancel = (id: string, correlationId: string) => del(`${a.url}/orders/${id}`, { 'x-correlation-id': correlationId });
    /** The order as A keeps it in Redis: the API does not show the payment. */
    const stored = async (id: string) => JSON.parse((await a.redis.get(`order:${id}`)) ?? '{}') as Record<string, unknown>;
    /** A void interceptor that remembers each request's Idempotency-Key and body. */
    const voids: { key: string | undefined; body: unknown }[] = [];
    const voidReplies = (status: number, body: unknown) => (request: { headers: Record<string, string>; body: unknown }) => {
      voids.push({ key: request.headers['idempotency-key'], body: request.body });
      return [status, body] as const;
    };
    beforeEach(() => {
      voids.length = 0;
    });

    it("voids at the vendor (requested_by_customer, the order's own Idempotency-Key) and releases the reservation; a second cancel voids nothing", async () => {
      const id = await placed('order-key-cancel');
      vendor.post(`/payments/${PAYMENT.id}/void`).reply(voidReplies(200, VOIDED));
      const sent = await cancel(id, 'corr-cancel');
      expect(sent.status).to.equal(200);
      expect(sent.body).to.include({ id, status: 'cancelled' });
      expect(sent.body).not.to.have.property('paymentStatus');
      expect(voids).to.deep.equal([{ key: `${id}:cancel:void`, body: { reason: 'requested_by_customer' } }]);
      expect(a.logs.events('payment.voided')[0]).to.include({ paymentId: PAYMENT.id, orderId: id, correlationId: 'corr-cancel' });
      expect(await stored(id)).to.include({ status: 'cancelled', paymentId: PAYMENT.id, paymentStatus: 'voided' });
      expect(await stockOf('SKU-001')).to.equal(100);
      expect(await activeReservations()).to.equal(0);
      // No interceptor is left for a second void: nock would refuse it and the cancel would not answer 200.
      expect((await cancel(id, 'corr-cancel-again')).status).to.equal(200);
      expect(voids).to.have.length(1);
    });

    it('the vendor unreachable on void: the order stays cancelled, the void recorded pending, and a repeated cancel voids with the same key', async () => {
      const id = await placed('order-key-void-down');
      // The first attempt and both retries.
      vendor.post(`/payments/${PAYMENT.id}/void`).times(3).reply(voidReplies(503, UNAVAILABLE));
      const sent = await cancel(id, 'corr-void-down');
      expect(sent.status).to.equal(200);
      expect(sent.body).to.include({ status: 'cancelled' });
      expect(await activeReservations()).to.equal(0);
      expect(await stored(id)).to.include({ status: 'cancelled', paymentStatus: 'void-pending' });
      expect(a.logs.events('payment.void_failed')[0]).to.include({ paymentId: PAYMENT.id, paymentStatus: 'void-pending', status: 503 });
      vendor.post(`/payments/${PAYMENT.id}/void`).reply(voidReplies(200, VOIDED));
      expect((await cancel(id, 'corr-void-retry')).status).to.equal(200);
      expect(new Set(voids.map((v) => v.key))).to.deep.equal(new Set([`${id}:cancel:void`]));
      expect(voids).to.have.length(4);
      expect(await stored(id)).to.include({ paymentStatus: 'voided' });
    });

    it('the vendor refuses the void (409, say captured): the order stays cancelled and the void is recorded failed, not retried', async () => {
      const id = await placed('order-key-void-refused');
      vendor.post(`/payments/${PAYMENT.id}/void`).reply(voidReplies(409, INVALID_STATE));
      const sent = await cancel(id, 'corr-void-refused');
      expect(sent.status).to.equal(200);
      expect(sent.body).to.include({ status: 'cancelled' });
      expect(voids).to.have.length(1);
      expect(await stored(id)).to.include({ status: 'cancelled', paymentStatus: 'void-failed' });
      expect(a.logs.events('payment.void_failed')[0]).to.include({ paymentStatus: 'void-failed', status: 409 });
      expect(await stockOf('SKU-001')).to.equal(100);
    });
  });

  it('a request A sends that the vendor contract forbids fails the test, naming the field and the operation', async () => {
    vendor.post('/payments').reply(201, PAYMENT);
    const payments = new PaymentsClient({ baseUrl: VENDOR, apiKey: 'sk_test_accord', retries: 0 });
    try {
      await payments.authorize({ amount: 0, currency: 'EUR', reference: 'order-x', token: 'tok_visa_4242' }, { idempotencyKey: 'k-bad' });
    } finally {
      payments.close();
    }
    expect(() => vendor.done()).to.throw(/authorizePayment \(POST \/payments\): the request breaks the contract: body `amount` must be >= 1/);
    nock.cleanAll();
    vendor = await contractNock(VENDOR, { contract: PAYMENTS_CONTRACT, cwd: EXAMPLE_DIR });
  });

  it('an interceptor replying with a field payments.yaml does not have fails the test', () => {
    expect(() => vendor.post('/payments').reply(201, { ...PAYMENT, riskScore: 0.2 })).to.throw(
      'contractNock (contracts/external/payments.yaml): authorizePayment (POST /payments): the 201 reply is not one the vendor sends: response.body `riskScore` is not in the contract',
    );
  });
});
