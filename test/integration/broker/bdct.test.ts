import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

// Bi-directional contracts: the provider publishes its OpenAPI, the broker checks each consumer
// pact against it with the contract capability's checker and records BDCT matrix rows.
describe('broker bi-directional contracts (pf:publish-provider-contract)', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let b: TestBroker;
  let pact: { consumer: { name: string }; provider: { name: string }; interactions: Array<Record<string, any>> };
  let openapi: string;

  before(async () => {
    harness = await startHarness();
    b = await harness.fresh();
    pact = JSON.parse(await readFile('examples/orders/pacts/service-a-service-b.json', 'utf8'));
    openapi = await readFile('examples/orders/contracts/service-a-to-b.yaml', 'utf8');
  });
  after(async () => {
    await harness?.stop();
  });

  const publishPact = async (version: string, content: unknown) => {
    const response = await b.api('POST', '/contracts/publish', {
      pacticipantName: pact.consumer.name,
      pacticipantVersionNumber: version,
      contracts: [{ consumerName: pact.consumer.name, providerName: pact.provider.name, specification: 'pact', contentType: 'application/json', content: base64(JSON.stringify(content)) }],
    });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
  };
  const publishContract = async (version: string, selfVerified: boolean) => {
    const index = await b.api('GET', '/');
    const href = (index.body._links['pf:publish-provider-contract'].href as string).replace('{provider}', pact.provider.name).replace(b.broker.url, '');
    const response = await b.api('POST', href, {
      pacticipantVersionNumber: version,
      branch: 'main',
      contract: { content: base64(openapi), contentType: 'application/yaml', specification: 'oas', selfVerificationResults: { success: selfVerified, content: base64('all tests passed'), contentType: 'text/plain', verifier: 'mocha' } },
    });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
  };
  const canIDeploy = (consumerVersion: string) =>
    b.matrix(`q[][pacticipant]=${pact.consumer.name}&q[][version]=${consumerVersion}&latestby=cvpv&environment=production`);

  it('records a successful BDCT row that can-i-deploy weighs like a verification', async () => {
    await publishPact('1.0.0', pact);
    await publishContract('2.0.0', true);
    await b.record('deployed', pact.provider.name, '2.0.0', 'production');
    const { body } = await canIDeploy('1.0.0');
    expect(body.summary.deployable, JSON.stringify(body.matrix)).to.equal(true);
    expect(body.matrix[0]).to.include({ verificationType: 'BDCT' });
    expect(body.matrix[0].provider.version.number).to.equal('2.0.0');
  });

  it('fails a pact that the OpenAPI does not allow, checked when the pact is published', async () => {
    const broken = structuredClone(pact);
    const first = broken.interactions[0] as { request: { path: string } };
    first.request.path = '/no-such-endpoint';
    await publishPact('1.1.0', broken);
    const { body } = await canIDeploy('1.1.0');
    expect(body.summary.deployable).to.equal(false);
    expect(body.matrix[0]).to.include({ verificationType: 'BDCT' });
    const verification = await b.api('GET', (body.matrix[0].verificationResult._links.self.href as string).replace(b.broker.url, ''));
    expect(JSON.stringify(verification.body.testResults)).to.match(/no-such-endpoint|path-or-method/);
  });

  it('fails every pact when the provider did not self-verify its contract', async () => {
    await publishContract('3.0.0', false);
    await b.record('deployed', pact.provider.name, '3.0.0', 'production');
    const { body } = await canIDeploy('1.0.0');
    expect(body.summary.deployable).to.equal(false);
  });
});
