import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { diffDocuments, parseContract } from '../../../src/contract/index.js';
import type { DiffResult } from '../../../src/contract/index.js';
import { REPO_ROOT } from './repo-root.js';

type Doc = Record<string, any>;

const CONTRACT = path.join(REPO_ROOT, 'examples/orders/contracts/service-a-to-b.yaml');

function ourContract(): Doc {
  return parseContract({ label: CONTRACT, file: CONTRACT, text: readFileSync(CONTRACT, 'utf8') }).document as Doc;
}

/** Diffs our contract against a copy changed by `mutate`, with the revision's version set to `version`. */
function diffMutation(version: string, mutate: (doc: Doc) => void, policy: 'semver' | 'none' = 'semver'): DiffResult {
  const base = ourContract();
  const revision = structuredClone(base);
  mutate(revision);
  revision.info.version = version;
  return diffDocuments(base, revision, { policy });
}

function ids(result: DiffResult): string[] {
  return result.changes.map((change) => change.id);
}

describe('contract diff on real mutations of contracts/service-a-to-b.yaml', () => {
  it('the contract against itself: no changes, nothing to bump, ok', () => {
    const result = diffMutation('1.2.0', () => {});
    expect(result).to.deep.include({ breaking: false, requiredBump: 'none', ok: true, changes: [] });
  });

  const breakingCases: [name: string, id: string, operation: string, mutate: (doc: Doc) => void][] = [
    ['a required property removed from a response', 'response-required-property-removed', 'GET /items/{sku}', (doc) => {
      delete doc.components.schemas.Item.properties.name;
      doc.components.schemas.Item.required = ['sku', 'stock', 'priceCents', 'updatedAt'];
    }],
    ['a new required request property', 'new-required-request-property', 'POST /reservations', (doc) => {
      doc.components.schemas.ReservationRequest.properties.customerId = { type: 'string' };
      doc.components.schemas.ReservationRequest.required.push('customerId');
    }],
    ['a response status removed', 'response-success-status-removed', 'POST /reservations', (doc) => {
      delete doc.paths['/reservations'].post.responses['201'];
    }],
    ['a response property type changed', 'response-property-type-changed', 'GET /items/{sku}', (doc) => {
      doc.components.schemas.Item.properties.stock = { type: 'string' };
    }],
    ['a path removed', 'api-path-removed-without-deprecation', 'GET /reservations/{id}', (doc) => {
      delete doc.paths['/reservations/{id}'];
    }],
    ['a free-text request header restricted to an enum', 'request-parameter-became-enum', 'POST /reservations', (doc) => {
      doc.components.parameters.SourceService.schema = { type: 'string', enum: ['orders'] };
    }],
    ['a request property narrowed (maximum decreased)', 'request-property-max-decreased', 'POST /reservations', (doc) => {
      doc.components.schemas.ReservationRequest.properties.quantity.maximum = 100;
    }],
    ['a response property that became nullable', 'response-property-became-nullable', 'GET /items/{sku}', (doc) => {
      doc.components.schemas.Item.properties.name = { type: ['string', 'null'] };
    }],
  ];
  for (const [name, id, operation, mutate] of breakingCases) {
    it(`${name}: ${id} (error), major bump required, a minor bump fails`, () => {
      const result = diffMutation('1.3.0', mutate);
      const change = result.changes.find((item) => item.id === id && item.operation === operation);
      expect(change, `${id} on ${operation} in ${ids(result).join(', ')}`).to.include({ level: 'error' });
      expect(result).to.include({ breaking: true, requiredBump: 'major', ok: false });
      expect(ids(result)).to.include('api-major-version-not-bumped');
      expect(diffMutation('2.0.0', mutate).ok, 'the same change with a major bump passes semver').to.equal(true);
      expect(diffMutation('2.0.0', mutate, 'none').ok, 'policy none refuses it whatever the version').to.equal(false);
    });
  }

  it('a request enum value removed: request-parameter-enum-value-removed (error)', () => {
    const base = ourContract();
    base.components.parameters.SourceService.schema = { type: 'string', enum: ['orders', 'billing'] };
    const revision = structuredClone(base);
    revision.components.parameters.SourceService.schema = { type: 'string', enum: ['orders'] };
    revision.info.version = '2.0.0';
    const result = diffDocuments(base, revision);
    expect(result.changes.map((change) => [change.id, change.level])).to.deep.include(['request-parameter-enum-value-removed', 'error']);
  });

  it('a response enum value removed is not breaking (consumers never see it again): info, minor', () => {
    const result = diffMutation('1.3.0', (doc) => {
      doc.components.schemas.Health.properties.status.enum = ['ok', 'down'];
    });
    expect(result.changes.map((change) => [change.id, change.level])).to.deep.include(['response-property-enum-value-removed', 'info']);
    expect(result).to.include({ breaking: false, requiredBump: 'minor', ok: true });
  });

  it('additive changes (new endpoint, optional request field, optional response field) pass with a minor bump', () => {
    const additive = (doc: Doc): void => {
      doc.paths['/items'] = { get: { operationId: 'listItems', responses: { '200': { description: 'All items.', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } } } } } };
      doc.components.schemas.ReservationRequest.properties.note = { type: 'string', maxLength: 200 };
      doc.components.schemas.Item.properties.category = { type: 'string' };
    };
    const result = diffMutation('1.3.0', additive);
    expect(ids(result)).to.include.members(['endpoint-added', 'new-optional-request-property', 'response-optional-property-added']);
    expect(result.changes.every((change) => change.level === 'info')).to.equal(true);
    expect(result).to.deep.include({ breaking: false, requiredBump: 'minor', ok: true, version: { base: '1.2.0', revision: '1.3.0', ok: true } });

    const unbumped = diffMutation('1.2.0', additive);
    expect(unbumped).to.include({ breaking: false, requiredBump: 'minor', ok: false });
    expect(ids(unbumped)).to.include('api-version-not-bumped');
    expect(diffMutation('1.2.1', additive).changes.map((change) => change.id)).to.include('api-minor-version-not-bumped');
    expect(diffMutation('1.2.0', additive, 'none').ok, 'policy none only refuses breaking changes').to.equal(true);
  });

  it('a documentation-only change needs a patch bump', () => {
    const edit = (doc: Doc): void => {
      doc.paths['/health'].get.summary = 'Is B up?';
    };
    expect(diffMutation('1.2.1', edit)).to.include({ requiredBump: 'patch', ok: true, breaking: false });
    expect(diffMutation('1.2.0', edit)).to.include({ requiredBump: 'patch', ok: false });
  });
});
