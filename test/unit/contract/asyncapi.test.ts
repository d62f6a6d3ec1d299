import path from 'node:path';
import { expect } from 'chai';
import { diffContracts, lintContract } from '../../../src/contract/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { REPO_ROOT } from './repo-root.js';

const CONTRACT = path.join(REPO_ROOT, 'examples/orders/contracts/order-events.asyncapi.yaml');
const fixture = (name: string): string => path.join(REPO_ROOT, 'test/fixtures/contract/asyncapi', `${name}.yaml`);

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (!isAccordError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected an AccordError');
}

// @asyncapi/parser runs Spectral over the whole document: seconds per parse on a busy 2-core machine.
describe('the AsyncAPI event contract: lint and diff', function () {
  this.timeout(120_000);

  it('lints contracts/order-events.asyncapi.yaml as valid AsyncAPI 3.0', async () => {
    const result = await lintContract(CONTRACT);
    expect(result).to.deep.include({ ok: true, openapi: '3.0.0', specification: 'AsyncAPI' });
    expect(result.findings.filter((finding) => finding.level === 'error')).to.deep.equal([]);
  });

  it('lints a structurally invalid document as findings with file:line:col and the pointer', async () => {
    const result = await lintContract(fixture('invalid-structure'));
    expect(result.ok).to.equal(false);
    const [first] = result.findings;
    expect(first).to.include({ level: 'error', line: 21, column: 5, pointer: '#/channels/orderEvents/address' });
    expect(first?.message).to.include('"address" property type must be string');
  });

  it('refuses YAML that does not parse, naming file:line:col', async () => {
    const { code, message } = await failure(() => lintContract(fixture('yaml-syntax-error')));
    expect(code).to.equal('ACCORD_PARSE_ERROR');
    expect(message).to.match(/yaml-syntax-error\.yaml:8:3: YAML syntax error: /);
  });

  it('diff: removing a required payload field without a major bump is breaking and the semver policy refuses it', async () => {
    const result = await diffContracts(CONTRACT, fixture('required-field-removed'));
    expect(result).to.deep.include({ breaking: true, requiredBump: 'major', ok: false, version: { base: '1.0.0', revision: '1.1.0', ok: false } });
    expect(result.changes.map((c) => [c.level, c.id, c.operation])).to.deep.equal([
      ['error', 'response-required-property-removed', 'message order.cancelled'],
      ['error', 'response-required-property-removed', 'message order.confirmed'],
      ['info', 'api-major-version-not-bumped', null],
    ]);
    expect(result.changes[1]?.message).to.equal('property `order/reservationId` was removed from the message order.confirmed payload');
    expect(result.changes[1]?.location).to.equal('#/channels/orderEvents/messages/orderConfirmed/payload/properties/order/properties/reservationId');
  });

  it('diff: the same removal with a major bump passes the semver policy (still breaking), and fails the none policy', async () => {
    const major = await diffContracts(CONTRACT, fixture('required-field-removed-major'));
    expect(major).to.deep.include({ breaking: true, requiredBump: 'major', ok: true });
    const none = await diffContracts(CONTRACT, fixture('required-field-removed-major'), { policy: 'none' });
    expect(none.ok).to.equal(false);
  });

  it('diff: adding an optional payload field is a minor change; without any bump the policy says so', async () => {
    const minor = await diffContracts(CONTRACT, fixture('optional-field-added'));
    expect(minor).to.deep.include({ breaking: false, requiredBump: 'minor', ok: true });
    expect(new Set(minor.changes.map((c) => c.id))).to.deep.equal(new Set(['response-optional-property-added']));
    const unbumped = await diffContracts(CONTRACT, fixture('optional-field-added-no-bump'));
    expect(unbumped).to.deep.include({ requiredBump: 'minor', ok: false });
    expect(unbumped.changes.map((c) => c.id)).to.include('api-version-not-bumped');
  });

  it('diff: an invalid AsyncAPI revision is bad input with file:line, and so is mixing AsyncAPI with OpenAPI', async () => {
    const invalid = await failure(() => diffContracts(CONTRACT, fixture('invalid-structure')));
    expect(invalid.code).to.equal('ACCORD_CONTRACT_INVALID');
    expect(invalid.message).to.match(/invalid-structure\.yaml:21:5: invalid AsyncAPI document: "address" property type must be string/);
    const mixed = await failure(() => diffContracts(CONTRACT, path.join(REPO_ROOT, 'examples/orders/contracts/service-a-to-b.yaml')));
    expect(mixed.code).to.equal('ACCORD_USAGE');
    expect(mixed.message).to.include('is an AsyncAPI document but');
  });
});
