import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import type { AcceptanceReport, GateStep } from '../report/model.js';

const MARK = { pass: 'pass', warn: 'warn', fail: 'FAIL', skip: 'skip' } as const;

/** The gate's text summary: one line per step, every failed check, then the checklist ticked (✓) or crossed (✗). */
export function renderGateText(report: AcceptanceReport): string {
  const lines: string[] = [];
  const width = Math.max(...report.steps.map((step) => step.id.length));
  for (const step of report.steps) {
    const counted = step.checks.filter((check) => check.status !== 'skip');
    const passed = counted.filter((check) => check.status !== 'fail').length;
    const reason = step.status === 'skip' ? String(step.details?.reason ?? '') : `${passed}/${counted.length} checks`;
    lines.push(`${step.id.padEnd(width)}  ${MARK[step.status].padEnd(4)}  ${seconds(step.durationMs).padStart(7)}  ${reason}`);
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
    lines.push(`    ${item.ok ? '✓' : '✗'} ${item.item}: ${item.reason}`);
  }
  const ticked = report.checklist.filter((item) => item.ok).length;
  lines.push(
    '',
    `accord gate: ${report.ok ? 'PASSED' : `FAILED (${failed.map((step) => step.id).join(', ')})`} in ${seconds(report.durationMs)}; checklist ${ticked}/${report.checklist.length} ticked`,
  );
  return `${lines.join('\n')}\n`;
}

/** The gate as JUnit XML: one testsuite per step, one testcase per check. */
export function renderGateJunit(report: AcceptanceReport): string {
  const suite = (step: GateStep) => ({
    '@_name': step.id,
    '@_tests': step.checks.length,
    '@_failures': step.checks.filter((check) => check.status === 'fail').length,
    '@_skipped': step.status === 'skip' ? 1 : step.checks.filter((check) => check.status === 'skip').length,
    '@_time': (step.durationMs / 1000).toFixed(3),
    testcase:
      step.status === 'skip'
        ? [{ '@_name': step.title, '@_classname': step.id, skipped: { '@_message': String(step.details?.reason ?? 'skipped') } }]
        : step.checks.map((check) => ({
            '@_name': check.name,
            '@_classname': step.id,
            ...(check.status === 'fail' ? { failure: { '@_message': check.message, '#text': check.message } } : {}),
            ...(check.status === 'skip' ? { skipped: {} } : {}),
          })),
  });
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'accord gate',
      '@_tests': report.steps.reduce((sum, step) => sum + step.checks.length, 0),
      '@_failures': report.steps.reduce((sum, step) => sum + step.checks.filter((check) => check.status === 'fail').length, 0),
      '@_time': (report.durationMs / 1000).toFixed(3),
      testsuite: report.steps.map(suite),
    },
  };
  return `${new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(document)}`;
}

/** Writes `acceptance.json`, `acceptance.txt` and `acceptance.junit.xml` into `dir`. */
export async function writeGateReport(report: AcceptanceReport, dir: string): Promise<{ files: string[] }> {
  await mkdir(dir, { recursive: true });
  const files = [join(dir, 'acceptance.json'), join(dir, 'acceptance.txt'), join(dir, 'acceptance.junit.xml')];
  await writeFile(files[0] as string, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files[1] as string, renderGateText(report));
  await writeFile(files[2] as string, renderGateJunit(report));
  return { files };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function where(location: GateStep['checks'][number]['location']): string {
  if (!location?.file) return '';
  return ` (${location.file}${location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : ''})`;
}
