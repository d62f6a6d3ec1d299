import { renderTable } from '../report/index.js';
import type { Column } from '../report/index.js';
import type { LoadResult } from './load-result.js';
import { ms, RESOURCE_HEADERS, resourceCells, resourceGate, stageCells } from './report-cells.js';
import { formatValue } from './thresholds.js';

/** An aligned table whose first column is a name (left) and the rest figures (right). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return renderTable(header.map((title, index): Column => ({ header: title, align: index === 0 ? 'left' : 'right' })), rows);
}

const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');

/** The human-readable report of a load pass. */
export function renderLoadText(result: LoadResult, reportPaths: readonly string[] = []): string {
  const lines: string[] = [];
  lines.push(`accord load: profile ${result.profile.name} -> ${result.target}: ${result.ok ? 'PASSED' : 'FAILED'}`);
  if (result.abortedReason) lines.push(`aborted: ${result.abortedReason}`);
  lines.push('');
  lines.push(
    table(
      ['stage', 'duration', 'target/s', 'sent', 'achieved/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'dropped', 'late'],
      [...result.stages, result.total].map((stage) => stageCells(stage)),
    ),
  );
  const gated = result.stages.find((stage) => stage.name === result.profile.thresholds.stage);
  if (gated && gated.endpoints.length > 1) {
    lines.push('', `endpoints over ${gated.name}:`);
    lines.push(
      table(
        ['endpoint', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'],
        gated.endpoints.map((endpoint) => [endpoint.endpoint, String(endpoint.requests), String(endpoint.errors), ms(endpoint.latency.p50Ms), ms(endpoint.latency.p95Ms), ms(endpoint.latency.p99Ms)]),
      ),
    );
  }
  lines.push('', 'thresholds (latency from the scheduled start):');
  for (const check of result.thresholds) {
    lines.push(`  ${check.informational ? 'info' : mark(check.ok)}  ${check.description}: ${formatValue(check.actual, check.unit)}`);
  }
  if (result.resources.summaries.length > 0) {
    lines.push('', `resources (${result.resources.cpus} CPUs; CPU mean over ${result.profile.thresholds.stage}; memory is the peak with shared pages counted once, its growth over ${result.profile.thresholds.stage}; RSS sum and disk are peaks):`);
    lines.push(
      table(
        ['process', ...RESOURCE_HEADERS, 'gate'],
        result.resources.summaries.map((summary) => {
          const gate = resourceGate(result, summary);
          return [summary.name, ...resourceCells(summary), gate === 'pass' ? 'ok' : gate === 'fail' ? 'FAIL' : gate];
        }),
      ),
    );
  }
  if (result.baseline) {
    const b = result.baseline;
    lines.push('', `baseline ${b.key} (${b.file}): ${b.status}`);
    for (const check of b.checks) lines.push(`  ${mark(check.ok)}  ${check.id.replace('baseline.', '')}: ${check.actual} (baseline ${check.baseline}, allowed ${check.allowed})`);
    if (b.updated) {
      lines.push('  baseline updated:');
      for (const change of b.updated) lines.push(`    ${change.metric}: ${change.before ?? '(none)'} -> ${change.after}`);
    }
  }
  if (result.findings.length > 0) {
    lines.push('', 'findings:');
    for (const finding of result.findings) lines.push(`  - ${finding}`);
  }
  if (reportPaths.length > 0) lines.push('', `reports: ${reportPaths.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
