import type { AcceptanceReport, ChecklistItem, GateStep } from './model.js';

/** The `acceptance.json` document: `ok`, `steps[]`, `checklist[]` first, then the rest of the report. */
export interface AcceptanceJson {
  readonly ok: boolean;
  readonly steps: readonly GateStep[];
  readonly checklist: readonly Pick<ChecklistItem, 'section' | 'item' | 'ok' | 'notApplicable' | 'reason' | 'evidence'>[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly scope: AcceptanceReport['scope'];
  readonly environment: AcceptanceReport['environment'];
  readonly dependencies: AcceptanceReport['dependencies'];
}

/** The report as the JSON document tools read (keys in a fixed order, each checklist entry as `{section, item, ok, reason, evidence}`). */
export function toJson(report: AcceptanceReport): AcceptanceJson {
  return {
    ok: report.ok,
    steps: report.steps,
    checklist: report.checklist.map((item) => ({ section: item.section, item: item.item, ok: item.ok, ...(item.notApplicable ? { notApplicable: true } : {}), reason: item.reason, evidence: item.evidence })),
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    scope: report.scope,
    environment: report.environment,
    dependencies: report.dependencies,
  };
}

/** {@link toJson} as pretty-printed text with a final newline. */
export function renderAcceptanceJson(report: AcceptanceReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
