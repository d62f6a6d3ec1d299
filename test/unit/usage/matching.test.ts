import { expect } from 'chai';
import { diffDocuments, renderDiffGithub } from '../../../src/contract/index.js';
import type { ContractChange, DiffPolicy } from '../../../src/contract/index.js';
import type { PactJson } from '../../../src/pact-file/index.js';
import { annotateDiff, fieldPaths, pactInteractions } from '../../../src/usage/index.js';
import type { ConsumerPact, HttpInteraction } from '../../../src/usage/index.js';

// Pact matchers as the consumer DSLs write them inline (pact-js V3 integration JSON, Ruby/V2 classes).
const like = (value: unknown) => ({ 'pact:matcher:type': 'type', value });
const eachLike = (template: unknown) => ({ 'pact:matcher:type': 'type', min: 1, value: [template] });
const regex = (pattern: string, value: string) => ({ 'pact:matcher:type': 'regex', regex: pattern, value });

describe('usage: which fields a pact sends and reads', () => {
  it('reads through like, eachLike and regex, into nested objects and arrays', () => {
    const body = like({ order: like({ id: regex('^o-', 'o-1'), lines: eachLike({ sku: 'A', tags: eachLike('x') }) }), total: 3 });
    expect([...fieldPaths(body)].sort()).to.deep.equal(['', 'order', 'order.id', 'order.lines', 'order.lines[]', 'order.lines[].sku', 'order.lines[].tags', 'order.lines[].tags[]', 'total']);
  });

  it('reads the Ruby/V2 matcher classes and plain example values alike', () => {
    const body = { json_class: 'Pact::SomethingLike', contents: { items: { json_class: 'Pact::ArrayLike', contents: { id: { json_class: 'Pact::Term', data: { generate: '1', matcher: { s: '\\d' } } } } } } };
    expect([...fieldPaths(body)].sort()).to.deep.equal(['', 'items', 'items[]', 'items[].id']);
    // Arrays of example values merge their elements: reading items[1].b reads every item's b.
    expect(fieldPaths({ items: [{ a: 1 }, { b: 2 }] }).has('items[].b')).to.equal(true);
  });

  it('reads query (V2 string, V3 object), headers, request and response bodies (V3 and V4 shapes)', () => {
    const pact = pactOf('web', [
      { description: 'v2 search', request: { method: 'get', path: '/orders', query: 'status=open&limit=5', headers: { 'X-Tenant': 't' } }, response: { status: 200, body: [{ id: 1 }] } },
      { type: 'Synchronous/HTTP', description: 'v4 create', request: { method: 'POST', path: '/orders', query: { dryRun: ['true'] }, body: { content: { sku: 'A', lines: [{ qty: 1 }] }, contentType: 'application/json', encoded: false } }, response: { status: 201, headers: { Location: ['/orders/1'] }, body: { content: { id: 'o-1' }, contentType: 'application/json', encoded: false } } },
    ]);
    const [search, create] = pactInteractions(pact) as HttpInteraction[];
    expect([...(search?.query ?? [])]).to.deep.equal(['status', 'limit']);
    expect(search?.headers.has('x-tenant')).to.equal(true);
    expect(search?.requestBody).to.equal(undefined);
    expect(search?.responseBody?.has('[].id')).to.equal(true);
    expect(create?.method).to.equal('POST');
    expect([...(create?.query ?? [])]).to.deep.equal(['dryRun']);
    expect(create?.requestBody?.has('lines[].qty')).to.equal(true);
    expect(create?.responseHeaders.has('location')).to.equal(true);
    expect(create?.responseBody?.has('id')).to.equal(true);
  });
});

// ----------------------------------------------------------------- changes → consumers

const ORDER = {
  type: 'object',
  required: ['id', 'lines'],
  properties: {
    id: { type: 'string' },
    note: { type: 'string' },
    lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
  },
};

function api(edit: (document: Record<string, any>) => void = () => undefined): Record<string, unknown> {
  const document: Record<string, any> = {
    openapi: '3.0.3',
    info: { title: 'orders', version: '1.0.0' },
    paths: {
      '/orders': {
        get: {
          parameters: [{ name: 'status', in: 'query', schema: { type: 'string' } }, { name: 'X-Tenant', in: 'header', schema: { type: 'string' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } } },
        },
        post: {
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { sku: { type: 'string' }, gift: { type: 'boolean' } } } } } },
          responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }, '409': { description: 'conflict' } },
        },
      },
      '/orders/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } } } },
      '/orders/search': { get: { responses: { '200': { description: 'ok' } } } },
    },
    components: { schemas: { Order: structuredClone(ORDER), Line: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } } },
  };
  edit(document);
  return document;
}

