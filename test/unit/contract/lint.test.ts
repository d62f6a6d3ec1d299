import path from 'node:path';
import { expect } from 'chai';
import { lintContract } from '../../../src/contract/index.js';
import { REPO_ROOT } from './repo-root.js';

const fixture = (name: string): string => path.join(REPO_ROOT, 'test/fixtures/contract', name, 'contract.yaml');

describe('lintContract', () => {
  it('passes contracts/service-a-to-b.yaml (OpenAPI 3.1, version 1.2.0)', async () => {
    const result = await lintContract(path.join(REPO_ROOT, 'examples/orders/contracts/service-a-to-b.yaml'));
    expect(result.findings).to.deep.equal([]);
    expect(result).to.include({ ok: true, openapi: '3.1.0' });
  });

  it('reports every kind of problem with file:line:col and the JSON pointer', async () => {
    const result = await lintContract(fixture('lint-findings'));
    expect(result.ok).to.equal(false);
    const found = result.findings.map((finding) => [finding.rule, finding.line, finding.column, finding.pointer]);
    expect(found).to.deep.include.members([
      ['path-parameter-declared', 7, 5, '#/paths/~1items~1{sku}/get'],
      ['example-valid', 16, 15, '#/paths/~1items~1{sku}/get/responses/200/content/application~1json/example'],
      ['operation-id-unique', 21, 7, '#/paths/~1items~1{sku}~1price/get/operationId'],
      ['oas-schema', 28, 9, '#/paths/~1items~1{sku}~1price/get/responses/200'],
      ['schema-valid', 39, 7, '#/components/schemas/Price/type'],
    ]);
    const example = result.findings.find((finding) => finding.rule === 'example-valid');
    expect(example?.message).to.contain('`stock` must be >= 0');
  });

  it('locates findings in JSON documents too (scanned without a YAML tree)', async () => {
    const result = await lintContract(path.join(REPO_ROOT, 'test/fixtures/contract/lint-findings-json/contract.json'));
    expect(result.findings.map((finding) => [finding.rule, finding.line, finding.column])).to.deep.include.members([
      ['example-valid', 19, 17],
      ['operation-id-unique', 31, 9],
      ['schema-valid', 69, 9],
    ]);
  });

  it('reads OpenAPI 3.0 (nullable, boolean exclusiveMinimum) and checks its examples', async () => {
    const result = await lintContract(fixture('openapi-3-0'));
    expect(result.openapi).to.equal('3.0.3');
    expect(result.findings.map((finding) => [finding.rule, finding.line])).to.deep.equal([['example-valid', 24]]);
  });
});
