import { escapeMarkdown, renderTable } from '../report/index.js';
import type { CheckPactsResult } from './check-pacts.js';
import type { ContractChange } from './diff-context.js';
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

function verdictLines(result: DiffResult): string[] {
  const { version } = result;
  const versionLine = `version ${version.base || '(none)'} → ${version.revision || '(none)'}: required bump ${result.requiredBump}, ${version.ok ? 'ok' : 'NOT ENOUGH'}`;
  const policyLine = result.policy === 'semver'
    ? `policy semver (breaking changes need a major bump): ${result.ok ? 'PASS' : 'FAIL'}`
    : `policy none (no breaking change allowed): ${result.ok ? 'PASS' : 'FAIL'}`;
  return [versionLine, policyLine];
}

function summaryLine(result: DiffResult): string {
  const levels = result.changes.map((change) => change.level);
  return `${plural(result.changes.length, 'change')} (${countLevels(levels)}); breaking: ${result.breaking ? 'yes' : 'no'}`;
}

/** `accord contract diff` as a readable table with the verdict underneath. */
export function renderDiffText(result: DiffResult, base: string, revision: string): string {
  const head = `contract diff ${base} → ${revision}`;
  const body = result.changes.length === 0
    ? 'no changes'
    : renderTable(['LEVEL', 'RULE', 'OPERATION', 'CHANGE'], result.changes.map((change) => [change.level, change.id, change.operation ?? '-', change.message]));
  return [head, '', body, '', summaryLine(result), ...verdictLines(result)].join('\n');
}

/** `accord contract diff --format markdown`: a summary and a table, for PR comments and reports. */
export function renderDiffMarkdown(result: DiffResult, base: string, revision: string): string {
  const icon = { error: '🔴', warning: '🟡', info: '🔵' } as const;
  const rows = result.changes.map((change) =>
    `| ${icon[change.level]} ${change.level} | \`${change.id}\` | ${escapeMarkdown(change.operation ?? '—')} | ${escapeMarkdown(change.message)} |`);
  return [
    `## Contract diff: \`${base}\` → \`${revision}\``,
    '',
    `**${result.ok ? 'PASS' : 'FAIL'}**: ${summaryLine(result)}.`,
    '',
    ...verdictLines(result).map((line) => `- ${line}`),
    '',
    ...(rows.length === 0 ? ['No changes.'] : ['| level | rule | operation | change |', '|---|---|---|---|', ...rows]),
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
    const text = change.operation === null ? change.message : `${change.operation}: ${change.message}`;
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
