import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { parseFault, startStub } from '../../../src/stub/index.js';
import type { StartedStub } from '../../../src/stub/index.js';

const CONTRACT = 'examples/orders/contracts/external/payments.yaml';
const AUTH = { authorization: 'Bearer sk_test_accord', 'content-type': 'application/json' };
const AUTHORIZE = { amount: 2598, currency: 'EUR', reference: 'order-1', paymentMethod: { type: 'card', token: 'tok_visa_4242' } };

describe('startStub: the payments vendor served from its contract', () => {
  let stub: StartedStub;
  let dir: string;
  const call = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stub.url}${route}`, { method, headers: { ...AUTH, ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'accord-stub-'));
    stub = await startStub({ contract: CONTRACT, record: path.join(dir, 'exchanges.jsonl') });
  });
  after(async () => {
    await stub?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    stub.setFault('none');
    stub.clearExchanges();
  });

  it("answers a valid authorize with the document's first 2xx example", async () => {
    const sent = await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': 'k-1' });
    expect(sent.status).to.equal(201);
    expect(sent.body).to.include({ id: 'pay_5f1e7c9a2b', status: 'authorized' });
  });

  it('answers 422 problem+json naming a missing required field, and 400 naming a missing header', async () => {
    const { amount: _amount, ...withoutAmount } = AUTHORIZE;
    const body = await call('POST', '/payments', withoutAmount, { 'idempotency-key': 'k-2' });
    expect(body.status).to.equal(422);
    expect(body.type).to.match(/^application\/problem\+json/);
    expect(body.body?.detail).to.equal('authorizePayment (POST /payments): body `amount` is required');
    expect(body.body?.validation).to.deep.equal([{ location: ['body', 'amount'], severity: 'Error', code: 'required', message: '`amount` is required' }]);
    const header = await call('POST', '/payments/pay_5f1e7c9a2b/void', undefined, {});
    expect(header.status).to.equal(400);
    expect(header.body?.detail).to.contain('header `Idempotency-Key` is required');
  });

  it('names a field the vendor does not know, and a nested one that breaks its pattern', async () => {
    const sent = await call('POST', '/payments', { ...AUTHORIZE, tip: 5, paymentMethod: { type: 'card', token: 'visa' } }, { 'idempotency-key': 'k-3' });
    expect(sent.status).to.equal(422);
    const fields = (sent.body?.validation as { location: string[] }[]).map((v) => v.location.join('.'));
    expect(fields).to.have.members(['body.tip', 'body.paymentMethod.token']);
  });

  it('answers 401 with the document example without credentials, 400 for malformed JSON, 404/405 off the contract', async () => {
    const anonymous = await fetch(`${stub.url}/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body: JSON.stringify(AUTHORIZE) });
    expect(anonymous.status).to.equal(401);
    expect(await anonymous.json()).to.include({ title: 'Unauthorized' });
    expect((await call('POST', '/payments', '{"amount":', { 'idempotency-key': 'k-4' })).status).to.equal(400);
    expect((await call('GET', '/refunds')).body).to.include({ status: 404, title: 'NO_PATH_MATCHED' });
    expect((await call('GET', '/payments')).body).to.include({ status: 405, title: 'NO_METHOD_MATCHED' });
  });

  it('picks the answer with Prefer: code=… and example=…, and says so when there is none', async () => {
    const declined = await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': 'k-5', prefer: 'code=402' });
    expect(declined.status).to.equal(402);
    expect(declined.body).to.include({ declineCode: 'insufficient_funds' });
    const named = await call('POST', '/payments/pay_5f1e7c9a2b/void', undefined, { 'idempotency-key': 'k-6', prefer: 'code=409, example=alreadyCaptured' });
    expect(named.status).to.equal(409);
    expect(named.body?.detail).to.contain('cannot be voided');
    const none = await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': 'k-7', prefer: 'code=418' });
    expect(none.status).to.equal(404);
    expect(none.body?.detail).to.contain('has no response for Prefer: code=418');
  });

  it('records every exchange in memory and as JSON lines, credentials redacted', async () => {
    await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': 'k-rec' });
    await call('POST', '/payments', {}, { 'idempotency-key': 'k-rec-2' });
    const [ok, rejected] = stub.exchanges();
    expect(ok).to.deep.include({ operation: 'authorizePayment', outcome: 'example' });
    expect(ok?.request.headers).to.include({ 'idempotency-key': 'k-rec', authorization: 'Bearer [redacted]' });
    expect(rejected).to.deep.include({ outcome: 'rejected' });
    expect(rejected?.response?.status).to.equal(422);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const lines = (await readFile(path.join(dir, 'exchanges.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { request: { headers: Record<string, string> } });
    expect(lines.map((line) => line.request.headers['idempotency-key'])).to.include.members(['k-rec', 'k-rec-2']);
    expect(JSON.stringify(lines)).not.to.contain('sk_test_accord');
  });

  describe('faults switched at run time', () => {
    const admin = (method: string, body?: unknown) => fetch(`${stub.url}/__stub/fault`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    it('error: answers the status with its document example, for `times` requests, then recovers', async () => {
      expect((await admin('PUT', { mode: 'error', status: 503, times: 2 })).status).to.equal(200);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': `k-e${i}` })).status);
      expect(statuses).to.deep.equal([503, 503, 201]);
      expect(stub.exchanges().map((e) => e.outcome)).to.deep.equal(['fault', 'fault', 'example']);
    });

    it('latency: answers late, and only the operations named', async () => {
      await admin('PUT', { mode: 'latency', delayMs: 300, operations: ['authorizePayment'] });
      let started = performance.now();
      expect((await call('POST', '/payments', AUTHORIZE, { 'idempotency-key': 'k-l' })).status).to.equal(201);
      expect(performance.now() - started).to.be.at.least(290);
      started = performance.now();
      await call('POST', '/payments/pay_5f1e7c9a2b/void', undefined, { 'idempotency-key': 'k-l2' });
      expect(performance.now() - started).to.be.below(290);
    });

    it('timeout never answers; reset drops the connection', async () => {
      await admin('PUT', { mode: 'timeout' });
      const hung = await fetch(`${stub.url}/payments`, { method: 'POST', headers: { ...AUTH, 'idempotency-key': 'k-t' }, body: JSON.stringify(AUTHORIZE), signal: AbortSignal.timeout(300) }).then(() => 'answered', (error: Error) => error.name);
      expect(hung).to.equal('TimeoutError');
      await admin('PUT', { mode: 'reset' });
      const reset = await fetch(`${stub.url}/payments`, { method: 'POST', headers: { ...AUTH, 'idempotency-key': 'k-r' }, body: JSON.stringify(AUTHORIZE) }).then(() => 'answered', (error: Error) => (error.cause as { code?: string })?.code ?? error.message);
      expect(reset).to.equal('UND_ERR_SOCKET');
      expect((await (await admin('DELETE')).json()) as object).to.include({ mode: 'none' });
    });

    it('an unknown fault mode is 400 problem+json naming it (and an AccordError in the library)', async () => {
      const refused = await admin('PUT', { mode: 'meltdown' });
      expect(refused.status).to.equal(400);
      expect(((await refused.json()) as { detail: string }).detail).to.equal('unknown fault mode "meltdown": expected one of none, latency, error, timeout, reset');
      expect(() => parseFault({ mode: 'latency', delay: 5 })).to.throw('unknown fault setting `delay`');
      try {
        parseFault('meltdown');
        expect.fail('parseFault accepted an unknown mode');
      } catch (error) {
        expect(isAccordError(error, 'ACCORD_STUB_FAULT_UNKNOWN')).to.equal(true);
      }
      expect(stub.fault().mode).to.equal('none');
    });
  });
});
