import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { parse } from 'yaml';
import { lintContract } from '../../../src/contract/index.js';
import { REPO_ROOT } from './repo-root.js';

const VENDOR = path.join(REPO_ROOT, 'examples/orders/contracts/external/payments.yaml');

type Json = Record<string, unknown>;
const resolve = (document: Json, value: unknown): Json => {
  const ref = (value as Json | undefined)?.$ref;
  if (typeof ref !== 'string') return value as Json;
  return ref.slice(2).split('/').reduce<Json>((node, key) => node[key] as Json, document);
};

describe('the payments vendor contract (contracts/external/payments.yaml)', () => {
  it('lints clean: valid OpenAPI 3.1, every example matching its schema', async () => {
    const result = await lintContract(VENDOR);
    expect(result.findings).to.deep.equal([]);
    expect(result).to.include({ ok: true, openapi: '3.1.0' });
  });

  it('has authorize, capture and void, each requiring an Idempotency-Key, with an example for every response', async () => {
    const document = parse(await readFile(VENDOR, 'utf8')) as Json;
    const operations: string[] = [];
    const missing: string[] = [];
    for (const [route, item] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        const op = operation as Json;
        operations.push(String(op.operationId));
        const parameters = (op.parameters as unknown[]).map((p) => resolve(document, p));
        expect(parameters.some((p) => p.name === 'Idempotency-Key' && p.in === 'header' && p.required === true), `${method} ${route}`).to.equal(true);
        for (const [status, response] of Object.entries(op.responses as Json)) {
          for (const [type, media] of Object.entries((resolve(document, response).content ?? {}) as Json)) {
            if (Object.keys(((media as Json).examples ?? {}) as Json).length === 0) missing.push(`${method} ${route} ${status} ${type}`);
            if (Number(status) >= 400) expect(type, `${method} ${route} ${status}`).to.equal('application/problem+json');
          }
        }
      }
    }
    expect(operations).to.deep.equal(['authorizePayment', 'capturePayment', 'voidPayment']);
    expect(missing).to.deep.equal([]);
  });

  it('reports a malformed vendor contract with file:line:col', async () => {
    const result = await lintContract(path.join(REPO_ROOT, 'test/fixtures/contract/vendor-malformed/contract.yaml'));
    expect(result.ok).to.equal(false);
    expect(result.findings.map((f) => [f.rule, f.line, f.column])).to.deep.equal([
      ['example-valid', 72, 19],
      ['oas-schema', 85, 9],
    ]);
    expect(result.findings[0]?.message).to.contain('`amount` must be integer');
  });
});
