import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { checkPact } from '../../../src/contract/index.js';
import type { OpenApiDocument } from '../../../src/contract/index.js';
import { isJsonMediaType, matchMediaType, mediaTypeEssence, parseMediaType } from '../../../src/contract/media-type.js';
import { loadResponseConformance } from '../../../src/pact/index.js';
import type { RecordedExchange } from '../../../src/pact/index.js';

/** A contract whose one response declares `declared` (as the team wrote `application/json;charset=utf-8`). */
function contractWith(declared: string): OpenApiDocument {
  return {
    openapi: '3.0.3',
    info: { title: 'products', version: '1.0.0' },
    paths: {
      '/products/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'a product', content: { [declared]: { schema: { type: 'object', required: ['id', 'price'], properties: { id: { type: 'string' }, price: { type: 'number' } } } } } },
          },
        },
      },
    },
  } as unknown as OpenApiDocument;
}

function pactWith(contentType: string, body: Record<string, unknown>): unknown {
  return {
    consumer: { name: 'web' },
    provider: { name: 'ProductService' },
    metadata: { pactSpecification: { version: '3.0.0' } },
    interactions: [{ description: 'a product', request: { method: 'GET', path: '/products/10' }, response: { status: 200, headers: { 'Content-Type': contentType }, body } }],
  };
}

describe('media types compared as media types', () => {
  it('parses type, subtype, suffix and parameters, case-insensitively', () => {
    expect(parseMediaType('Application/Problem+JSON; Charset="UTF-8"')).to.deep.equal({ type: 'application', subtype: 'problem+json', suffix: 'json', parameters: { charset: 'UTF-8' } });
    expect(parseMediaType('not a media type')).to.equal(undefined);
    expect(mediaTypeEssence('application/json;charset=utf-8')).to.equal('application/json');
    expect(isJsonMediaType('application/vnd.api+json')).to.equal(true);
    expect(isJsonMediaType('text/html; charset=utf-8')).to.equal(false);
  });

  it('picks the declared type that matches best: exact, then +suffix, then a range', () => {
    const declared = ['application/json;charset=utf-8', 'text/*', '*/*'];
    expect(matchMediaType(declared, 'application/json')).to.equal('application/json;charset=utf-8');
    expect(matchMediaType(declared, 'APPLICATION/JSON; charset=iso-8859-1')).to.equal('application/json;charset=utf-8');
    expect(matchMediaType(declared, 'application/hal+json')).to.equal('application/json;charset=utf-8');
    expect(matchMediaType(declared, 'text/plain')).to.equal('text/*');
    expect(matchMediaType(declared, 'image/png')).to.equal('*/*');
    expect(matchMediaType(['application/json'], 'application/xml')).to.equal(undefined);
    expect(matchMediaType(['application/problem+json', 'application/json'], 'application/problem+json')).to.equal('application/problem+json');
  });

  describe('in verification response conformance', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'accord-media-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const exchange = (contentType: string, body: unknown): RecordedExchange => ({ method: 'GET', path: '/products/10', status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(body) });

    it('accepts `application/json` for `application/json;charset=utf-8` and still checks the body (a missing price is found)', async () => {
      const file = path.join(dir, 'charset.json');
      await writeFile(file, JSON.stringify(contractWith('application/json;charset=utf-8')));
      const conformance = await loadResponseConformance(file, dir);
      expect(conformance.check(exchange('application/json', { id: '10', price: 9.5 }))).to.deep.equal([]);
      expect(conformance.check(exchange('Application/JSON; charset=UTF-8', { id: '10', price: 9.5 }))).to.deep.equal([]);
      expect(conformance.check(exchange('application/json', { id: '10' })).map((mismatch) => mismatch.location)).to.deep.equal(['$.price']);
      const [wrong] = conformance.check(exchange('text/html', { id: '10', price: 1 }));
      expect(wrong).to.include({ location: 'Content-Type' });
      expect(wrong?.message).to.contain('Content-Type `text/html` is not one of application/json;charset=utf-8');
    });
  });

  describe('in check-pacts', () => {
    const pairs: [string, string][] = [['application/json;charset=utf-8', 'application/json'], ['application/json', 'application/json; charset=utf-8'], ['application/JSON', 'application/hal+json']];
    for (const [declared, sent] of pairs) {
      it(`a pact sending ${sent} against a contract declaring ${declared}: matches, and a missing field is still found`, async () => {
        expect(await checkPact(pactWith(sent, { id: '10', price: 1 }), contractWith(declared))).to.deep.equal({ ok: true, findings: [] });
        const broken = await checkPact(pactWith(sent, { id: '10', cost: 1 }), contractWith(declared));
        expect(broken.findings.map((finding) => finding.code)).to.deep.equal(['response.body.incompatible']);
      });
    }

    it('a different media type is still a finding', async () => {
      const result = await checkPact(pactWith('text/plain', { id: '10', price: 1 }), contractWith('application/json;charset=utf-8'));
      expect(result.ok).to.equal(false);
      expect(result.findings.map((finding) => finding.code)).to.include('response.content-type.incompatible');
    });
  });
});
