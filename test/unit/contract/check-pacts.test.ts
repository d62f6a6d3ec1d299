import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { checkPact, checkPacts, loadContract } from '../../../src/contract/index.js';
import type { OpenApiDocument } from '../../../src/contract/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { EXAMPLE_CONTRACT, REPO_ROOT } from './repo-root.js';
import { rejection } from '../../support/rejection.js';

const pacts = (name: string): string => path.join('test/fixtures/contract', name);


describe('checkPacts against contracts/service-a-to-b.yaml', () => {
  it('passes a pact whose interactions all match the contract (matchers read as their example values)', async () => {
    const result = await checkPacts({ pacts: pacts('pact-matches-contract'), contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT });
    expect(result).to.deep.equal({ ok: true, findings: [] });
  });

  it('fails a pact that breaks it, with the comparator codes per interaction', async () => {
    const result = await checkPacts({ pacts: pacts('pact-breaks-contract'), contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT });
    expect(result.ok).to.equal(false);
    expect(result.findings.map((finding) => [finding.code, finding.level, finding.interaction])).to.deep.equal([
      ['request.path-or-method.unknown', 'error', 'an order read from an endpoint B does not have'],
      ['response.body.incompatible', 'error', 'an item with a field B never sends'],
      ['request.body.incompatible', 'error', 'a reservation with a quantity over the limit'],
      ['response.status.unknown', 'error', 'a reservation with a quantity over the limit'],
      ['request.authorization.missing', 'error', 'a read without the bearer token'],
    ]);
    expect(result.findings[0]).to.include({ pact: 'test/fixtures/contract/pact-breaks-contract/service-a-service-b.json', location: '[root].interactions[0].request.path' });
  });

  it('an empty pacts directory is bad input, as it is for verify and publish (nothing checked is no pass)', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'accord-no-pacts-'));
    try {
      expect(await rejection(checkPacts({ pacts: empty, contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT }))).to.deep.equal({
        code: ErrorCodes.FILE_NOT_FOUND,
        message: `${empty}: no pact files (*.json) (consumer tests write them there)`,
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a pact file that is not JSON, or JSON that is not a pact, or a missing directory, is bad input', async () => {
    const notJson = await rejection(checkPacts({ pacts: pacts('pact-not-json'), contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT }));
    expect(notJson.code).to.equal(ErrorCodes.PACT_INVALID);
    expect(notJson.message).to.match(/pact-not-json\/service-a-service-b\.json: not JSON .*; a pact file must be JSON/);
    const notPact = await rejection(checkPacts({ pacts: pacts('not-a-pact'), contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT }));
    expect(notPact).to.deep.equal({
      code: ErrorCodes.PACT_INVALID,
      message: 'test/fixtures/contract/not-a-pact/service-a-service-b.json: not a pact: expected `consumer.name` and `provider.name`, found top-level keys name, dependencies',
    });
    const missing = await rejection(checkPacts({ pacts: 'no-such-pacts', contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT }));
    expect(missing.code).to.equal(ErrorCodes.FILE_NOT_FOUND);
  });
});

describe('checkPact (one parsed pact against one parsed document, for bi-directional checks)', () => {
  it('checks objects without touching the disk and leaves them unchanged', async () => {
    const { document } = await loadContract('examples/orders/contracts/service-a-to-b.yaml', { cwd: REPO_ROOT });
    const pact = JSON.parse(await readFile(path.join(REPO_ROOT, pacts('pact-breaks-contract'), 'service-a-service-b.json'), 'utf8'));
    const before = structuredClone(pact);
    const result = await checkPact(pact, document, { label: 'service-a@1.0.0' });
    expect(result.ok).to.equal(false);
    expect(result.findings).to.have.length(5);
    expect(result.findings.every((finding) => finding.pact === 'service-a@1.0.0')).to.equal(true);
    expect(pact).to.deep.equal(before);
  });

  it('refuses a document that is not a whole OpenAPI document, or has a $ref to nowhere', async () => {
    const pact = { consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [] };
    // Incomplete on purpose: the types ask for `info`, and checkPact refuses the document without it at run time.
    const incomplete = { openapi: '3.1.0', paths: {} } as OpenApiDocument;
    expect((await rejection(checkPact(pact, incomplete))).message).to.contain('it has no info.title, info.version');
    const broken = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { 200: { $ref: '#/components/responses/Nope' } } } } } };
    expect(await rejection(checkPact(pact, broken))).to.include({ code: ErrorCodes.REF_UNRESOLVED });
    expect((await rejection(checkPact([1, 2], { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }))).message).to.contain('not a pact');
  });
});
