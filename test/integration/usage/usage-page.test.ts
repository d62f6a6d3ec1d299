import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { contractUsage, writeUsagePage } from '../../../src/usage/index.js';
import { EXAMPLE_ROOT } from '../../support/accord.js';
import { launchChromium, openFile } from '../report/open-in-chromium.js';

/** The one browser API the checks call (the tests compile without the DOM library). */
interface BrowserWindow {
  getComputedStyle(element: unknown, pseudo: string): { content: string };
}

// The usage page as a reader's browser shows it: the example's contract and Service A's pact.
describe('contract usage HTML page in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'accord-usage-page-'));
  });
  after(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows one table per operation and marks every field no consumer reads', async () => {
    const report = await contractUsage('contracts/service-a-to-b.yaml', { consumers: 'pacts', cwd: EXAMPLE_ROOT });
    expect(report.unused.fields.length, 'the example has fields nobody reads').to.be.greaterThan(0);
    const file = join(dir, 'contract-usage.html');
    await writeUsagePage(file, report);
    const { page, outside, errors } = await openFile(browser, file);
    expect(outside).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    const headings = await page.locator('section.operation h2').allInnerTexts();
    expect(headings).to.deep.equal(report.operations.map((operation) => operation.operation));
    const withFields = report.operations.filter((operation) => operation.fields.length > 0).length;
    expect(await page.locator('section.operation table').count()).to.equal(withFields);
    // Every unused field's row is marked, visibly: the "(unused)" after its name and the cell's text.
    const unusedRows = page.locator('tr.unused');
    expect(await unusedRows.count()).to.equal(report.unused.fields.length);
    const marker = await unusedRows.first().locator('td').first().evaluate((cell) => (globalThis as unknown as BrowserWindow).getComputedStyle(cell, '::after').content);
    expect(marker).to.equal('" (unused)"');
    expect(await unusedRows.first().locator('td').nth(1).innerText()).to.equal('unused');
    // A field Service A reads names it and the interaction.
    const price = page.locator('section.operation', { hasText: 'GET /items/{sku}' }).locator('tr', { hasText: '200 priceCents' });
    expect(await price.getAttribute('class')).to.equal('used');
    expect(await price.locator('td').nth(1).innerText()).to.equal('service-a (a request for an item)');
    // An operation nobody calls is marked too.
    const health = page.locator('section.operation.unused h2', { hasText: 'GET /health' });
    expect(await health.evaluate((heading) => (globalThis as unknown as BrowserWindow).getComputedStyle(heading, '::after').content)).to.equal('" (no consumer)"');
  });
});
