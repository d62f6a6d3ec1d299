import { expect } from 'chai';
import { decodePactMetadata, encodePactMetadata } from '../../../src/broker/pact-metadata.js';
import { mergePacts, pactSha } from '../../../src/broker/pact-content.js';
import type { PactDocument } from '../../../src/broker/pact-content.js';
import { describeVerificationSelector, selectorProblems } from '../../../src/broker/verification/selectors.js';

const pact = (descriptions: string[]): PactDocument => ({
  consumer: { name: 'web' },
  provider: { name: 'api' },
  interactions: descriptions.map((description) => ({ description, request: { method: 'GET', path: `/${description}` } })),
});

describe('broker pact content', () => {
  it('gives identical content the same sha whatever the key order, and different content another', () => {
    const a = { consumer: { name: 'web' }, provider: { name: 'api' }, interactions: [{ description: 'x', request: { path: '/x', method: 'GET' } }] };
    const b = { interactions: [{ request: { method: 'GET', path: '/x' }, description: 'x' }], provider: { name: 'api' }, consumer: { name: 'web' } };
    expect(pactSha(a)).to.equal(pactSha(b)).and.to.match(/^[0-9a-f]{40}$/);
    expect(pactSha(pact(['y']))).not.to.equal(pactSha(a));
  });

  it('merges interactions: same description replaced, new ones added', () => {
    const merged = mergePacts(pact(['a', 'b']), { ...pact(['b', 'c']), interactions: [{ description: 'b', changed: true }, { description: 'c' }] });
    expect(merged.interactions).to.deep.equal([{ description: 'a', request: { method: 'GET', path: '/a' } }, { description: 'b', changed: true }, { description: 'c' }]);
  });

  it('round-trips the metadata segment and treats garbage as none', () => {
    const metadata = { s: [{ b: 'main', l: true, cv: '1.0.0' }], p: true };
    const segment = encodePactMetadata(metadata);
    expect(segment).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodePactMetadata(segment)).to.deep.equal(metadata);
    expect(decodePactMetadata('%%%not-base64')).to.deep.equal({});
    expect(decodePactMetadata(undefined)).to.deep.equal({});
  });
});

describe('broker consumer version selectors', () => {
  it('accepts the selectors the Verifier sends', () => {
    expect(selectorProblems({ providerVersionBranch: 'main', consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }, { matchingBranch: true }] })).to.deep.equal([]);
  });

  it('refuses each combination the broker refuses', () => {
    const problems = selectorProblems({
      includeWipPactsSince: 'yesterday-ish',
      consumerVersionSelectors: [{ mainBranch: true, tag: 'x' }, { matchingBranch: true }, { tag: 'a', branch: 'b' }, { deployed: true, released: true }, { consumer: 'web' }, { fallbackTag: 'x' }],
    });
    expect(problems).to.have.length(7);
    expect(problems.join('\n')).to.match(/consumerVersionSelectors\[0\]: cannot specify mainBranch=true/).and.to.match(/includeWipPactsSince: expected a date/);
  });

  it('describes what a selector picked', () => {
    expect(describeVerificationSelector({ branch: 'main' }, {})).to.equal('latest from branch main');
    expect(describeVerificationSelector({ tag: 'prod', latest: true, consumer: 'web' }, {})).to.equal('latest of web with tag prod');
    expect(describeVerificationSelector({ deployed: true }, { environment: 'production' })).to.equal('currently deployed in production');
    expect(describeVerificationSelector({ matchingBranch: true }, { providerVersionBranch: 'feat-x' })).to.equal('latest from matching branch feat-x');
  });
});
