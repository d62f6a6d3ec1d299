/**
 * What the self-contained acceptance.html costs: the size of Mermaid's inlined bundle and of the
 * page, the time to write the four report files, and in headless Chromium (Debian's package,
 * driven by playwright-core) the time until the page has parsed its scripts and until every
 * diagram has rendered (wall), and the CPU Chromium's processes spent on each page (from /proc,
 * so it holds up on a busy machine where wall times do not). The report is the test fixture:
 * 4 Mermaid diagrams and 1 vega chart.
 * Run: npx tsx scripts/bench-report-html.ts [runs=5]
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CLOCK_TICKS_PER_SECOND, descendantsOf, readAllProcStats } from '../src/load/proc-stats.js';
import { writeAcceptanceReport } from '../src/report/index.js';
import { sampleReport } from '../test/unit/report/sample-report.js';

const runs = Number(process.argv[2] ?? 5);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

const bundle = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const dir = await mkdtemp(join(tmpdir(), 'accord-bench-report-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const report = await sampleReport();
  const writes: number[] = [];
  const parsed: number[] = [];
  const rendered: number[] = [];
  const cpu: number[] = [];
  // Chromium's own processes (browser, renderers, GPU/utility), all started by this script.
  const chromiumCpuMs = async () => {
    const stats = await readAllProcStats();
    const ours = new Set(descendantsOf(process.pid, stats));
    return (stats.filter((stat) => ours.has(stat.pid) && stat.pid !== process.pid).reduce((sum, stat) => sum + stat.ownTicks, 0) * 1000) / CLOCK_TICKS_PER_SECOND;
  };
  let html = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const { files } = await writeAcceptanceReport(report, join(dir, String(run)));
    writes.push(performance.now() - started);
    html = files.find((file) => file.endsWith('.html')) ?? '';
    const cpuBefore = await chromiumCpuMs();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction('document.body.dataset.diagrams !== "pending"', undefined, { timeout: 60_000 });
    // Navigation Timing: from the navigation start, in the page's own clock.
    const timing = (await page.evaluate(`(() => { const [n] = performance.getEntriesByType('navigation'); return { dom: n.domContentLoadedEventEnd, done: performance.now(), state: document.body.dataset.diagrams }; })()`)) as { dom: number; done: number; state: string };
    if (timing.state !== 'rendered') throw new Error(`run ${run}: diagrams ${timing.state}`);
    parsed.push(timing.dom);
    rendered.push(timing.done);
    cpu.push((await chromiumCpuMs()) - cpuBefore);
    await page.close();
  }
  const diagrams = ((await readFile(html, 'utf8')).match(/<figure class="diagram"/g) ?? []).length;
  console.log(`mermaid.min.js (inlined):              ${mb((await stat(bundle)).size)}`);
  console.log(`acceptance.html:                       ${mb((await stat(html)).size)} (${diagrams} diagrams, 1 chart)`);
  console.log(`write the report (4 files), median:    ${median(writes).toFixed(0)} ms  [${writes.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`page parsed (DOMContentLoaded), median: ${median(parsed).toFixed(0)} ms  [${parsed.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`all diagrams rendered, median:          ${median(rendered).toFixed(0)} ms  [${rendered.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`Chromium CPU per page, median:          ${median(cpu).toFixed(0)} ms  [${cpu.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`runs ${runs}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
