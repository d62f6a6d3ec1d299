import { escapeMarkdown, markdownRow } from '../report/index.js';
import { downsampleSeries } from './downsample.js';
import type { LoadResult } from './load-result.js';
import { ms, RESOURCE_HEADERS, resourceCells, resourceGate, stageCells } from './report-cells.js';
import { formatValue } from './thresholds.js';
import { formatDuration } from './units.js';

const row = (cells: readonly (string | number)[]) => markdownRow(cells.map((cell) => escapeMarkdown(String(cell))));
const list = (values: readonly number[]) => `[${values.map((value) => Number(value.toFixed(2))).join(', ')}]`;

/** A Mermaid `xychart-beta` line chart over the run's seconds (GitHub renders these). */
export function mermaidLineChart(title: string, yLabel: string, xMax: number, lines: readonly (readonly number[])[]): string {
  const highest = Math.max(1, ...lines.flat());
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replaceAll('"', "'")}"`,
    `  x-axis "time (s)" 0 --> ${Math.max(1, Math.ceil(xMax))}`,
    `  y-axis "${yLabel}" 0 --> ${Math.ceil(highest * 1.1)}`,
    ...lines.map((values) => `  line ${list(values)}`),
    '```',
  ].join('\n');
}

/** The Markdown report: summary tables and Mermaid charts of p50/p99 and rate over time. */
export function renderLoadMarkdown(result: LoadResult): string {
  const out: string[] = [];
  const verdict = result.ok ? 'PASSED' : 'FAILED';
  out.push(`# Load pass: ${result.profile.name} (${verdict})`, '');
  out.push(`Target ${result.target}, started ${result.startedAt}, ran ${formatDuration(Math.round(result.durationMs / 1000) * 1000)}.`);
  if (result.profile.description) out.push('', result.profile.description);
  out.push('', 'Latency is measured from each request\'s **scheduled** start (open model, coordinated-omission correct).');
  if (result.abortedReason) out.push('', `**Aborted:** ${result.abortedReason}`);
  if (result.findings.length > 0) {
    out.push('', '## Findings', '', ...result.findings.map((finding) => `- ${finding}`));
  }

  out.push('', '## Stages', '');
  out.push(row(['stage', 'duration', 'target req/s', 'sent', 'achieved req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'dropped', 'late']));
  out.push(row(Array.from({ length: 12 }, (_, index) => (index === 0 ? '---' : '---:'))));
  for (const stage of [...result.stages, result.total]) out.push(row(stageCells(stage)));

  const gated = result.stages.find((stage) => stage.name === result.profile.thresholds.stage);
  if (gated) {
    out.push('', `## Endpoints over ${gated.name}`, '');
    out.push(row(['endpoint', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms']), row(['---', '---:', '---:', '---:', '---:', '---:']));
    for (const endpoint of gated.endpoints) {
      out.push(row([endpoint.endpoint, endpoint.requests, endpoint.errors, ms(endpoint.latency.p50Ms), ms(endpoint.latency.p95Ms), ms(endpoint.latency.p99Ms)]));
    }
  }

  out.push('', '## Thresholds', '');
  out.push(row(['check', 'actual', 'result']), row(['---', '---:', '---']));
  for (const check of result.thresholds) out.push(row([check.description, formatValue(check.actual, check.unit), check.informational ? 'reported' : check.ok ? 'pass' : '**FAIL**']));

  if (result.resources.summaries.length > 0) {
    out.push('', '## Resources', '', `${result.resources.cpus} CPUs; CPU is the mean over ${result.profile.thresholds.stage}; memory is the peak with shared pages counted once (PSS) and its growth over ${result.profile.thresholds.stage}; the RSS sum (shared pages once per process) and disk are peaks.`, '');
    out.push(row(['process', ...RESOURCE_HEADERS, 'gate']), row(['---', ...RESOURCE_HEADERS.map(() => '---:'), '---']));
    for (const summary of result.resources.summaries) {
      const gate = resourceGate(result, summary);
      out.push(row([summary.name, ...resourceCells(summary), gate === 'fail' ? '**FAIL**' : gate]));
    }
  }

  if (result.baseline) {
    const b = result.baseline;
    out.push('', `## Baseline ${b.key}`, '', `Compared with \`${b.file}\`: **${b.status}**.`, '');
    if (b.checks.length > 0) {
      out.push(row(['metric', 'baseline', 'actual', 'allowed', 'result']), row(['---', '---:', '---:', '---:', '---']));
      for (const check of b.checks) out.push(row([check.id.replace('baseline.', ''), check.baseline, check.actual, check.allowed, check.ok ? 'pass' : '**FAIL**']));
    }
    if (b.updated) {
      out.push('', 'Baseline updated:', '', ...b.updated.map((change) => `- ${change.metric}: ${change.before ?? '(none)'} → ${change.after}`));
    }
  }

  const series = downsampleSeries(result.series, 120);
  const seconds = result.series.length;
  if (series.length > 0) {
    out.push('', '## Over time', '');
    out.push(`Latency (ms, p50 lower line, p99 upper line${series.length < seconds ? `; worst of each ${Math.ceil(seconds / series.length)} s` : ''}):`, '');
    out.push(mermaidLineChart('Latency p50 / p99 (ms)', 'ms', seconds, [series.map((p) => p.p50Ms), series.map((p) => p.p99Ms)]), '');
    out.push('Rate (requests/s, target and achieved):', '');
    out.push(mermaidLineChart('Target vs achieved rate (req/s)', 'req/s', seconds, [series.map((p) => p.targetRate), series.map((p) => p.achievedRate)]));
  }
  return `${out.join('\n')}\n`;
}
