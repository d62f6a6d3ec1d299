import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { expect } from 'chai';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { READ_TOKEN, WRITE_TOKEN, startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const record = (step: string, status: string, summary: string) => ({ step, status, summary, reportDigest: `sha256:${createHash('sha256').update(summary).digest('hex')}` });

// The broker's page in Debian's headless Chromium, against a broker holding pacts, results and evidence.
describe('broker web page (GET / with Accept: text/html)', function () {
  this.timeout(120_000);
  let harness: BrokerHarness;
  let b: TestBroker;
  let browser: Browser;

  before(async () => {
    harness = await startHarness();
    b = await harness.fresh();
    const { sha } = await b.publish('web', '1.0.0', 'api', { branch: 'main' });
    await b.verify('api', '2.0.0', 'web', sha, true, { branch: 'main' });
    await b.record('deployed', 'api', '2.0.0', 'production');
    await b.api('POST', '/pacticipants/web/versions/1.0.0/evidence', { evidence: [record('schema', 'fail', 'column orders.note is missing'), record('load', 'pass', 'p95 12 ms')] });
    await b.api('POST', '/pacticipants/api/versions/2.0.0/evidence', { evidence: [record('schema', 'pass', 'no drift'), record('load', 'pass', 'p95 9 ms')] });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await harness?.stop();
  });

  it('asks a browser for a token, then shows pacticipants, integrations, the matrix with evidence and can-i-deploy', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const first = await page.goto(b.broker.url);
    expect(first?.status()).to.equal(401);
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('body')).to.include('That token is not valid for this broker.');

    await page.fill('input[name=token]', READ_TOKEN);
    await Promise.all([page.waitForURL(`${b.broker.url}/`), page.click('button[type=submit]')]);
    const pacticipants = await page.$$eval('#pacticipants tbody tr', (rows) => rows.map((row) => (row as unknown as { innerText: string }).innerText));
    expect(pacticipants).to.have.length(2);
    expect(pacticipants[0]).to.match(/^api\s+2\.0\.0/).and.include('main (main): 2.0.0').and.include('production: 2.0.0 (deployed)');
    expect(pacticipants[1]).to.match(/^web\s+1\.0\.0/);
    expect(await page.textContent('#integrations')).to.include('web → api');
    const matrix = await page.$$eval('#matrix tbody tr', (rows) => rows.map((row) => (row as unknown as { innerText: string }).innerText));
    expect(matrix).to.have.length(1);
    expect(matrix[0]).to.match(/web\s+1\.0\.0\s+api\s+2\.0\.0\s+success/);
    const failed = await page.$$eval('#matrix .evidence-fail', (cells) => cells.map((cell) => ({ text: cell.textContent, title: cell.getAttribute('title'), step: cell.closest('td')?.getAttribute('data-step') })));
    expect(failed).to.deep.equal([{ text: 'fail', title: 'column orders.note is missing', step: 'schema' }]);

    await page.selectOption('select[name=pacticipant]', 'web');
    await page.fill('input[name=version]', '1.0.0');
    await page.selectOption('select[name=environment]', 'production');
    await page.fill('input[name=require]', 'schema,load');
    await Promise.all([page.waitForURL(/version=1\.0\.0/), page.click('#can-i-deploy-form button')]);
    const answer = await page.textContent('#can-i-deploy-answer');
    expect(answer).to.include('web 1.0.0 → production: No').and.include('The schema evidence for version 1.0.0 of web failed: column orders.note is missing');
    await mkdir('reports/screenshots', { recursive: true });
    await page.screenshot({ path: 'reports/screenshots/broker.png', fullPage: true });

    // The page loaded nothing but itself.
    const external: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(b.broker.url) || external.push(r.url())));
    await page.reload();
    expect(external).to.deep.equal([]);
    await page.close();
  });

  it('keeps HAL clients on JSON, and the cookie never lets a page write', async () => {
    const hal = await b.api('GET', '/', undefined, { token: READ_TOKEN });
    expect(hal.contentType).to.match(/^application\/hal\+json/);
    expect(hal.body._links['accord:evidence']).to.be.an('object');
    const cookie = `accord_broker_token=${WRITE_TOKEN}`;
    const read = await request(`${b.broker.url}/environments`, { headers: { cookie, accept: 'application/hal+json' } });
    expect(read.statusCode).to.equal(200);
    await read.body.dump();
    const write = await request(`${b.broker.url}/environments`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'uat' }) });
    expect(write.statusCode).to.equal(401);
    await write.body.dump();
    const anonymousJson = await b.api('GET', '/', undefined, { token: null });
    expect(anonymousJson.status).to.equal(401);
    expect(anonymousJson.contentType).to.match(/^application\/problem\+json/);
  });
});
