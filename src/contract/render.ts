import { escapeMarkdown, renderTable } from '../report/index.js';
import type { CheckPactsResult } from './check-pacts.js';
import type { ConsumerRef, ContractChange } from './diff-context.js';
import type { DiffResult } from './diff-contracts.js';
import type { LintResult } from './lint.js';
import type { PositionLookup } from './source-positions.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function countLevels(levels: readonly string[]): string {
  const count = (level: string): number => levels.filter((item) => item === level).length;
  return [plural(count('error'), 'error'), plural(count('warning'), 'warning'), ...(levels.includes('info') ? [`${count('info')} info`] : [])].join(', ');
}

/** `accord contract lint` as text: one `file:line:col` line per finding, then a summary. */
export function renderLintText(result: LintResult): string {
  const lines = result.findings.map((finding) => {
    const at = finding.line === null ? finding.file : `${finding.file}:${finding.line}:${finding.column ?? 1}`;
    return `${at}: ${finding.level} [${finding.rule}] ${finding.message} (${finding.pointer})`;
  });
  const spec = result.specification ?? 'OpenAPI';
  const summary = result.ok
    ? `${result.file}: valid ${spec} ${result.openapi}${result.findings.length > 0 ? ` (${countLevels(result.findings.map((f) => f.level))})` : ''}`
    : `${result.file}: invalid ${spec} ${result.openapi} (${countLevels(result.findings.map((f) => f.level))})`;
  return [...lines, summary].join('\n');
}

/** `web 1.2.0`, or `web` for a pact read from a file. */
export function formatConsumer(ref: ConsumerRef): string {
  return ref.version === null ? ref.consumer : `${ref.consumer} ${ref.version}`;
}

/** Names a change in one phrase: its rule and where (the operation, or the pointer of a text). */
function nameChange(change: ContractChange): string {
  return change.operation === null ? `${change.id} (${change.location})` : `${change.id} (${change.operation})`;
}

/**
 * Every change that asks for the required bump, named once (`rule (operation) ×2` for repeats),
 * so a "NOT ENOUGH" says what to look at; `''` when none does.
 */
export function requiredByText(result: Pick<DiffResult, 'requiredBy'>): string {
  const named = new Map<string, number>();
  for (const change of result.requiredBy) named.set(nameChange(change), (named.get(nameChange(change)) ?? 0) + 1);
  return [...named].map(([name, count]) => (count === 1 ? name : `${name} ×${count}`)).join('; ');
}

const POLICY_LINES: Record<DiffResult['policy'], string> = {
  semver: 'policy semver (breaking changes need a major bump)',
  none: 'policy none (no breaking change allowed)',
  consumers: 'policy consumers (no breaking change a consumer uses)',
};

function verdictLines(result: DiffResult): string[] {
  const { version } = result;
  const versionLine = `version ${version.base || '(none)'} → ${version.revision || '(none)'}: required bump ${result.requiredBump}, ${version.ok ? 'ok' : 'NOT ENOUGH'}`;
  const named = requiredByText(result);
  const lines = [versionLine, ...(named === '' ? [] : [`required ${result.requiredBump} by: ${named}`])];
  const summary = result.consumers;
  if (summary !== undefined) {
    const checked = summary.checked.length === 0 ? 'none' : summary.checked.map(formatConsumer).join(', ');
    lines.push(`consumers checked (${summary.source}): ${checked}`);
    if (result.breaking) {
      lines.push(summary.affected.length === 0
        ? 'breaking, no current consumer affected'
        : `consumers affected by breaking changes: ${summary.affected.map((ref) => `${formatConsumer(ref)} (${affectingChanges(result, ref).join('; ')})`).join(', ')}`);
    }
  }
  lines.push(`${POLICY_LINES[result.policy]}: ${result.ok ? 'PASS' : 'FAIL'}`);
  return lines;
}

/** The breaking changes that touch one consumer. */
function affectingChanges(result: DiffResult, ref: ConsumerRef): string[] {
  return result.changes
    .filter((change) => change.level === 'error' && (change.consumers ?? []).some((touch) => touch.consumer === ref.consumer && touch.version === ref.version))
    .map(nameChange);
}

/** The CONSUMERS cell of a change: who touches it, or that no consumer does. */
function consumersCell(change: ContractChange): string {
  const touched = change.consumers ?? [];
  if (touched.length > 0) return touched.map(formatConsumer).join(', ');
  return change.level === 'error' ? 'breaking, no current consumer affected' : '-';
}

