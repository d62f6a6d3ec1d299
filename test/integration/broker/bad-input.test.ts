import { expect } from 'chai';
import { READ_TOKEN, pactContent, startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

const base64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');
const contract = (content: string, provider = 'api') => ({ consumerName: 'web', providerName: provider, specification: 'pact', contentType: 'application/json', content });
const publishBody = (contracts: unknown[]) => ({ pacticipantName: 'web', pacticipantVersionNumber: '1', branch: 'main', tags: ['t1'], contracts });

// Bad input gets the status and problem+json body the official clients expect, and writes nothing.
describe('broker bad input', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let b: TestBroker;

  before(async () => {
    harness = await startHarness();
    b = await harness.fresh({ bodyLimitBytes: 64 * 1024 });
  });
  after(async () => {
    await harness?.stop();
  });

  it('answers a NUL byte in a name, a matrix query or a body with 400 problem+json, and writes nothing', async () => {
    const before = await b.counts();
    for (const response of [
      await b.api('PUT', '/pacticipants/web%00x/versions/1', {}),
      await b.api('GET', '/matrix?q[][pacticipant]=web%00&q[][version]=1&latestby=cvpv'),
      await b.api('POST', '/environments', { name: 'staging\u0000x', production: false }),
    ]) {
      expect(response.status).to.equal(400);
      expect(response.contentType).to.match(/^application\/problem\+json/);
      expect(response.body.detail).to.match(/NUL character/);
    }
    expect(await b.counts()).to.deep.equal(before);
  });

  it('answers a body nested 10 000 deep with 400 and an over-long name with 414, both problem+json', async () => {
    const deep = await b.api('POST', '/contracts/publish', undefined, { rawBody: `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}` });
    expect(deep.status).to.equal(400);
    expect(deep.contentType).to.match(/^application\/problem\+json/);
    expect(deep.body.detail).to.match(/nests objects and arrays more than 256 deep/);
    for (const name of ['n'.repeat(600), 'n'.repeat(10_000)]) {
      const long = await b.api('GET', `/pacticipants/${name}`);
      expect(long.status, `${name.length} characters`).to.equal(414);
      expect(long.contentType).to.match(/^application\/problem\+json/);
      expect(long.body).to.include({ status: 414, title: 'URI Too Long' });
    }
  });

  it('reads the bearer scheme case-insensitively (RFC 7235)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await fetch(`${b.broker.url}/pacticipants`, { headers: { authorization: `${scheme} ${READ_TOKEN}`, accept: 'application/hal+json' } });
      expect(response.status, scheme).to.equal(200);
    }
  });

  it('answers malformed JSON with 400 problem+json and writes nothing', async () => {
    const before = await b.counts();
    const response = await b.api('POST', '/contracts/publish', undefined, { rawBody: '{"pacticipantName": "web",' });
    expect(response.status).to.equal(400);
    expect(response.contentType).to.match(/^application\/problem\+json/);
    expect(response.body).to.include({ status: 400, title: 'Bad Request' });
    expect(response.body.detail).to.match(/not valid JSON/);
    expect(await b.counts()).to.deep.equal(before);
  });

  it('answers clients that accept only HAL with the same body as hal+json (what the official Rust client parses)', async () => {
    const response = await b.api('POST', '/environments', { name: 'has spaces' }, { accept: 'application/hal+json, application/json' });
    expect(response.status).to.equal(400);
    expect(response.contentType).to.match(/^application\/hal\+json/);
    expect(response.body.errors.body[0]).to.match(/name/);
  });

  it('validates bodies and names every offending field', async () => {
    const response = await b.api('POST', '/contracts/publish', { pacticipantName: '', contracts: [] });
    expect(response.status).to.equal(400);
    expect(response.body.errors.body.join('\n')).to.match(/pacticipantVersionNumber/);
    const verification = await b.api('POST', '/environments', { name: 'has spaces', production: 'yes' });
    expect(verification.status).to.equal(400);
    expect(verification.body.errors.body.join('\n')).to.match(/production/).and.to.match(/name/);
  });

  it('refuses a pact that is not a pact, and a bad one among good ones writes nothing at all', async () => {
    const before = await b.counts();
    const notAPact = await b.api('POST', '/contracts/publish', publishBody([contract(base64({ consumer: { name: 'web' }, provider: { name: 'api' }, interactions: 'world' }))]));
    expect(notAPact.status).to.equal(400);
    expect(notAPact.body.detail).to.match(/not a pact: expected `interactions` as a list/);
    const mixed = await b.api('POST', '/contracts/publish', publishBody([contract(base64(pactContent('web', 'api'))), contract(base64('not json at all'), 'billing')]));
    expect(mixed.status).to.equal(400);
    expect(mixed.body.errors).to.have.property('contracts.1');
    expect(await b.counts()).to.deep.equal(before);
  });

  it('answers 409 when a version republishes different content, rolling back the whole publication', async () => {
    expect((await b.api('POST', '/contracts/publish', publishBody([contract(base64(pactContent('web', 'api', 'a')))]))).status).to.equal(200);
    const before = await b.counts();
    const conflict = await b.api(
      'POST',
      '/contracts/publish',
      { ...publishBody([contract(base64(pactContent('web', 'billing', 'x')), 'billing'), contract(base64(pactContent('web', 'api', 'b')))]), tags: ['t2'] },
    );
    expect(conflict.status).to.equal(409);
    expect(conflict.body.notices[0]).to.include({ type: 'error' });
    expect(conflict.body.errors.content[0]).to.match(/Cannot change the content of the pact for web version 1 and provider api/);
    // Neither the billing pact nor the new tag was kept.
    expect(await b.counts()).to.deep.equal(before);
    const same = await b.api('POST', '/contracts/publish', publishBody([contract(base64(pactContent('web', 'api', 'a')))]));
    expect(same.status).to.equal(200);
  });

  it('answers unknown pacticipants and environments with the errors the clients print', async () => {
    const unknownPacticipant = await b.matrix('q[][pacticipant]=nobody&q[][version]=1&latestby=cvpv&environment=production');
    expect(unknownPacticipant.status).to.equal(400);
    expect(unknownPacticipant.body.detail).to.equal('Pacticipant "nobody" not found');
    const unknownEnvironment = await b.matrix('q[][pacticipant]=web&q[][version]=1&latestby=cvpv&environment=mars');
    expect(unknownEnvironment.status).to.equal(400);
    expect(unknownEnvironment.body.detail).to.equal('Environment with name "mars" does not exist');
    const version = await b.api('GET', '/pacticipants/nobody/versions/1');
    expect(version.status).to.equal(404);
    const deployment = await b.api('POST', '/pacticipants/web/versions/1/deployed-versions/environment/00000000-0000-0000-0000-000000000000', {});
    expect(deployment.status).to.equal(404);
    expect(deployment.body.detail).to.match(/environment/);
  });

  it('refuses anonymous and wrong tokens with 401, read-only writes with 403', async () => {
    const before = await b.counts();
    const anonymous = await b.api('POST', '/environments', { name: 'uat' }, { token: null });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.contentType).to.match(/^application\/problem\+json/);
    expect((await b.api('GET', '/', undefined, { token: 'wrong' })).status).to.equal(401);
    const readOnly = await b.api('POST', '/environments', { name: 'uat' }, { token: READ_TOKEN });
    expect(readOnly.status).to.equal(403);
    expect((await b.api('GET', '/environments', undefined, { token: READ_TOKEN })).status).to.equal(200);
    // Asking which pacts to verify is a POST that reads, as in the Pact Broker.
    expect((await b.api('POST', '/pacts/provider/api/for-verification', {}, { token: READ_TOKEN })).status).to.equal(200);
    expect(await b.counts()).to.deep.equal(before);
  });

  it('answers bodies over the limit with 413', async () => {
    const response = await b.api('POST', '/contracts/publish', publishBody([contract('A'.repeat(100 * 1024))]));
    expect(response.status).to.equal(413);
    expect(response.body.title).to.equal('Payload Too Large');
  });

  it('keeps SQL parameterized: hostile names are data', async () => {
    const name = "web'); DROP TABLE versions; --";
    const response = await b.api('PUT', `/pacticipants/${encodeURIComponent(name)}/versions/1`, {});
    expect(response.status).to.equal(201);
    expect((await b.api('GET', `/pacticipants/${encodeURIComponent(name)}`)).body.name).to.equal(name);
    expect((await b.counts()).versions).to.be.greaterThan(0);
  });
});
