import { expect } from 'chai';
import { diffDocuments, renderDiffGithub, renderDiffText, toDiffStep } from '../../../src/contract/index.js';
import type { OpenApiDocument } from '../../../src/contract/index.js';

function api(version: string, description = 'Lists the orders.', extra: Record<string, unknown> = {}): OpenApiDocument {
  return {
    openapi: '3.0.3',
    info: { title: 'orders', version },
    paths: { '/orders': { get: { description, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, ...extra } } } } } } } } },
  } as OpenApiDocument;
}

describe('contract diff verdict: the version and the changes that ask for the bump', () => {
  it('reports api-version-decreased when the version went down and nothing else changed', () => {
    const result = diffDocuments(api('1.2.0'), api('1.1.0'));
    expect(result.changes.map((change) => change.id)).to.deep.equal(['api-version-decreased']);
    expect(result.ok).to.equal(false);
    // ...and when other things changed too.
    const changed = diffDocuments(api('1.2.0'), api('1.1.0', 'Lists them.'));
    expect(changed.changes.map((change) => change.id)).to.include('api-version-decreased');
    // Going up with nothing changed is fine.
    expect(diffDocuments(api('1.2.0'), api('1.3.0')).ok).to.equal(true);
  });

  it('names the text that asks for a patch bump', () => {
    const result = diffDocuments(api('1.2.0'), api('1.2.0', 'Lists every order.'));
    expect(result.requiredBump).to.equal('patch');
    expect(result.ok).to.equal(false);
    expect(result.requiredBy.map((change) => change.location)).to.deep.equal(['#/paths/~1orders/get/description']);
    const text = renderDiffText(result, 'a.yaml', 'b.yaml');
    expect(text).to.contain('required bump patch, NOT ENOUGH');
    expect(text).to.contain('required patch by: api-text-changed (#/paths/~1orders/get/description)');
  });

  it('the gate step and the GitHub annotations name it too', () => {
    const result = diffDocuments(api('1.2.0'), api('1.2.0', 'Lists every order.'));
    const step = toDiffStep(result, { base: 'a.yaml', revision: 'b.yaml' });
    expect(step.checks[0]?.message).to.equal('no breaking change; required bump patch; version 1.2.0 → 1.2.0 is not enough (required by: api-text-changed (#/paths/~1orders/get/description))');
    expect(renderDiffGithub(result, undefined)).to.match(/^::error title=contract diff::.*required patch by: api-text-changed \(#\/paths\/~1orders\/get\/description\)/m);
  });

  it('names each breaking change that asks for a major bump, and only those', () => {
    const revision = api('1.3.0');
    // `id` loses its place in the response (breaking) and POST /orders arrives (an addition).
    (revision.paths as Record<string, unknown>)['/orders'] = { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } } } }, post: { responses: { '201': { description: 'created' } } } } as never;
    const result = diffDocuments(api('1.2.0'), revision);
    expect(result.requiredBump).to.equal('major');
    expect(result.changes.map((change) => change.id)).to.include('endpoint-added');
    expect(result.requiredBy.map((change) => `${change.id} ${change.operation ?? ''}`)).to.deep.equal(['response-required-property-removed GET /orders']);
    expect(renderDiffText(result, 'a', 'b')).to.contain('required major by: response-required-property-removed (GET /orders)');
    // A minor bump names the additions.
    const minor = diffDocuments(api('1.2.0'), { ...api('1.2.0'), paths: { ...api('1.2.0').paths, '/items': { get: { responses: { '200': { description: 'ok' } } } } } } as OpenApiDocument);
    expect(minor.requiredBump).to.equal('minor');
    expect(minor.requiredBy.map((change) => `${change.id} ${change.operation ?? ''}`)).to.deep.equal(['endpoint-added GET /items']);
  });
});
