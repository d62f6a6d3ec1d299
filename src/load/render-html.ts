import { escapeHtml, htmlTable } from '../report/index.js';
import { renderLoadCharts } from './load-charts.js';
import { renderLoadText } from './render-text.js';
import type { LoadResult } from './load-result.js';
import { ms, RESOURCE_HEADERS, resourceCells, resourceGate, stageCells } from './report-cells.js';
import { formatValue } from './thresholds.js';
import { formatDuration } from './units.js';

/**
 * A self-contained HTML report: tables plus SVG charts (latency over time, target vs achieved
 * rate, CPU and RSS per process) inlined, so the file opens anywhere with no network.
 */
export async function renderLoadHtml(result: LoadResult): Promise<string> {
  const t = result.profile.thresholds;
  const charts = (await renderLoadCharts(result)).map((chart) => chart.svg);

  const stageRows = [...result.stages, result.total].map((stage) => stageCells(stage, { uncorrectedP99: true }));
  const gated = result.stages.find((stage) => stage.name === t.stage);
  const endpointRows = (gated?.endpoints ?? []).map((e) => [e.endpoint, String(e.requests), String(e.errors), ms(e.latency.p50Ms), ms(e.latency.p95Ms), ms(e.latency.p99Ms)]);
  const thresholdRows = result.thresholds.map((check) => [check.description, formatValue(check.actual, check.unit), check.informational ? 'reported' : check.ok ? 'pass' : 'FAIL']);
  const resourceRows = result.resources.summaries.map((s) => {
    const gate = resourceGate(result, s);
    return [s.name, String(s.pid), ...resourceCells(s), gate === 'fail' ? 'FAIL' : gate];
  });
  const baseline = result.baseline;
  const baselineRows = (baseline?.checks ?? []).map((check) => [check.id.replace('baseline.', ''), String(check.baseline), String(check.actual), String(check.allowed), check.ok ? 'pass' : 'FAIL']);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Load pass ${escapeHtml(result.profile.name)}: ${result.ok ? 'passed' : 'failed'}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; }
h1 .verdict { padding: 0.1em 0.5em; border-radius: 4px; color: white; background: ${result.ok ? '#27ae60' : '#c0392b'}; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.fail td { background: #fdecea; }
figure { margin: 0 0 1.5rem; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; }
</style>
</head>
<body>
<h1>Load pass <code>${escapeHtml(result.profile.name)}</code> <span class="verdict">${result.ok ? 'PASSED' : 'FAILED'}</span></h1>
<p>Target ${escapeHtml(result.target)}, started ${escapeHtml(result.startedAt)}, ran ${escapeHtml(formatDuration(Math.round(result.durationMs / 1000) * 1000))}.
Latency is measured from each request's <em>scheduled</em> start (open model, coordinated-omission correct); "uncorr. p99" is from the actual send.</p>
${result.abortedReason ? `<p><strong>Aborted:</strong> ${escapeHtml(result.abortedReason)}</p>` : ''}
${result.findings.length > 0 ? `<h2>Findings</h2>\n<ul>${result.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
<h2>Over time</h2>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h2>Stages</h2>
${htmlTable(['stage', 'duration', 'target/s', 'sent', 'achieved/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'uncorr. p99 ms', 'errors', 'dropped', 'late'], stageRows)}
<h2>Endpoints over ${escapeHtml(t.stage)}</h2>
${htmlTable(['endpoint', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'], endpointRows)}
<h2>Thresholds</h2>
${htmlTable(['check', 'actual', 'result'], thresholdRows, (i) => (thresholdRows[i]?.[2] === 'FAIL' ? 'fail' : undefined))}
<h2>Resources</h2>
${htmlTable(['process', 'pid', ...RESOURCE_HEADERS.map((header) => (header === 'CPU % machine' ? `CPU % machine (mean over ${t.stage})` : header)), 'gate'], resourceRows, (i) => (resourceRows[i]?.at(-1) === 'FAIL' ? 'fail' : undefined))}
${baseline ? `<h2>Baseline ${escapeHtml(baseline.key)}: ${escapeHtml(baseline.status)}</h2>\n${htmlTable(['metric', 'baseline', 'actual', 'allowed', 'result'], baselineRows, (i) => (baselineRows[i]?.[4] === 'FAIL' ? 'fail' : undefined))}` : ''}
<h2>Text summary</h2>
<pre>${escapeHtml(renderLoadText(result))}</pre>
</body>
</html>
`;
}
