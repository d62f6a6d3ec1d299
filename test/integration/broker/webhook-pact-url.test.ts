import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { fetchPactFromUrl, isPactPending, publishPactUrlResult } from '../../../src/pact/pact-url-source.js';
import { WRITE_TOKEN, startHarness } from './broker-harness.js';
import type { BrokerHarness } from './broker-harness.js';

// What `accord verify --pact-url` does around the verification itself (which the two-team e2e runs):
// fetch the one pact a webhook named, ask whether it is pending, publish the verdict for it only.
describe('verify --pact-url against the broker: fetch, pending, publish', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.stop());

  it('verifies the named pact only, publishes to it, and it is pending until the provider\'s branch verified it', async () => {
    const broker = await harness.fresh();
    const base = broker.broker.url;
    const { sha } = await broker.publish('service-a', '1.0.0', 'service-b', { branch: 'main', variant: 'changed' });
    const other = await broker.publish('service-c', '1.0.0', 'service-b', { branch: 'main', variant: 'other' });
    const pactUrl = `${base}/pacts/provider/service-b/consumer/service-a/pact-version/${sha}`;

    const pact = await fetchPactFromUrl(pactUrl, { brokerUrl: base, token: WRITE_TOKEN });
    try {
      expect([pact.consumer, pact.provider, pact.sha]).to.deep.equal(['service-a', 'service-b', sha]);
      const content = JSON.parse(await readFile(pact.file, 'utf8')) as Record<string, unknown>;
      expect(content).not.to.have.property('_links');
      expect((content.interactions as Array<{ description: string }>).map((interaction) => interaction.description)).to.deep.equal(['a request for item changed']);
      expect(await isPactPending(pact, { branch: 'main' })).to.equal(true);

      // A failed result from a feature branch: published to this pact, which stays pending for main.
      const interaction = { description: 'a request for item changed', providerStates: [], consumer: 'service-a', stateSetupMs: 0 };
      await publishPactUrlResult(pact, { providerVersion: 'p-feat', branch: 'feat', ok: false, interactions: [{ ...interaction, ok: false, mismatches: [{ attribute: 'body', location: '$.sku', message: 'missing' }] }] });
      expect(await isPactPending(pact, { branch: 'main' })).to.equal(true);
      // A successful one from main: no longer pending for main.
      await publishPactUrlResult(pact, { providerVersion: 'p-main', branch: 'main', ok: true, interactions: [{ ...interaction, ok: true, mismatches: [] }] });
      expect(await isPactPending(pact, { branch: 'main' })).to.equal(false);
    } finally {
      await pact.remove();
    }
    const results = await broker.matrix('q[][pacticipant]=service-b&latestby=cvpv');
    const rows = (results.body.matrix as Array<{ consumer: { name: string }; provider: { version?: { number: string } }; verificationResult?: { success: boolean } }>)
      .filter((row) => row.verificationResult)
      .map((row) => [row.consumer.name, row.provider.version?.number, row.verificationResult?.success]);
    expect(rows).to.have.deep.members([['service-a', 'p-feat', false], ['service-a', 'p-main', true]]);
    expect(other.sha).not.to.equal(sha);
  });
});
