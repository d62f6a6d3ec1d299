import { checkLine, checksToShow, formatDurationMs, STATUS_LABEL, STATUS_MARK, stepStatusLabel, stepSummary } from './format.js';
import { escapeMarkdown, markdownTable } from './markdown.js';
import type { GateStep } from './model.js';

/** The steps as a GFM table (step, status, time, summary), then each step's failed and warned checks as a list. */
export function renderStepsMarkdown(steps: readonly GateStep[]): string {
  const out = [
    markdownTable(
      ['step', 'status', { header: 'time', align: 'right' }, 'summary'],
      steps.map((step) => [`${STATUS_MARK[step.status]} ${step.id}`, step.status === 'fail' ? `**${STATUS_LABEL.fail}**` : stepStatusLabel(step), formatDurationMs(step.durationMs), stepSummary(step)]),
    ),
  ];
  for (const step of steps) {
    const checks = checksToShow(step);
    if (checks.length === 0) continue;
    out.push('', `**${escapeMarkdown(step.id)}** (${escapeMarkdown(step.title)}):`, '', ...checks.map((check) => `- ${STATUS_MARK[check.status]} ${escapeMarkdown(checkLine(check))}`));
  }
  return `${out.join('\n')}\n`;
}
