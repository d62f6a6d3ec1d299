import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { writeAcceptanceReport } from '../../../src/report/index.js';
import type { AcceptanceReport } from '../../../src/report/index.js';
import { BROKEN_DIAGRAM, sampleReport } from '../../unit/report/sample-report.js';
import { launchChromium, openFile, screenshot } from './open-in-chromium.js';

// Kept after the run (reports/ is git-ignored) so a reader can look at what the test saw.
const SCREENSHOTS = join(process.cwd(), 'reports', 'screenshots');

describe('acceptance.html in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'accord-acceptance-html-'));
  });
  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function writeAndOpen(name: string, report: AcceptanceReport) {
    const { files } = await writeAcceptanceReport(report, join(dir, name));
    const html = files.find((file) => file.endsWith('acceptance.html'));
    if (html === undefined) throw new Error('no acceptance.html written');
    const opened = await openFile(browser, html);
    await opened.page.waitForFunction('document.body.dataset.diagrams !== "pending"', undefined, { timeout: 60_000 });
    return opened;
  }

  it('renders every Mermaid diagram to SVG and shows the chart, fetching nothing and logging no error', async () => {
    const report = await sampleReport();
    const { page, outside, errors } = await writeAndOpen('passing', report);
    await screenshot(page, join(SCREENSHOTS, 'acceptance.png'));

    expect(await page.getAttribute('body', 'data-diagrams')).to.equal('rendered');
    const figures = await page.$$eval('figure.diagram', (nodes) =>
      nodes.map((node) => ({ state: node.getAttribute('data-diagram'), title: node.querySelector('figcaption')?.textContent, elements: node.querySelectorAll('.diagram-svg svg *').length, text: node.querySelector('.diagram-svg svg')?.textContent ?? '' })),
    );
    // Three scenario sequence diagrams and the architecture flowchart.
    expect(figures.map((figure) => figure.state)).to.deep.equal(['rendered', 'rendered', 'rendered', 'rendered']);
    for (const figure of figures) expect(figure.elements, figure.title ?? '').to.be.greaterThan(10);
    expect(figures.find((figure) => figure.title?.startsWith('Happy path'))?.text).to.include('service-b (inventory)');
    expect(figures.find((figure) => figure.title?.startsWith('Redis down'))?.title).to.equal('Redis down: B serves from Postgres <degraded>');
    expect(await page.textContent('#diagram-status')).to.equal('All 4 diagrams rendered.');

    const charts = await page.$$eval('figure.chart svg', (nodes) => nodes.map((node) => ({ width: node.getBoundingClientRect().width, paths: node.querySelectorAll('path').length })));
    expect(charts).to.have.length(1);
    expect(charts[0]?.width).to.be.greaterThan(300);
    expect(charts[0]?.paths).to.be.greaterThan(2);

    expect(outside, 'requests that left the page').to.deep.equal([]);
    expect(errors, 'console errors').to.deep.equal([]);
  });

  it('escapes report text: markup in a check name shows as text and makes no element, a script href makes no link', async () => {
    const report = await sampleReport();
    const checklist = [...report.checklist, { section: 'Documentation' as const, item: 'API contract documentation updated', ok: false, reason: 'linked oddly', evidence: [{ label: 'odd', href: 'javascript:alert(1)' }] }];
    const { page, errors } = await writeAndOpen('escaping', { ...report, checklist });
    expect(await page.$$('stock')).to.have.length(0);
    expect(await page.textContent('#step-verify')).to.include('a request for <stock> & "more" | pipes');
    expect(await page.$$('a[href^="javascript"]')).to.have.length(0);
    expect(await page.locator('#checklist li').last().textContent()).to.include('odd');
    expect(errors).to.deep.equal([]);
  });

  it('ticks and crosses the checklist from the report and links each item to its evidence', async () => {
    const { page } = await writeAndOpen('checklist', await sampleReport());
    const items = await page.$$eval('#checklist li', (nodes) => nodes.map((node) => ({ ok: node.getAttribute('data-ok'), mark: node.querySelector('.mark')?.textContent })));
    const links = (index: number) => page.locator('#checklist li').nth(index).locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(items.map((item) => item.mark).join('')).to.equal('✓✓✗✓✗✓✓✗');
    expect(items.map((item) => item.ok).join(' ')).to.equal('true true false true false true true false');
    expect(await links(2)).to.deep.equal(['#step-load']);
    expect(await links(7)).to.deep.equal([]);
    expect((await links(1))[0]).to.match(/^(\.\.\/)+.*\/reports\/traces\/b-unavailable\.json$/);
    expect(await page.$$('#step-load')).to.have.length(1);
  });

  it('marks a diagram with a Mermaid syntax error as failed, visibly, and renders the others', async () => {
    const { page, outside } = await writeAndOpen('broken-diagram', await sampleReport({ brokenDiagram: true }));
    await screenshot(page, join(SCREENSHOTS, 'acceptance-broken-diagram.png'));

    expect(await page.getAttribute('body', 'data-diagrams')).to.equal('failed');
    const states = await page.$$eval('figure.diagram', (nodes) => nodes.map((node) => [node.querySelector('figcaption')?.textContent, node.getAttribute('data-diagram')]));
    expect(states.filter(([, state]) => state === 'rendered')).to.have.length(4);
    expect(states.filter(([, state]) => state === 'failed')).to.deep.equal([[BROKEN_DIAGRAM.title, 'failed']]);
    const broken = page.locator('figure.diagram[data-diagram="failed"]');
    expect(await broken.locator('.diagram-error').isVisible()).to.equal(true);
    expect(await broken.locator('.diagram-error').textContent()).to.match(/^This diagram did not render: .*(Parse error|error)/is);
    expect(await broken.locator('.diagram-svg svg').count()).to.equal(0);
    expect(await page.textContent('#diagram-status')).to.equal('1 of 5 diagrams did not render: see the figures marked in red.');
    expect(outside).to.deep.equal([]);
  });

  it("sees a fetch when there is one: a chart pointing at a URL is caught, and the page's policy blocks it", async () => {
    const report = await sampleReport();
    const steps = report.steps.map((step) =>
      step.id === 'load' ? { ...step, details: { charts: [{ title: 'Leaky chart', svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://127.0.0.1:9/leak.png" width="10" height="10"/></svg>' }] } } : step,
    );
    const { outside, errors } = await writeAndOpen('leaky-chart', { ...report, steps });
    // Both detectors the other tests rely on see the attempt, and the page's Content-Security-Policy blocked it.
    expect(outside).to.deep.equal(['http://127.0.0.1:9/leak.png']);
    expect(errors.join('\n')).to.match(/Content Security Policy.*127\.0\.0\.1:9\/leak\.png|127\.0\.0\.1:9\/leak\.png.*Content Security Policy/s);
  });
});
