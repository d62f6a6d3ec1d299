import { expect } from 'chai';
import { startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

interface PactEntry {
  shortDescription: string;
  verificationProperties: { pending?: boolean; wip?: boolean; notices: Array<{ when: string; text: string }> };
  _links: { self: { href: string; name: string } };
}

describe('broker pacts for verification (selectors, pending, WIP)', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let b: TestBroker;

  before(async () => {
    harness = await startHarness();
    b = await harness.fresh();
    // web: main has 1 then 2 (different content), feature branch has 3; mobile: 1.0 released to production.
    await b.publish('web', '1', 'api', { branch: 'main', variant: 'main-1' });
    await b.publish('web', '2', 'api', { branch: 'main', variant: 'main-2', tags: ['prod'] });
    await b.publish('web', '3', 'api', { branch: 'feat-x', variant: 'feature' });
    await b.publish('mobile', '1.0', 'api', { branch: 'main', variant: 'mobile' });
    await b.record('released', 'mobile', '1.0', 'production');
  });
  after(async () => {
    await harness?.stop();
  });

  const forVerification = async (body: unknown) => {
    const response = await b.api('POST', '/pacts/provider/api/for-verification', body);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    return response.body._embedded.pacts as PactEntry[];
  };
  const names = (pacts: PactEntry[]) => pacts.map((p) => p._links.self.name).sort();

  it('selects by mainBranch, branch, matchingBranch, released, tag and consumer', async () => {
    expect(names(await forVerification({ consumerVersionSelectors: [{ mainBranch: true }] }))).to.deep.equal(['Pact between mobile (1.0) and api', 'Pact between web (2) and api']);
    expect(names(await forVerification({ consumerVersionSelectors: [{ branch: 'feat-x' }] }))).to.deep.equal(['Pact between web (3) and api']);
    expect(names(await forVerification({ providerVersionBranch: 'feat-x', consumerVersionSelectors: [{ matchingBranch: true }] }))).to.deep.equal(['Pact between web (3) and api']);
    expect(names(await forVerification({ consumerVersionSelectors: [{ released: true, environment: 'production' }] }))).to.deep.equal(['Pact between mobile (1.0) and api']);
    expect(names(await forVerification({ consumerVersionSelectors: [{ tag: 'prod', latest: true }] }))).to.deep.equal(['Pact between web (2) and api']);
    expect(names(await forVerification({ consumerVersionSelectors: [{ mainBranch: true, consumer: 'web' }] }))).to.deep.equal(['Pact between web (2) and api']);
    const described = await forVerification({ consumerVersionSelectors: [{ branch: 'feat-x' }] });
    expect(described[0]?.shortDescription).to.equal('latest from branch feat-x');
  });

  it('refuses selectors the broker refuses', async () => {
    const response = await b.api('POST', '/pacts/provider/api/for-verification', { consumerVersionSelectors: [{ matchingBranch: true }, { tag: 'x', branch: 'y' }] });
    expect(response.status).to.equal(400);
    expect(response.body.detail).to.match(/providerVersionBranch must be specified/).and.to.match(/cannot specify both a tag and a branch/);
    const unknownKey = await b.api('POST', '/pacts/provider/api/for-verification', { consumerVersionSelectors: [{ lastest: true }] });
    expect(unknownKey.status).to.equal(400);
  });

  it('marks a pact pending until this provider branch verified it successfully, and WIP pacts as pending', async () => {
    const request = { providerVersionBranch: 'main', includePendingStatus: true, includeWipPactsSince: '2000-01-01', consumerVersionSelectors: [{ mainBranch: true, consumer: 'web' }] };
    const first = await forVerification(request);
    const main = first.find((p) => p.shortDescription === 'latest of web from main branch');
    expect(main?.verificationProperties.pending).to.equal(true);
    const wip = first.filter((p) => p.verificationProperties.wip);
    expect(names(wip)).to.deep.equal(['Pact between mobile (1.0) and api', 'Pact between web (3) and api']);
    expect(wip.every((p) => p.verificationProperties.pending === true)).to.equal(true);

    // A successful verification from provider branch main, published through the link the Verifier follows.
    const pact = await b.api('GET', (main as PactEntry)._links.self.href.replace(b.broker.url, ''));
    const publishHref: string = pact.body._links['pb:publish-verification-results'].href;
    expect(publishHref).to.match(/\/metadata\/[^/]+\/verification-results$/);
    await b.createVersion('api', '100', 'main');
    const published = await b.api('POST', publishHref.replace(b.broker.url, ''), { success: true, providerApplicationVersion: '100', buildUrl: 'http://ci/1' });
    expect(published.status).to.equal(201);

    const second = await forVerification(request);
    expect(second.find((p) => p.shortDescription === 'latest of web from main branch')?.verificationProperties.pending).to.equal(false);
    // Without a provider branch or tags there are no WIP pacts (#444).
    const noBranch = await forVerification({ includeWipPactsSince: '2000-01-01', consumerVersionSelectors: [{ mainBranch: true }] });
    expect(noBranch.some((p) => p.verificationProperties.wip)).to.equal(false);
  });

  it('answers GET with the default selectors and serves the pact with the links the Verifier follows', async () => {
    const response = await b.api('GET', '/pacts/provider/api/for-verification');
    expect(response.body._links.self.href).to.match(/\/pacts\/provider\/api\/for-verification$/);
    const pacts = response.body._embedded.pacts as PactEntry[];
    expect(pacts.length).to.be.greaterThan(0);
    const pact = await b.api('GET', (pacts[0] as PactEntry)._links.self.href.replace(b.broker.url, ''));
    expect(pact.body.consumer).to.have.property('name');
    expect(pact.body._links['pb:provider'].href).to.match(/\/pacticipants\/api$/);
    const provider = await b.api('GET', '/pacticipants/api');
    expect(provider.body._links['pb:branch-version']).to.include({ templated: true });
    expect(provider.body._links['pb:version-tag'].href).to.match(/\{version\}\/tags\/\{tag\}$/);
  });
});
