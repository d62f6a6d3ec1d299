import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatConsumer } from '../contract/index.js';
import { escapeHtml, escapeMarkdown, renderTable } from '../report/index.js';
import type { FieldUsage, OperationUsage, UsageReport, UsedBy } from './contract-usage.js';

/** `web: a user signs up; web: …`, or `unused`. */
function usersCell(users: readonly UsedBy[]): string {
  if (users.length === 0) return 'unused';
  const byConsumer = new Map<string, string[]>();
  for (const user of users) {
    const key = formatConsumer(user);
    byConsumer.set(key, [...(byConsumer.get(key) ?? []), user.interaction]);
  }
  return [...byConsumer].map(([consumer, interactions]) => `${consumer} (${[...new Set(interactions)].join('; ')})`).join(', ');
}

function fieldLabel(field: Pick<FieldUsage, 'status' | 'field'>): string {
  return field.status === null ? field.field : `${field.status} ${field.field}`;
}

function counts(report: UsageReport): string {
  const fields = report.operations.reduce((sum, operation) => sum + operation.fields.length, 0);
  const used = report.operations.length - report.unused.operations.length;
  return `${used} of ${report.operations.length} operations used, ${fields - report.unused.fields.length} of ${fields} response fields read`;
}

function consumersLine(report: UsageReport): string {
  return `consumers (${report.source}): ${report.consumers.length === 0 ? 'none' : report.consumers.map(formatConsumer).join(', ')}`;
}

/** `accord contract usage` as text: per operation, who calls it and who reads each field; then what nobody uses. */
export function renderUsageText(report: UsageReport): string {
  const lines = [`contract usage ${report.contract}`, consumersLine(report), ''];
  for (const operation of report.operations) {
    lines.push(`${operation.operation}: ${usersCell(operation.usedBy)}`);
    if (operation.fields.length > 0) lines.push(renderTable(['FIELD', 'READ BY'], operation.fields.map((field) => [fieldLabel(field), usersCell(field.usedBy)])), '');
  }
  lines.push('unused operations:', ...(report.unused.operations.length === 0 ? ['  none'] : report.unused.operations.map((operation) => `  ${operation}`)));
  lines.push('unused fields:', ...(report.unused.fields.length === 0 ? ['  none'] : report.unused.fields.map((field) => `  ${field.operation} ${fieldLabel(field)}`)));
  lines.push('', counts(report));
  return lines.join('\n');
}

/** `accord contract usage --format markdown`: one table per operation, then the unused lists. */
export function renderUsageMarkdown(report: UsageReport): string {
  const lines = [`## Contract usage: \`${report.contract}\``, '', escapeMarkdown(consumersLine(report)), '', `${counts(report)}.`, ''];
  for (const operation of report.operations) {
    lines.push(`### ${escapeMarkdown(operation.operation)}`, '', `Called by: ${escapeMarkdown(usersCell(operation.usedBy))}`, '');
    if (operation.fields.length > 0) {
      lines.push('| field | read by |', '|---|---|', ...operation.fields.map((field) => `| \`${escapeMarkdown(fieldLabel(field))}\` | ${field.usedBy.length === 0 ? '**unused**' : escapeMarkdown(usersCell(field.usedBy))} |`), '');
    }
  }
  lines.push('### Unused', '', ...(report.unused.operations.length + report.unused.fields.length === 0 ? ['Every operation and field is used.'] : [
    ...report.unused.operations.map((operation) => `- operation ${escapeMarkdown(operation)}`),
    ...report.unused.fields.map((field) => `- ${escapeMarkdown(field.operation)}: \`${escapeMarkdown(fieldLabel(field))}\``),
  ]));
  return lines.join('\n');
}

/** `accord contract usage --format html`: a self-contained page, one table per operation, unused fields marked. */
export function renderUsageHtml(report: UsageReport): string {
  const table = (operation: OperationUsage): string => {
    const rows = operation.fields.map((field) => {
      const unused = field.usedBy.length === 0;
      return `<tr class="${unused ? 'unused' : 'used'}"><td><code>${escapeHtml(fieldLabel(field))}</code></td><td>${unused ? '<strong>unused</strong>' : escapeHtml(usersCell(field.usedBy))}</td></tr>`;
    });
    return [
      `<section class="operation${operation.usedBy.length === 0 ? ' unused' : ''}">`,
      `<h2>${escapeHtml(operation.operation)}</h2>`,
      `<p>Called by: ${operation.usedBy.length === 0 ? '<strong>no consumer</strong>' : escapeHtml(usersCell(operation.usedBy))}</p>`,
      rows.length === 0 ? '<p>No response fields.</p>' : `<table><thead><tr><th>Field</th><th>Read by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      '</section>',
    ].join('\n');
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contract usage: ${escapeHtml(report.contract)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
table { border-collapse: collapse; margin-bottom: 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
tr.unused td { background: #fff4e5; }
tr.unused td:first-child::after { content: " (unused)"; color: #b45309; }
section.unused h2::after { content: " (no consumer)"; color: #b45309; font-size: .8em; }
</style>
</head>
<body>
<h1>Contract usage: ${escapeHtml(report.contract)}</h1>
<p>${escapeHtml(consumersLine(report))}</p>
<p>${escapeHtml(counts(report))}</p>
${report.operations.map(table).join('\n')}
</body>
</html>
`;
}

/** Writes the usage page (the gate's report keeps one beside its other evidence). */
export async function writeUsagePage(file: string, report: UsageReport): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderUsageHtml(report));
}
