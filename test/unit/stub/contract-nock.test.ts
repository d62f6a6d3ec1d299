import { expect } from 'chai';
import nock from 'nock';
import { contractNock } from '../../../src/index.js';

// Importing nock patches http and fetch at once; only this suite's tests should run patched.
nock.restore();

const VENDOR = 'https://api.paywell.example/v2';
const CONTRACT = { contract: 'examples/orders/contracts/external/payments.yaml' };
const PAYMENT = { id: 'pay_5f1e7c9a2b', status: 'authorized', amount: 2598, currency: 'EUR', reference: 'order-1', capturedAmount: 0, createdAt: '2026-12-02T06:00:00Z' };
const AUTHORIZE = { amount: 2598, currency: 'EUR', reference: 'order-1', paymentMethod: { type: 'card', token: 'tok_visa_4242' } };
const HEADERS = { authorization: 'Bearer sk_test_accord', 'content-type': 'application/json', 'idempotency-key': 'key-1' };

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('contractNock: nock held to the vendor contract', () => {
  before(() => {
    nock.activate();
    nock.disableNetConnect();
  });
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  it('serves a mock that matches the contract; done() passes once it was used', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    vendor.post('/payments').reply(201, PAYMENT);
    const answer = await fetch(`${VENDOR}/payments`, { method: 'POST', headers: HEADERS, body: JSON.stringify(AUTHORIZE) });
    expect(answer.status).to.equal(201);
    expect(answer.headers.get('content-type')).to.equal('application/json');
    expect(await answer.json()).to.deep.equal(PAYMENT);
    vendor.done();
  });

  it('refuses a reply with a field the vendor does not send, naming the field and the operation', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    const message = thrown(() => vendor.post('/payments').reply(201, { ...PAYMENT, riskScore: 12 }));
    expect(message).to.equal('contractNock (examples/orders/contracts/external/payments.yaml): authorizePayment (POST /payments): the 201 reply is not one the vendor sends: response.body `riskScore` is not in the contract');
  });

  it('refuses a status the operation does not declare, a missing required field, an unknown operation', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    expect(thrown(() => vendor.post('/payments/pay_123456/void').reply(204))).to.contain('voidPayment (POST /payments/{paymentId}/void): the 204 reply is not one the vendor sends: status 204 is not a status the contract declares (declared: 200, 400, 401, 404, 409, 500, 503)');
    const { id: _id, ...withoutId } = PAYMENT;
    expect(thrown(() => vendor.post('/payments').reply(201, withoutId))).to.contain('response.body `id` is required');
    expect(thrown(() => vendor.post('/refunds'))).to.contain('POST /refunds is not an operation of the contract');
    expect(thrown(() => vendor.get('/payments'))).to.contain('(the path exists with another method)');
    expect(thrown(() => vendor.post('/payments', { ...AUTHORIZE, tip: 1 }))).to.contain('the request body matcher is not a body the vendor accepts: body `tip` is not in the contract');
  });

  it('checks the request that reaches the mock: done() names the missing header and the operation', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    vendor.post('/payments').reply(201, PAYMENT);
    const { 'idempotency-key': _key, ...withoutKey } = HEADERS;
    await fetch(`${VENDOR}/payments`, { method: 'POST', headers: withoutKey, body: JSON.stringify({ ...AUTHORIZE, amount: undefined }) });
    expect(thrown(() => vendor.done())).to.contain('authorizePayment (POST /payments): the request breaks the contract: ').and.to.contain('header `Idempotency-Key` is required').and.to.contain('body `amount` is required');
  });

  it('checks what a reply function answers when it is used, and fails the request', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    vendor.post('/payments').reply((request) => [201, { ...PAYMENT, reference: (request.body as { reference: string }).reference, fraudFlag: false }]);
    const outcome = await fetch(`${VENDOR}/payments`, { method: 'POST', headers: HEADERS, body: JSON.stringify(AUTHORIZE) }).then((r) => `answered ${r.status}`, () => 'failed');
    expect(outcome).to.equal('failed');
    expect(thrown(() => vendor.done())).to.contain('response.body `fraudFlag` is not in the contract');
  });

  it('problem+json errors get their content type, connection errors and delays pass through', async () => {
    const vendor = await contractNock(VENDOR, CONTRACT);
    vendor.post('/payments').reply(503, { type: 'https://paywell.example/problems/unavailable', title: 'Service unavailable', status: 503 });
    vendor.post('/payments').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    vendor.post('/payments').delay(200).reply(201, PAYMENT);
    const first = await fetch(`${VENDOR}/payments`, { method: 'POST', headers: HEADERS, body: JSON.stringify(AUTHORIZE) });
    expect(first.status).to.equal(503);
    expect(first.headers.get('content-type')).to.equal('application/problem+json');
    expect(await fetch(`${VENDOR}/payments`, { method: 'POST', headers: HEADERS, body: JSON.stringify(AUTHORIZE) }).then(() => 'answered', () => 'reset')).to.equal('reset');
    const slow = await fetch(`${VENDOR}/payments`, { method: 'POST', headers: HEADERS, body: JSON.stringify(AUTHORIZE), signal: AbortSignal.timeout(50) }).then(() => 'answered', (e: Error) => e.name);
    expect(slow).to.equal('TimeoutError');
  });
});
