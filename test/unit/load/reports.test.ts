import { expect } from 'chai';
import { renderLoadHtml, renderLoadJson, renderLoadJunit, renderLoadMarkdown, renderLoadText } from '../../../src/load/index.js';
import { sampleResult } from './sample-result.js';

describe('load reports', () => {
  it('evaluates the sample: a 300 ms stall shows in p99 while p50 stays at 2 ms', async () => {
    const result = await sampleResult();
    const sustain = result.stages.find((stage) => stage.name === 'sustain');
    expect(sustain?.latency.p50Ms).to.be.closeTo(2, 0.01);
    expect(sustain?.latency.p99Ms).to.be.greaterThan(100);
    expect(result.ok).to.equal(true);
  });

  it('renders JSON that round-trips the result', async () => {
    const result = await sampleResult();
    const parsed = JSON.parse(renderLoadJson(result)) as typeof result;
    expect(parsed.ok).to.equal(true);
    expect(parsed.thresholds.map((check) => check.id)).to.include('latency.p99');
    expect(parsed.series).to.have.length(30);
    expect(parsed.abortedReason).to.equal(null);
  });

  it('renders Markdown with stage tables and Mermaid xychart-beta charts of p50/p99 and rate', async () => {
    const markdown = renderLoadMarkdown(await sampleResult());
    expect(markdown).to.match(/^# Load pass: smoke \(PASSED\)/);
    expect(markdown).to.include('| sustain | 15s | 200 |');
    const charts = markdown.split('```mermaid').slice(1);
    expect(charts).to.have.length(2);
    for (const chart of charts) {
      expect(chart).to.match(/^\nxychart-beta\n/);
      expect(chart).to.include('x-axis "time (s)" 0 --> 30');
      expect(chart.match(/^ {2}line \[/gm)).to.have.length(2);
    }
    // The stall in second 12 is visible in the p99 line.
    const p99 = /line \[([^\]]+)\]\n```/.exec(charts[0] ?? '')?.[1]?.split(', ').map(Number) ?? [];
    expect(p99[12]).to.be.greaterThan(100);
    expect(p99[20]).to.be.lessThan(5);
  });

  it('renders a self-contained HTML page with SVG charts and no external references', async () => {
    const html = await renderLoadHtml(await sampleResult());
    expect(html).to.match(/^<!doctype html>/);
    expect(html.match(/<svg /g)).to.have.length(4);
    expect(html).to.include('Latency from scheduled start (ms)');
    expect(html).not.to.match(/<(script|link|img)\b[^>]*\b(src|href)=/i);
    expect(html).to.include('<span class="verdict">PASSED</span>');
  });

  it('renders JUnit with one test case per threshold and resource limit, failures marked', async () => {
    const passing = renderLoadJunit(await sampleResult());
    expect(passing.match(/<testcase /g)).to.have.length(6 + 2 * 3);
    expect(passing).to.include('failures="0"');
    const failing = renderLoadJunit(await sampleResult({ memoryLimit: 150e6 }));
    expect(failing).to.include('<testsuite name="load.smoke" tests="12" failures="1"');
    expect(failing).to.match(/<testcase classname="load\.smoke\.resources" name="postgres RSS &lt; 150 MB" time="0">\n\s+<failure message="postgres RSS &lt; 150 MB: was 300 MB"/);
  });

  it('renders a text summary with the verdict, the thresholds and the findings', async () => {
    const text = renderLoadText(await sampleResult({ memoryLimit: 150e6 }), ['reports/load/load-smoke.json']);
    expect(text).to.match(/^accord load: profile smoke -> http:\/\/127\.0\.0\.1:8001: FAILED\n/);
    expect(text).to.include('ok    p99 < 1000 ms over sustain');
    expect(text).to.include('- resource limit exceeded: postgres RSS < 150 MB, was 300.0 MB');
    expect(text).to.include('reports: reports/load/load-smoke.json');
  });
});