function summaryLine(result: DiffResult): string {
  const levels = result.changes.map((change) => change.level);
  return `${plural(result.changes.length, 'change')} (${countLevels(levels)}); breaking: ${result.breaking ? 'yes' : 'no'}`;
}

/** `accord contract diff` as a readable table with the verdict underneath. */
export function renderDiffText(result: DiffResult, base: string, revision: string): string {
  const head = `contract diff ${base} → ${revision}`;
  const withConsumers = result.consumers !== undefined;
  const body = result.changes.length === 0
    ? 'no changes'
    : renderTable(['LEVEL', 'RULE', 'OPERATION', 'CHANGE', ...(withConsumers ? ['CONSUMERS'] : [])], result.changes.map((change) => [change.level, change.id, change.operation ?? '-', change.message, ...(withConsumers ? [consumersCell(change)] : [])]));
  return [head, '', body, '', summaryLine(result), ...verdictLines(result)].join('\n');
}

/** `accord contract diff --format markdown`: a summary and a table, for PR comments and reports. */
export function renderDiffMarkdown(result: DiffResult, base: string, revision: string): string {
  const icon = { error: '🔴', warning: '🟡', info: '🔵' } as const;
  const withConsumers = result.consumers !== undefined;
  const rows = result.changes.map((change) =>
    `| ${icon[change.level]} ${change.level} | \`${change.id}\` | ${escapeMarkdown(change.operation ?? '—')} | ${escapeMarkdown(change.message)} |${withConsumers ? ` ${escapeMarkdown(consumersCell(change))} |` : ''}`);
  return [
    `## Contract diff: \`${base}\` → \`${revision}\``,
    '',
    `**${result.ok ? 'PASS' : 'FAIL'}**: ${summaryLine(result)}.`,
    '',
    ...verdictLines(result).map((line) => `- ${escapeMarkdown(line)}`),
    '',
    ...(rows.length === 0 ? ['No changes.'] : [`| level | rule | operation | change |${withConsumers ? ' consumers |' : ''}`, `|---|---|---|---|${withConsumers ? '---|' : ''}`, ...rows]),
  ].join('\n');
}

/**
 * `accord contract diff --format github`: GitHub Actions workflow commands, one annotation
 * per change on the revision file (with a line when `positions` can find it).
 */
export function renderDiffGithub(result: DiffResult, revisionFile: string | undefined, positions?: PositionLookup): string {
  const command = { error: 'error', warning: 'warning', info: 'notice' } as const;
  const escapeData = (text: string): string => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const escapeProperty = (text: string): string => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
  const lines = result.changes.map((change: ContractChange) => {
    const properties = [`title=${escapeProperty(change.id)}`];
    if (revisionFile !== undefined) {
      properties.unshift(`file=${escapeProperty(revisionFile)}`);
      const at = positions?.(change.location.slice(1));
      if (at !== undefined) properties.splice(1, 0, `line=${at.line}`, `col=${at.column}`);
    }
    const touched = change.consumers === undefined ? '' : ` (${consumersCell(change)})`;
    const text = `${change.operation === null ? change.message : `${change.operation}: ${change.message}`}${touched}`;
    return `::${command[change.level]} ${properties.join(',')}::${escapeData(text)}`;
  });
  const verdict = `${summaryLine(result)}; ${verdictLines(result).join('; ')}`;
  lines.push(`::${result.ok ? 'notice' : 'error'} title=contract diff::${escapeData(verdict)}`);
  return lines.join('\n');
}

/** `accord contract check-pacts` as a table of findings and a verdict. */
export function renderPactsText(result: CheckPactsResult, contract: string): string {
  const body = result.findings.length === 0
    ? 'every interaction matches the contract'
    : renderTable(['LEVEL', 'CODE', 'PACT', 'INTERACTION', 'MESSAGE'], result.findings.map((finding) => [
      finding.level,
      finding.code,
      finding.pact,
      finding.interaction,
      `${finding.message} (${finding.location})`,
    ]));
  const levels = result.findings.map((finding) => finding.level);
  return [`pacts vs ${contract}`, '', body, '', `${countLevels(levels)}: ${result.ok ? 'PASS' : 'FAIL'}`].join('\n');
}
