import { expect } from 'chai';
import { startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

// One test per rule of the Pact Broker's matrix, each through the real HTTP API on its own database.
describe('broker matrix rules (GET /matrix, GET /can-i-deploy)', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let b: TestBroker;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    b = await harness.fresh();
  });
  afterEach(async () => {
    await b?.stop();
  });

  const toProduction = (pacticipant: string, version: string) => `q[][pacticipant]=${pacticipant}&q[][version]=${version}&latestby=cvpv&environment=production`;

  it("a consumer's first deploy before its provider is in the environment is unknown", async () => {
    await b.publish('web', '1', 'api');
    const { status, body } = await b.matrix(toProduction('web', '1'));
    expect(status).to.equal(200);
    expect(body.summary.deployable).to.equal(null);
    expect(body.summary.unknown).to.equal(1);
    expect(body.summary.reason).to.equal(
      'There is no verified pact between version 1 of web and a version of api currently in production (no version is currently recorded as deployed/released in this environment)',
    );
    expect(body.matrix[0].provider.version).to.equal(null);
    expect(body.matrix[0].verificationResult).to.equal(null);
  });

  it('a provider with no consumer in the environment can deploy (the integration is not required)', async () => {
    await b.publish('web', '1', 'api');
    await b.createVersion('api', '7');
    const { body } = await b.matrix(toProduction('api', '7'));
    expect(body.summary.deployable).to.equal(true);
    expect(body.summary.reason).to.equal('There are no missing dependencies');
    expect(body.matrix).to.deep.equal([]);
  });

  it('a failed verification says no, and a successful one yes', async () => {
    const { sha } = await b.publish('web', '1', 'api');
    await b.verify('api', '7', 'web', sha, false);
    await b.record('deployed', 'api', '7', 'production');
    const failed = await b.matrix(toProduction('web', '1'));
    expect(failed.body.summary.deployable).to.equal(false);
    expect(failed.body.summary.failed).to.equal(1);
    expect(failed.body.summary.reason).to.equal('The verification for the pact between version 1 of web and version 7 of api (currently deployed in production) failed');

    await b.verify('api', '8', 'web', sha, true);
    await b.record('deployed', 'api', '8', 'production');
    const passed = await b.matrix(toProduction('web', '1'));
    expect(passed.body.summary.deployable).to.equal(true);
    expect(passed.body.summary.reason).to.equal('All required verification results are published and successful');
    expect(passed.body.matrix[0].verificationResult.success).to.equal(true);
  });

  it('failed plus unverified is unknown, not no', async () => {
    const first = await b.publish('web', '1', 'api');
    await b.publish('web', '1', 'billing');
    await b.verify('api', '7', 'web', first.sha, false);
    await b.record('deployed', 'api', '7', 'production');
    await b.createVersion('billing', '3');
    await b.record('deployed', 'billing', '3', 'production');
    const { body } = await b.matrix(toProduction('web', '1'));
    expect(body.summary).to.include({ deployable: null, failed: 1, unknown: 1, success: 0 });
    expect(body.summary.reason).to.include('The verification for the pact between version 1 of web and version 7 of api (currently deployed in production) failed');
    expect(body.summary.reason).to.include('There is no verified pact between version 1 of web and version 3 of billing (currently deployed in production)');
  });

  it('--ignore takes a provider out of the decision and warns about names it cannot ignore', async () => {
    await b.publish('web', '1', 'api');
    const unknown = await b.matrix(toProduction('web', '1'));
    expect(unknown.body.summary.deployable).to.equal(null);

    const ignored = await b.matrix(`${toProduction('web', '1')}&ignore[][pacticipant]=api&ignore[][pacticipant]=nobody`);
    expect(ignored.body.summary).to.include({ deployable: true, ignored: 1, unknown: 0 });
    expect(ignored.body.matrix[0].ignored).to.equal(true);
    const texts = ignored.body.notices.map((n: { text: string }) => n.text);
    expect(texts).to.include('WARN: Cannot ignore nobody (not found)');
    expect(texts.some((t: string) => t.startsWith('Ignoring: There is no verified pact between version 1 of web'))).to.equal(true);
  });

  it('two provider versions live in one environment, one failing, says no with cvpv (the #903 fix)', async () => {
    const { sha } = await b.publish('web', '1', 'api');
    await b.verify('api', '7', 'web', sha, false);
    await b.verify('api', '8', 'web', sha, true);
    await b.record('deployed', 'api', '7', 'production', 'blue');
    await b.record('deployed', 'api', '8', 'production', 'green');

    const cvpv = await b.matrix(toProduction('web', '1'));
    expect(cvpv.body.summary).to.include({ deployable: false, success: 1, failed: 1 });
    // cvp keeps only the latest provider version and hides the failing live one: why environments use cvpv.
    const cvp = await b.matrix(toProduction('web', '1').replace('cvpv', 'cvp'));
    expect(cvp.body.summary.deployable).to.equal(true);
    // The simplified endpoint picks cvpv by itself when an environment is given.
    const simple = await b.api('GET', '/can-i-deploy?pacticipant=web&version=1&environment=production');
    expect(simple.body.summary.deployable).to.equal(false);
  });

  it('republished identical content is pre-verified; different content is not', async () => {
    const { sha } = await b.publish('web', '1', 'api');
    await b.verify('api', '7', 'web', sha, true);
    await b.record('deployed', 'api', '7', 'production');
    const same = await b.publish('web', '2', 'api');
    expect(same.sha).to.equal(sha);
    expect((await b.matrix(toProduction('web', '2'))).body.summary.deployable).to.equal(true);

    await b.publish('web', '3', 'api', { variant: 'changed' });
    expect((await b.matrix(toProduction('web', '3'))).body.summary.deployable).to.equal(null);
  });

  it('record-deployment replaces the previous deployment; record-release keeps earlier releases supported', async () => {
    const old = await b.publish('web', '1', 'api', { variant: 'old' });
    const current = await b.publish('web', '2', 'api', { variant: 'new' });
    // api 9 breaks web 1 but works with web 2.
    await b.verify('api', '9', 'web', old.sha, false);
    await b.verify('api', '9', 'web', current.sha, true);

    await b.record('deployed', 'web', '1', 'production');
    await b.record('deployed', 'web', '2', 'production');
    const deployed = await b.matrix(toProduction('api', '9'));
    expect(deployed.body.summary.deployable).to.equal(true);
    expect(deployed.body.matrix.map((row: { consumer: { version: { number: string } } }) => row.consumer.version.number)).to.deep.equal(['2']);

    await b.record('released', 'web', '1', 'test');
    await b.record('released', 'web', '2', 'test');
    const released = await b.matrix('q[][pacticipant]=api&q[][version]=9&latestby=cvpv&environment=test');
    expect(released.body.summary).to.include({ deployable: false, success: 1, failed: 1 });
  });

  it('a specified version that does not exist says no', async () => {
    await b.publish('web', '1', 'api');
    const { body } = await b.matrix(toProduction('web', '99'));
    expect(body.summary.deployable).to.equal(false);
    expect(body.summary.reason).to.equal('No pacts or verifications have been published for version 99 of web');
  });

  it('without a destination it compares with the latest versions and warns', async () => {
    const { sha } = await b.publish('web', '1', 'api');
    await b.verify('api', '7', 'web', sha, true);
    const { body } = await b.matrix('q[][pacticipant]=web&q[][version]=1&latestby=cvp&latest=true');
    expect(body.summary.deployable).to.equal(true);
    expect(body.notices[0].text).to.match(/^WARN: It is recommended to specify the environment/);
  });
});
