import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { READ_TOKEN, startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const record = (step: string, status: string, summary = `${step} ${status}`) => ({ step, status, summary, reportDigest: digest(`${step}/${status}/${summary}`) });
const toProduction = (pacticipant: string, version: string, require?: string) =>
  `q[][pacticipant]=${pacticipant}&q[][version]=${version}&latestby=cvpv&environment=production${require ? `&require=${require}` : ''}`;

// The accord:evidence extension through the real HTTP API, each case on its own database.
describe('broker evidence (accord:evidence, can-i-deploy require=)', function () {
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

  it('is linked from the index and records one entry per step, readable with the read token', async () => {
    const index = await b.api('GET', '/', undefined, { token: READ_TOKEN });
    const href: string = index.body._links['accord:evidence'].href;
    expect(href).to.equal(`${b.broker.url}/pacticipants/{pacticipant}/versions/{version}/evidence`);
    await b.createVersion('web', '1.0.0');
    const path = '/pacticipants/web/versions/1.0.0/evidence';
    const posted = await b.api('POST', path, { evidence: [record('schema', 'pass'), { ...record('load', 'fail'), reportUrl: 'https://ci.example/run/7/load.html' }] });
    expect(posted.status).to.equal(201);
    const listed = await b.api('GET', path, undefined, { token: READ_TOKEN });
    expect(listed.status).to.equal(200);
    const records = listed.body._embedded.evidence as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.step, r.status])).to.deep.equal([['load', 'fail'], ['schema', 'pass']]);
    expect(records[0]).to.include({ summary: 'load fail', reportUrl: 'https://ci.example/run/7/load.html' });
    expect(records[0]?.reportDigest).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(Date.parse(String(records[0]?.createdAt))).to.be.greaterThan(0);
    const one = await b.api('GET', `${path}/schema`);
    expect(one.body).to.include({ step: 'schema', status: 'pass' });
    const put = await b.api('PUT', `${path}/scenarios`, { status: 'pass', summary: '7 scenarios passed', reportDigest: digest('s') });
    expect(put.status).to.equal(201);
    expect(put.body.step).to.equal('scenarios');
  });

  it('accepts identical content again (200) and refuses changed content with 409, writing nothing of the batch', async () => {
    await b.createVersion('web', '1.0.0');
    const path = '/pacticipants/web/versions/1.0.0/evidence';
    expect((await b.api('POST', path, { evidence: [record('schema', 'pass')] })).status).to.equal(201);
    expect((await b.api('POST', path, { evidence: [record('schema', 'pass')] })).status).to.equal(200);
    const before = await b.counts();
    const conflict = await b.api('POST', path, { evidence: [record('load', 'pass'), record('schema', 'fail')] });
    expect(conflict.status).to.equal(409);
    expect(conflict.contentType).to.match(/^application\/problem\+json/);
    expect(conflict.body.detail).to.match(/Cannot change the schema evidence of web version 1\.0\.0/);
    expect(conflict.body.errors.schema[0]).to.match(/Cannot change/);
    // The load record of the same batch was rolled back.
    expect(await b.counts()).to.deep.equal(before);
  });

  it('answers bad input with the broker\'s problem+json and writes nothing', async () => {
    await b.createVersion('web', '1.0.0');
    const before = await b.counts();
    const unknownPacticipant = await b.api('POST', '/pacticipants/nobody/versions/1.0.0/evidence', { evidence: [record('schema', 'pass')] });
    expect(unknownPacticipant.status).to.equal(404);
    expect(unknownPacticipant.body.detail).to.equal('pacticipant "nobody" was not found');
    const unknownVersion = await b.api('POST', '/pacticipants/web/versions/9.9.9/evidence', { evidence: [record('schema', 'pass')] });
    expect(unknownVersion.status).to.equal(404);
    expect(unknownVersion.body.detail).to.equal('version "9.9.9" of pacticipant "web" was not found');
    const unknownStep = await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: [record('schema', 'pass'), record('lint-everything', 'pass')] });
    expect(unknownStep.status).to.equal(400);
    expect(unknownStep.body.errors['evidence.1.step'][0]).to.match(/^unknown step "lint-everything" \(known: contract-lint, /);
    const twice = await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: [record('schema', 'pass'), record('schema', 'fail')] });
    expect(twice.status).to.equal(400);
    expect(twice.body.detail).to.match(/given twice/);
    const malformed = await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: [{ step: 'schema', status: 'green', summary: '', reportDigest: 'md5:x', extra: 1 }] });
    expect(malformed.status).to.equal(400);
    expect(malformed.contentType).to.match(/^application\/problem\+json/);
    const messages = (malformed.body.errors.body as string[]).join('\n');
    for (const field of ['status', 'summary', 'reportDigest', 'extra']) expect(messages).to.include(field);
    const notJson = await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', undefined, { rawBody: '{"evidence": [' });
    expect(notJson.status).to.equal(400);
    expect(notJson.body.detail).to.match(/not valid JSON/);
    const anonymous = await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: [record('schema', 'pass')] }, { token: null });
    expect(anonymous.status).to.equal(401);
    const readOnly = await b.api('PUT', '/pacticipants/web/versions/1.0.0/evidence/schema', { status: 'pass', summary: 'ok', reportDigest: digest('x') }, { token: READ_TOKEN });
    expect(readOnly.status).to.equal(403);
    expect(readOnly.body.title).to.equal('Forbidden');
    expect(await b.counts()).to.deep.equal(before);
  });

  it('weighs required evidence in can-i-deploy: yes, no on a failed step, unknown on a missing one', async () => {
    const { sha } = await b.publish('web', '1.0.0', 'api');
    await b.verify('api', '2.0.0', 'web', sha, true);
    await b.record('deployed', 'api', '2.0.0', 'production');
    const all = ['schema', 'scenarios', 'load'];
    await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: all.map((s) => record(s, 'pass')) });
    await b.api('POST', '/pacticipants/api/versions/2.0.0/evidence', { evidence: all.map((s) => record(s, 'pass')) });

    const plain = await b.matrix(toProduction('web', '1.0.0'));
    expect(plain.body.summary).to.not.have.property('evidence');
    expect(plain.body).to.not.have.property('evidence');
    const yes = await b.matrix(toProduction('web', '1.0.0', 'schema,scenarios,load'));
    expect(yes.status).to.equal(200);
    expect(yes.body.summary.deployable).to.equal(true);
    expect(yes.body.summary.evidence).to.deep.equal({ required: all, passed: 6, failed: 0, missing: 0 });
    expect(yes.body.evidence).to.have.length(6);
    expect(yes.body.summary.reason).to.include('All required evidence (schema, scenarios, load) is published and passing for version 1.0.0 of web, version 2.0.0 of api');

    const { sha: sha2 } = await b.publish('web', '1.0.1', 'api', { variant: 'v1' });
    expect(sha2).to.equal(sha);
    await b.api('POST', '/pacticipants/web/versions/1.0.1/evidence', { evidence: [record('schema', 'fail', 'column orders.note is missing'), record('scenarios', 'pass'), record('load', 'pass')] });
    const no = await b.matrix(toProduction('web', '1.0.1', 'schema,load'));
    expect(no.body.summary.deployable).to.equal(false);
    expect(no.body.summary.reason).to.equal('The schema evidence for version 1.0.1 of web failed: column orders.note is missing');
    // The matrix alone still says yes: the evidence is what says no.
    expect((await b.matrix(toProduction('web', '1.0.1'))).body.summary.deployable).to.equal(true);

    await b.publish('web', '1.0.2', 'api');
    const unknown = await b.matrix(toProduction('web', '1.0.2', 'all'));
    expect(unknown.body.summary.deployable).to.equal(null);
    expect(unknown.body.summary.reason).to.include('There is no schema evidence for version 1.0.2 of web');
    expect(unknown.body.summary.reason).to.include('There is no docs evidence for version 2.0.0 of api');
    const entry = (unknown.body.evidence as Array<{ step: string; version: { number: string }; status: unknown }>).find((e) => e.step === 'schema' && e.version.number === '1.0.2');
    expect(entry?.status).to.equal(null);

    const simple = await b.api('GET', '/can-i-deploy?pacticipant=web&version=1.0.1&environment=production&require=schema');
    expect(simple.body.summary.deployable).to.equal(false);
  });

  it('refuses an unknown required step with 400 before computing anything', async () => {
    await b.publish('web', '1.0.0', 'api');
    const response = await b.matrix(toProduction('web', '1.0.0', 'schema,lnt'));
    expect(response.status).to.equal(400);
    expect(response.body.detail).to.match(/^require: unknown step "lnt" \(known: /);
  });
});
