import { expect } from 'chai';
import type { Answer } from './helpers/http.js';
import { request } from './helpers/http.js';
import type { RunningServiceB } from './helpers/service-b.js';
import { authHeaders, startServiceB } from './helpers/service-b.js';

describe('service-b: reservations and items against real PostgreSQL and Redis', () => {
  let b: RunningServiceB;

  before(async () => {
    b = await startServiceB('b_reservations');
  });
  after(async () => {
    await b?.stop();
  });
  beforeEach(async () => {
    await b.reset();
  });

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = authHeaders()) => request(b.url + path, method, body, headers);
  const reserve = (body: unknown, extra: Record<string, string> = {}) => send('POST', '/reservations', body, authHeaders(extra));
  const stockOf = async (sku: string) => (await b.pool.query<{ stock: number }>('SELECT stock FROM items WHERE sku = $1', [sku])).rows[0]?.stock;
  const expectProblem = (sent: Answer, status: number) => {
    expect(sent.status).to.equal(status);
    expect(sent.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(sent.body).to.include({ status });
    expect(sent.body).to.have.all.keys('type', 'title', 'status', 'detail', 'correlationId');
  };

  it('reserves stock: 201, the row carries the tracing fields, stock goes down', async () => {
    const sent = await reserve({ sku: 'SKU-001', quantity: 3 }, { 'idempotency-key': 'key-happy', 'x-correlation-id': 'corr-happy', 'x-source-service': 'service-a' });
    expect(sent.status).to.equal(201);
    expect(sent.body).to.include({ sku: 'SKU-001', quantity: 3, status: 'active', correlationId: 'corr-happy', sourceService: 'service-a', idempotencyKey: 'key-happy' });
    expect(sent.body.id).to.match(/^[0-9a-f-]{36}$/);
    expect(sent.headers.get('x-correlation-id')).to.equal('corr-happy');
    const { rows } = await b.pool.query('SELECT sku, quantity, status, correlation_id, source_service, idempotency_key FROM reservations WHERE id = $1', [sent.body.id]);
    expect(rows).to.deep.equal([{ sku: 'SKU-001', quantity: 3, status: 'active', correlation_id: 'corr-happy', source_service: 'service-a', idempotency_key: 'key-happy' }]);
    expect(await stockOf('SKU-001')).to.equal(97);

    const fetched = await send('GET', `/reservations/${sent.body.id as string}`);
    expect(fetched.status).to.equal(200);
    expect(fetched.body).to.deep.equal(sent.body);
  });

  it('stores null tracing fields when the caller sends none', async () => {
    const sent = await reserve({ sku: 'SKU-001', quantity: 1 });
    expect(sent.status).to.equal(201);
    expect(sent.body).to.include({ correlationId: null, sourceService: null, idempotencyKey: null });
    expect(sent.headers.get('x-correlation-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 problem+json for an unknown sku, item or reservation', async () => {
    expectProblem(await reserve({ sku: 'SKU-NOPE', quantity: 1 }), 404);
    expectProblem(await send('GET', '/items/SKU-NOPE'), 404);
    expectProblem(await send('GET', '/reservations/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await send('GET', '/reservations/not-a-uuid'), 404);
    expectProblem(await send('DELETE', '/reservations/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await send('GET', '/no-such-route'), 404);
  });

  it('answers 409 when the stock is insufficient and leaves it unchanged', async () => {
    const empty = await reserve({ sku: 'SKU-EMPTY', quantity: 1 });
    expectProblem(empty, 409);
    expect(empty.body.detail).to.equal('item SKU-EMPTY has 0 in stock, 1 requested');
    expectProblem(await reserve({ sku: 'SKU-LOW', quantity: 2 }), 409);
    expect(await stockOf('SKU-LOW')).to.equal(1);
    const { rows } = await b.pool.query('SELECT count(*)::int AS n FROM reservations');
    expect(rows[0].n).to.equal(0);
  });

  it('answers 400 problem+json for each kind of invalid request', async () => {
    const cases: Array<[string, unknown, Record<string, string>?]> = [
      ['sku not matching the pattern', { sku: 'sku-1', quantity: 1 }],
      ['sku too short', { sku: 'AB', quantity: 1 }],
      ['quantity 0', { sku: 'SKU-001', quantity: 0 }],
      ['quantity 1001', { sku: 'SKU-001', quantity: 1001 }],
      ['quantity not an integer', { sku: 'SKU-001', quantity: 1.5 }],
      ['quantity as a string', { sku: 'SKU-001', quantity: '2' }],
      ['quantity missing', { sku: 'SKU-001' }],
      ['body not an object', [1, 2]],
      ['malformed JSON', '{"sku": '],
      ['empty Idempotency-Key', { sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': '' }],
      ['Idempotency-Key of 129 characters', { sku: 'SKU-001', quantity: 1 }, { 'idempotency-key': 'k'.repeat(129) }],
    ];
    for (const [name, body, headers] of cases) {
      const sent = await reserve(body, headers);
      expect(sent.status, name).to.equal(400);
      expectProblem(sent, 400);
    }
    expect(await stockOf('SKU-001')).to.equal(100);
    // The limits themselves are accepted.
    expect((await reserve({ sku: 'SKU-001', quantity: 100 }, { 'idempotency-key': 'k'.repeat(128) })).status).to.equal(201);
  });

  it('replays a repeated Idempotency-Key: 200 with the first reservation, one decrement', async () => {
    const first = await reserve({ sku: 'SKU-LOW', quantity: 1 }, { 'idempotency-key': 'key-replay' });
    expect(first.status).to.equal(201);
    // The stock is now 0: a replay must still answer with the reservation, not 409.
    const again = await reserve({ sku: 'SKU-LOW', quantity: 1 }, { 'idempotency-key': 'key-replay' });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect(await stockOf('SKU-LOW')).to.equal(0);
  });

  it('lets exactly one of many concurrent first attempts with the same key reserve', async () => {
    const sent = await Promise.all(Array.from({ length: 10 }, () => reserve({ sku: 'SKU-001', quantity: 5 }, { 'idempotency-key': 'key-race' })));
    expect(sent.filter((s) => s.status === 201)).to.have.length(1);
    expect(sent.filter((s) => s.status === 200)).to.have.length(9);
    expect(new Set(sent.map((s) => s.body.id)).size).to.equal(1);
    expect(await stockOf('SKU-001')).to.equal(95);
  });

  it('never oversells under concurrent reservations', async () => {
    await b.pool.query("UPDATE items SET stock = 5 WHERE sku = 'SKU-002'");
    const sent = await Promise.all(Array.from({ length: 20 }, () => reserve({ sku: 'SKU-002', quantity: 1 })));
    expect(sent.filter((s) => s.status === 201)).to.have.length(5);
    expect(sent.filter((s) => s.status === 409)).to.have.length(15);
    expect(await stockOf('SKU-002')).to.equal(0);
  });

  it('releases a reservation once: stock restored, a second release is a 200 no-op', async () => {
    const reserved = await reserve({ sku: 'SKU-001', quantity: 10 });
    expect(await stockOf('SKU-001')).to.equal(90);
    const id = reserved.body.id as string;
    const releases = await Promise.all([send('DELETE', `/reservations/${id}`), send('DELETE', `/reservations/${id}`)]);
    for (const released of releases) {
      expect(released.status).to.equal(200);
      expect(released.body).to.include({ id, status: 'released' });
    }
    expect(await stockOf('SKU-001')).to.equal(100);
    // Some clients label even a bodiless DELETE as JSON; that is not a malformed body.
    const again = await send('DELETE', `/reservations/${id}`, undefined, authHeaders({ 'content-type': 'application/json' }));
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ status: 'released' });
    expect(await stockOf('SKU-001')).to.equal(100);
    expect((await send('GET', `/reservations/${id}`)).body).to.include({ status: 'released' });
  });

  it('answers 401 problem+json without the right bearer token, except on /health', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic dGVzdA==' }]) {
      const sent = await send('GET', '/items/SKU-001', undefined, headers);
      expectProblem(sent, 401);
      expect(sent.headers.get('www-authenticate')).to.equal('Bearer');
    }
    expectProblem(await send('POST', '/reservations', { sku: 'SKU-001', quantity: 1 }, {}), 401);
    expect(await stockOf('SKU-001')).to.equal(100);
    const health = await send('GET', '/health', undefined, {});
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.equal({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('logs JSON lines with service and correlationId on every line of a request', async () => {
    await reserve({ sku: 'SKU-001', quantity: 1 }, { 'x-correlation-id': 'corr-logs' });
    const lines = b.logs.lines.filter((line) => line.correlationId === 'corr-logs');
    expect(lines.map((line) => line.event)).to.include.members(['http.request', 'db.query', 'cache.invalidate', 'http.response']);
    expect(b.logs.lines.every((line) => line.service === 'service-b')).to.equal(true);
    // Every line logged during the request belongs to it.
    expect(b.logs.lines.filter((line) => line.correlationId !== 'corr-logs')).to.deep.equal([]);
    const response = b.logs.events('http.response')[0];
    expect(response).to.include({ statusCode: 201, method: 'POST', url: '/reservations' });
    expect(response?.durationMs).to.be.a('number');
    const query = b.logs.events('db.query').find((line) => String(line.sql).includes('UPDATE items'));
    expect(query?.durationMs).to.be.a('number');
    expect(JSON.stringify(b.logs.lines)).not.to.include('test-token-for-service-b');
  });
});
