import { checkLine, checksToShow, formatDurationMs, STATUS_LABEL, STATUS_MARK, stepCounts, stepSummary } from './format.js';
import type { GateStep } from './model.js';
import { renderTable } from './table.js';

/** Options of {@link renderStepsText}. */
export interface StepsTextOptions {
  /** A last line with the step counts and the total time. @default true */
  readonly totals?: boolean;
}

/**
 * The steps as a plain table (step, status, time, summary), each step's failed and warned
 * checks indented under its row, then the counts: readable on a TTY and in a CI log.
 */
export function renderStepsText(steps: readonly GateStep[], options: StepsTextOptions = {}): string {
  const resolved = { totals: true, ...options };
  const table = renderTable(
    ['step', 'status', { header: 'time', align: 'right' }, 'summary'],
    steps.map((step) => [step.id, STATUS_LABEL[step.status], formatDurationMs(step.durationMs), stepSummary(step)]),
    { rule: true },
  ).split('\n');
  const lines = table.slice(0, 2);
  steps.forEach((step, index) => {
    lines.push(table[index + 2] ?? '');
    for (const check of checksToShow(step)) lines.push(`    ${STATUS_MARK[check.status]} ${checkLine(check)}`);
  });
  if (resolved.totals) {
    const total = steps.reduce((sum, step) => sum + step.durationMs, 0);
    lines.push('', `${steps.length} step${steps.length === 1 ? '' : 's'}: ${stepCounts(steps)} in ${formatDurationMs(total)}`);
  }
  return `${lines.join('\n')}\n`;
}
