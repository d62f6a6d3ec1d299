import Table from 'cli-table3';
import { XMLBuilder } from 'fast-xml-parser';
import type { ScenariosResult } from './run-scenarios.js';

/** The `--format json` document, these fields and no others: `{ok, scenarios: [{name, ok, durationMs, checks: [{name, ok, detail}]}]}`. */
export function toJsonReport(result: ScenariosResult): { ok: boolean; scenarios: { name: string; ok: boolean; durationMs: number; checks: { name: string; ok: boolean; detail: string }[] }[] } {
  return {
    ok: result.ok,
    scenarios: result.scenarios.map((s) => ({
      name: s.name,
      ok: s.ok,
      durationMs: s.durationMs,
      checks: s.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })),
    })),
  };
}

/** `--format json`: the report as pretty JSON text. */
export function renderJson(result: ScenariosResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

/** `--format text`: a table (scenario, checks passed, time, result), then every failed check with its detail. */
export function renderText(result: ScenariosResult): string {
  // Plain borders, no colours: the same text on a TTY, in CI logs and in a file.
  const table = new Table({ head: ['scenario', 'checks passed', 'time', 'result'], style: { head: [], border: [] } });
  for (const s of result.scenarios) {
    const passed = s.checks.filter((c) => c.ok).length;
    table.push([s.name, `${passed}/${s.checks.length}`, `${(s.durationMs / 1000).toFixed(2)} s`, s.ok ? 'ok' : 'FAILED']);
  }
  const lines = [table.toString()];
  const failed = result.scenarios.filter((s) => !s.ok);
  for (const s of failed) {
    lines.push('', `${s.name}: failed checks`);
    for (const c of s.checks.filter((check) => !check.ok)) lines.push(`  ✗ ${c.name}: ${c.detail}`);
  }
  const total = result.scenarios.reduce((sum, s) => sum + s.durationMs, 0);
  lines.push('', `${result.scenarios.length - failed.length} of ${result.scenarios.length} scenarios passed in ${(total / 1000).toFixed(2)} s`);
  return `${lines.join('\n')}\n`;
}

/** `--format junit`: one `<testsuite>` per scenario, one `<testcase>` per check, a `<failure>` for each failed check. */
export function renderJunit(result: ScenariosResult): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const failures = result.scenarios.reduce((sum, s) => sum + s.checks.filter((c) => !c.ok).length, 0);
  const tests = result.scenarios.reduce((sum, s) => sum + s.checks.length, 0);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'accord scenarios',
      '@_tests': tests,
      '@_failures': failures,
      '@_errors': 0,
      '@_time': seconds(result.scenarios.reduce((sum, s) => sum + s.durationMs, 0)),
      testsuite: result.scenarios.map((s) => ({
        '@_name': s.name,
        '@_tests': s.checks.length,
        '@_failures': s.checks.filter((c) => !c.ok).length,
        '@_errors': 0,
        '@_skipped': 0,
        '@_time': seconds(s.durationMs),
        testcase: s.checks.map((c) => ({
          '@_classname': `scenarios.${s.name}`,
          '@_name': xmlSafe(c.name),
          ...(c.ok ? { 'system-out': xmlSafe(c.detail) } : { failure: { '@_message': xmlSafe(c.detail), '@_type': 'ScenarioCheckFailed', '#text': xmlSafe(c.detail) } }),
        })),
        ...(s.traceFile === undefined ? {} : { 'system-out': `trace: ${s.traceFile}` }),
      })),
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });
  return builder.build(document) as string;
}

/** Drops the control characters XML 1.0 cannot hold at all (escaping cannot save them), e.g. a colour code in an error. */
function xmlSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
