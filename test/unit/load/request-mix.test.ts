import { expect } from 'chai';
import { createRequestMix, poolsUsedBy } from '../../../src/load/index.js';
import type { RequestTemplate } from '../../../src/load/index.js';

const template = (overrides: Partial<RequestTemplate>): RequestTemplate => ({
  name: 'GET /',
  weight: 1,
  method: 'GET',
  path: '/',
  headers: {},
  body: undefined,
  expect: [],
  capture: {},
  ...overrides,
});

/** A deterministic random source (mulberry32), so the weight test counts, not samples. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('createRequestMix', () => {
  it('picks templates in proportion to their weights', () => {
    const mix = createRequestMix([template({ name: 'a', weight: 3 }), template({ name: 'b', weight: 1 })], { random: seeded(7) });
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) {
      const endpoint = mix.next().endpoint;
      counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    }
    expect((counts.a ?? 0) / 4000).to.be.closeTo(0.75, 0.03);
  });

  it('fills data, uuid and seq placeholders in path, headers and body', () => {
    const mix = createRequestMix(
      [template({ method: 'POST', path: '/orders/{{seq}}', headers: { 'Idempotency-Key': 'k-{{uuid}}' }, body: { sku: '{{sku}}', quantity: 1, tags: ['{{sku}}'] } })],
      { data: { sku: ['SKU-1'] } },
    );
    const request = mix.next();
    expect(request.path).to.equal('/orders/1');
    expect(request.headers['Idempotency-Key']).to.match(/^k-[0-9a-f-]{36}$/);
    expect(JSON.parse(request.body ?? '')).to.deep.equal({ sku: 'SKU-1', quantity: 1, tags: ['SKU-1'] });
    expect(request.headers['content-type']).to.equal('application/json');
  });

  it('captures response fields and reuses them; take removes, pick keeps', () => {
    const create = template({ name: 'create', weight: 1, method: 'POST', path: '/orders', capture: { orders: 'order.id' } });
    const cancel = template({ name: 'cancel', weight: 1000, method: 'DELETE', path: '/orders/{{take:orders}}' });
    const read = template({ name: 'read', weight: 1000, path: '/orders/{{pick:orders}}' });
    expect(poolsUsedBy(cancel)).to.deep.equal(['orders']);

    const takeMix = createRequestMix([create, cancel], { random: () => 0.9 });
    // The pool is empty, so the heaviest request that needs no pool is sent instead.
    expect(takeMix.next().endpoint).to.equal('create');
    takeMix.capture(create, { order: { id: 'o-1' } });
    const cancelled = takeMix.next();
    expect(cancelled.path).to.equal('/orders/o-1');
    expect(takeMix.poolSizes()).to.deep.equal({ orders: 0 });

    const pickMix = createRequestMix([create, read], { random: () => 0.9 });
    pickMix.capture(create, { order: { id: 'o-2' } });
    expect(pickMix.next().path).to.equal('/orders/o-2');
    expect(pickMix.next().path).to.equal('/orders/o-2');
    expect(pickMix.poolSizes()).to.deep.equal({ orders: 1 });
  });

  it('keeps a pool bounded, forgetting the oldest values', () => {
    const create = template({ capture: { ids: 'id' } });
    const mix = createRequestMix([create], { poolLimit: 3 });
    for (let i = 0; i < 10; i++) mix.capture(create, { id: i });
    expect(mix.poolSizes()).to.deep.equal({ ids: 3 });
  });
});