const web = pactOf('web', [
  { description: 'list open orders', request: { method: 'GET', path: '/orders', query: { status: ['open'] } }, response: { status: 200, body: eachLike({ id: 'o-1', lines: eachLike({ sku: regex('^[A-Z]+$', 'A') }) }) } },
  { description: 'create an order', request: { method: 'POST', path: '/orders', body: { sku: 'A' } }, response: { status: 201, body: like({ id: 'o-1' }) } },
]);
const mobile = pactOf('mobile', [
  { description: 'one order', request: { method: 'GET', path: '/orders/o-1', headers: { 'x-tenant': 't' } }, response: { status: 200, body: { id: 'o-1', note: 'n' } } },
  { description: 'a duplicate order', request: { method: 'POST', path: '/orders', body: { sku: 'A', gift: true } }, response: { status: 409 } },
  { description: 'search', request: { method: 'GET', path: '/orders/search' }, response: { status: 200 } },
]);

/** Who each change touches: `rule operation → consumers`. */
function touched(revision: Record<string, unknown>, policy: DiffPolicy = 'consumers') {
  const base = api();
  const result = annotateDiff(diffDocuments(base as never, revision as never, { policy }), { base, revision }, [web, mobile], 'test pacts');
  const rows = result.changes.filter((change) => change.id !== 'api-version-not-bumped').map((change: ContractChange) => `${change.id} ${change.operation ?? '-'} → ${(change.consumers ?? []).map((touch) => touch.consumer).join(',') || 'none'}`);
  return { rows, result };
}

describe('usage: the consumers a change touches', () => {
  it('a removed response field touches the consumers that match it, through eachLike, regex and $ref nesting', () => {
    const { rows, result } = touched(api((d) => {
      delete d.components.schemas.Line.properties.sku;
      d.components.schemas.Line.required = [];
    }));
    // GET /orders reads lines[].sku (web); POST /orders 201 reads only id; GET /orders/{id} reads no lines.
    expect(rows.filter((row) => row.startsWith('response-required-property-removed'))).to.deep.equal([
      'response-required-property-removed GET /orders → web',
      'response-required-property-removed GET /orders/{id} → none',
      'response-required-property-removed POST /orders → none',
    ]);
    expect(result.ok).to.equal(false);
    expect(result.consumers.affected).to.deep.equal([{ consumer: 'web', version: null }]);
    expect(result.consumers.checked.map((ref) => ref.consumer)).to.deep.equal(['mobile', 'web']);
    // GitHub annotations carry who is touched, or that nobody is.
    const github = renderDiffGithub(result, undefined);
    expect(github).to.match(/^::error title=response-required-property-removed::GET \/orders: .* \(web\)$/m);
    expect(github).to.match(/^::error title=response-required-property-removed::POST \/orders: .* \(breaking, no current consumer affected\)$/m);
  });

  it('an optional field only one consumer reads: that consumer, and the policy fails on it alone', () => {
    const { rows, result } = touched(api((d) => {
      delete d.components.schemas.Order.properties.note;
    }));
    expect(rows.filter((row) => row.includes('GET /orders/{id}'))).to.deep.equal(['response-optional-property-removed GET /orders/{id} → mobile']);
    expect(rows.filter((row) => row.includes('GET /orders →'))).to.deep.equal(['response-optional-property-removed GET /orders → none']);
    // Removing an optional response property is a warning, not breaking: nothing for the policy to fail on.
    expect(result.ok).to.equal(true);
  });

  it('a breaking change no consumer touches passes the consumers policy; semver still asks for the major bump', () => {
    // POST /orders 201 loses `lines`: web reads only its `id`, mobile expects a 409 there.
    const narrowed = () => api((d) => {
      d.paths['/orders'].post.responses['201'].content['application/json'].schema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
    });
    const untouched = touched(narrowed());
    expect(untouched.rows).to.include('response-required-property-removed POST /orders → none');
    expect(untouched.result.breaking).to.equal(true);
    expect(untouched.result.requiredBump).to.equal('major');
    expect(untouched.result.ok).to.equal(true);
    expect(untouched.result.consumers.affected).to.deep.equal([]);
    expect(touched(narrowed(), 'semver').result.ok).to.equal(false);
    // The same revision with a field web reads removed too: now it fails, on web.
    const both = touched(api((d) => {
      d.paths['/orders'].post.responses['201'].content['application/json'].schema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
      d.components.schemas.Line.properties.sku = { type: 'integer' };
    }));
    expect(both.result.ok).to.equal(false);
    expect(both.result.consumers.affected.map((ref) => ref.consumer)).to.deep.equal(['web']);
  });

  it('query and header parameters: a removal touches who sends it, a new requirement who does not', () => {
    const removed = touched(api((d) => {
      d.paths['/orders'].get.parameters = [{ name: 'X-Tenant', in: 'header', schema: { type: 'string' } }];
    })).rows;
    expect(removed.filter((row) => row.startsWith('request-parameter-removed'))).to.deep.equal(['request-parameter-removed GET /orders → web']);
    const required = touched(api((d) => {
      d.paths['/orders/{id}'].get.parameters.push({ name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } });
      d.paths['/orders'].get.parameters.push({ name: 'page', in: 'query', required: true, schema: { type: 'integer' } });
    })).rows;
    // mobile already sends x-tenant; web does not send `page`.
    expect(required).to.include('new-required-request-parameter GET /orders/{id} → none');
    expect(required).to.include('new-required-request-parameter GET /orders → web');
  });

  it('request bodies: a narrowed property touches who sends it, a new required one who sends the body without it', () => {
    const { rows } = touched(api((d) => {
      const schema = d.paths['/orders'].post.requestBody.content['application/json'].schema;
      schema.properties.gift = { type: 'string' };
      schema.properties.channel = { type: 'string' };
      schema.required = ['channel'];
    }));
    expect(rows.filter((row) => row.includes('gift') || row.startsWith('request-property-type-changed'))).to.deep.equal(['request-property-type-changed POST /orders → mobile']);
    expect(rows).to.include('new-required-request-property POST /orders → mobile,web');
  });

  it('a removed response status touches who expects it; a removed operation everyone who calls it; the literal path wins over a template', () => {
    const status = touched(api((d) => {
      delete d.paths['/orders'].post.responses['409'];
    })).rows;
    expect(status).to.include('response-non-success-status-removed POST /orders → mobile');
    const gone = touched(api((d) => {
      delete d.paths['/orders/search'];
    })).rows;
    expect(gone).to.deep.equal(['api-path-removed-without-deprecation GET /orders/search → mobile']);
  });
});

