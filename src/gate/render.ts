import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checklistMark, notApplicableReason, renderJunit, stepSuites, writeAcceptanceReport } from '../report/index.js';
import type { AcceptanceReport, GateStep } from '../report/index.js';

const MARK = { pass: 'pass', warn: 'warn', fail: 'FAIL', skip: 'skip' } as const;

/** The gate's text summary: one line per step, every failed check, then the checklist ticked (✓), crossed (✗) or not applicable (–). */
export function renderGateText(report: AcceptanceReport): string {
  const lines: string[] = [];
  const width = Math.max(...report.steps.map((step) => step.id.length));
  for (const step of report.steps) {
    const counted = step.checks.filter((check) => check.status !== 'skip');
    const passed = counted.filter((check) => check.status !== 'fail').length;
    const reason = step.status === 'skip' ? String(step.details?.reason ?? '') : `${passed}/${counted.length} checks`;
    const mark = notApplicableReason(step) === undefined ? MARK[step.status] : 'n/a';
    lines.push(`${step.id.padEnd(width)}  ${mark.padEnd(4)}  ${seconds(step.durationMs).padStart(7)}  ${reason}`);
  }
  const failed = report.steps.filter((step) => step.status === 'fail');
  for (const step of failed) {
    lines.push('', `${step.id}: failed checks`);
    for (const check of step.checks.filter((c) => c.status === 'fail')) lines.push(`  ✗ ${check.name}: ${check.message}${where(check.location)}`);
  }
  lines.push('', 'Acceptance checklist');
  let section = '';
  for (const item of report.checklist) {
    if (item.section !== section) {
      section = item.section;
      lines.push(`  ${section}`);
    }
    lines.push(`    ${checklistMark(item)} ${item.item}: ${item.notApplicable ? 'not applicable: ' : ''}${item.reason}`);
  }
  const ticked = report.checklist.filter((item) => item.ok).length;
  // Checklist entries that do not apply to this system are neither ticked nor crossed: the count is of the others.
  const applicable = report.checklist.filter((item) => !item.notApplicable).length;
  const notApplicable = report.checklist.length - applicable;
  lines.push(
    '',
    `accord gate: ${report.ok ? 'PASSED' : `FAILED (${failed.map((step) => step.id).join(', ')})`} in ${seconds(report.durationMs)}; checklist ${ticked}/${applicable} ticked${notApplicable > 0 ? ` (${notApplicable} not applicable)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The gate as JUnit XML: one testsuite per step, one testcase per check (src/report's writer). */
export function renderGateJunit(report: AcceptanceReport): string {
  return renderJunit({ name: 'accord gate', durationMs: report.durationMs, suites: stepSuites(report.steps, report.startedAt) });
}

/** Writes the acceptance report (`acceptance.{json,md,junit.xml,html}`, src/report's writers) and the text summary `acceptance.txt` into `dir`. */
export async function writeGateReport(report: AcceptanceReport, dir: string): Promise<{ files: string[] }> {
  const { files } = await writeAcceptanceReport(report, dir);
  const text = join(dir, 'acceptance.txt');
  await writeFile(text, renderGateText(report));
  return { files: [...files, text] };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function where(location: GateStep['checks'][number]['location']): string {
  if (!location?.file) return '';
  return ` (${location.file}${location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : ''})`;
}
