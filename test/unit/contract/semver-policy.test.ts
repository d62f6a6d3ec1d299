import { expect } from 'chai';
import { actualBump, parseSemver, requiredBump } from '../../../src/contract/index.js';
import type { ContractChange } from '../../../src/contract/index.js';

const change = (id: string, level: ContractChange['level']): ContractChange => ({ id, level, operation: null, location: '#', message: id });

describe('semver policy', () => {
  it('requires major for an error, minor for other rules, patch for text-only edits', () => {
    expect(requiredBump([change('response-required-property-removed', 'error'), change('endpoint-added', 'info')], true)).to.equal('major');
    expect(requiredBump([change('request-property-removed', 'warning')], true)).to.equal('minor');
    expect(requiredBump([change('endpoint-added', 'info')], true)).to.equal('minor');
    expect(requiredBump([change('api-tag-added', 'info')], true)).to.equal('patch');
    expect(requiredBump([], true)).to.equal('patch');
    expect(requiredBump([], false)).to.equal('none');
  });

  it('reads strict semver with an optional v, ignoring pre-release and build metadata', () => {
    expect(parseSemver('v1.2.3')).to.deep.equal({ major: 1, minor: 2, patch: 3 });
    expect(parseSemver('1.1.0-rc.1+build.5')).to.deep.equal({ major: 1, minor: 1, patch: 0 });
    for (const loose of ['1.0', 'v1', '2026-01-01', '01.2.3']) expect(parseSemver(loose), loose).to.equal(undefined);
  });

  it('measures the bump; below 1.0.0 a minor bump counts as major', () => {
    expect(actualBump('1.2.0', '2.0.0')).to.equal('major');
    expect(actualBump('1.2.0', '1.3.0')).to.equal('minor');
    expect(actualBump('1.2.0', '1.2.1')).to.equal('patch');
    expect(actualBump('1.2.0', '1.2.0')).to.equal('none');
    expect(actualBump('2.0.0', '1.9.9')).to.equal('decreased');
    expect(actualBump('0.1.0', '0.2.0')).to.equal('major');
    expect(actualBump('0.1.0', '0.1.1')).to.equal('minor');
    expect(actualBump('1.0', '2.0')).to.equal(undefined);
  });
});