describe('usage: message contracts', () => {
  const asyncapi = (payload: Record<string, unknown>) => ({
    asyncapi: '3.0.0',
    info: { title: 'events', version: '1.0.0' },
    channels: { orders: { address: 'orders.events', messages: { created: { name: 'order.created', payload } } } },
  });
  const payload = { type: 'object', required: ['id', 'total'], properties: { id: { type: 'string' }, total: { type: 'integer' }, lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } } } };
  const reader = (name: string, content: unknown): ConsumerPact => ({
    consumer: name,
    version: '1.0.0',
    label: `${name}.json`,
    pact: { consumer: { name }, provider: { name: 'orders' }, interactions: [{ type: 'Asynchronous/Messages', description: 'an order.created event', contents: { content, contentType: 'application/json', encoded: false }, metadata: { eventType: 'order.created', stream: 'orders.events' } }] } as PactJson,
  });

  it('a payload field removed from an AsyncAPI message touches the message pacts that read it', () => {
    const base = asyncapi(payload);
    const revision = asyncapi({ ...payload, required: ['id'], properties: { id: { type: 'string' }, lines: payload.properties.lines } });
    const result = annotateDiff(diffDocuments(base as never, revision as never, { policy: 'consumers' }), { base, revision }, [reader('billing', { id: 'o', total: 3 }), reader('search', eachLike({ id: 'o' }))], 'pacts');
    const removed = result.changes.find((change) => change.id === 'response-required-property-removed');
    expect(removed?.consumers?.map((touch) => `${touch.consumer} ${touch.version ?? ''}`)).to.deep.equal(['billing 1.0.0']);
    expect(result.ok).to.equal(false);
    expect(result.consumers.affected).to.deep.equal([{ consumer: 'billing', version: '1.0.0' }]);
  });
});

function pactOf(consumer: string, interactions: unknown[]): ConsumerPact {
  return { consumer, version: null, label: `${consumer}.json`, pact: { consumer: { name: consumer }, provider: { name: 'orders' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } } as PactJson };
}
