import { renderJunit as renderJunitReport, renderTable } from '../report/index.js';
import type { CatalogEntry } from './catalog.js';
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
  const rows = result.scenarios.map((s) => [s.name, `${s.checks.filter((c) => c.ok).length}/${s.checks.length}`, `${(s.durationMs / 1000).toFixed(2)} s`, s.ok ? 'ok' : 'FAILED']);
  const lines = [renderTable(['scenario', 'checks passed', 'time', 'result'], rows, { style: 'boxed' })];
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
  return renderJunitReport({
    name: 'accord scenarios',
    durationMs: result.scenarios.reduce((sum, s) => sum + s.durationMs, 0),
    suites: result.scenarios.map((s) => ({
      name: s.name,
      durationMs: s.durationMs,
      cases: s.checks.map((c) => ({
        classname: `scenarios.${s.name}`,
        name: c.name,
        ...(c.ok ? { systemOut: c.detail } : { failure: { message: c.detail, type: 'ScenarioCheckFailed' } }),
      })),
      ...(s.traceFile === undefined ? {} : { systemOut: `trace: ${s.traceFile}` }),
    })),
  });
}

/** `--list --format json`: the catalog, `{catalog, scenarios: [{name, title, proves, checks}]}`. */
export function renderCatalogJson(file: string, entries: readonly CatalogEntry[]): string {
  return `${JSON.stringify({ catalog: file, scenarios: entries }, null, 2)}\n`;
}

/** `--list`: one row per scenario (name, title, what it proves, how many checks), then where the catalog is. */
export function renderCatalogText(file: string, entries: readonly CatalogEntry[]): string {
  const rows = entries.map((entry) => [entry.name, entry.title, entry.proves.join(', ') || '-', String(entry.checks.length)]);
  return `${renderTable(['scenario', 'title', 'proves', 'checks'], rows, { style: 'boxed' })}\n${entries.length} scenario${entries.length === 1 ? '' : 's'} in ${file}\n`;
}
