import { resolve } from 'node:path';
import { expect } from 'chai';
import { loadResponseConformance } from '../../../src/pact/index.js';
import type { RecordedExchange, ResponseConformance } from '../../../src/pact/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const item = { sku: 'WIDGET-1', name: 'Widget', stock: 40, priceCents: 1299, updatedAt: '2026-01-15T10:00:00.000Z' };
const exchange = (overrides: Partial<RecordedExchange>): RecordedExchange => ({ method: 'GET', path: '/items/WIDGET-1', status: 200, headers: JSON_TYPE, body: JSON.stringify(item), ...overrides });

describe('response conformance to contracts/service-a-to-b.yaml', () => {
  let contract: ResponseConformance;
  before(async () => {
    contract = await loadResponseConformance(resolve(ROOT, 'examples/orders/contracts/service-a-to-b.yaml'), ROOT);
  });

  it('accepts a response that matches its operation, status, media type and schema', () => {
    expect(contract.check(exchange({}))).to.deep.equal([]);
  });

  it('names the field and the schema rule a body breaks', () => {
    const [violation, ...rest] = contract.check(exchange({ body: JSON.stringify({ ...item, stock: -1 }) }));
    expect(rest).to.deep.equal([]);
    expect(violation).to.deep.equal({
      attribute: 'contract',
      location: '$.stock',
      message: 'GET /items/WIDGET-1 → 200: $.stock must be >= 0 (schema of GET /items/{sku} 200 in examples/orders/contracts/service-a-to-b.yaml)',
    });
    expect(contract.check(exchange({ body: JSON.stringify({ sku: 'WIDGET-1' }) })).map((v) => v.location)).to.deep.equal(['$.name', '$.stock', '$.priceCents', '$.updatedAt']);
  });

  it('flags an undocumented status, a wrong media type and an unknown operation', () => {
    expect(contract.check(exchange({ status: 418 }))[0]).to.include({ location: 'status' });
    expect(contract.check(exchange({ headers: { 'content-type': 'text/html' } }))[0]).to.include({ location: 'Content-Type' });
    expect(contract.check(exchange({ method: 'PATCH' }))[0]).to.include({ location: 'path' });
  });

  it('checks problem documents against the error schema', () => {
    const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no item', correlationId: 'c-1' };
    const ok = exchange({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(problem) });
    expect(contract.check(ok)).to.deep.equal([]);
    const broken = exchange({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ ...problem, status: '404' }) });
    expect(contract.check(broken).map((v) => v.location)).to.deep.equal(['$.status']);
  });
});
