import { acceptanceSections, benchmarkCells, componentCells, CONTRACT_COLUMNS, contractCells, environmentCell, stepAnchor } from './acceptance-sections.js';
import { checkLine, checklistMark, checksToShow, formatDurationMs, STATUS_LABEL, STATUS_MARK, stepCounts, stepSummary } from './format.js';
import { hrefFrom, isSafeHref } from './links.js';
import { escapeMarkdown, markdownFence, markdownTable } from './markdown.js';
import type { AcceptanceReport, Evidence } from './model.js';
import { renderStepsMarkdown } from './steps-markdown.js';

/** Options of {@link renderAcceptanceMarkdown}. */
export interface AcceptanceMarkdownOptions {
  /** The folder the file is written to: evidence paths are linked relative to it. */
  readonly dir?: string;
  /** Where each chart's SVG was written (same order as the steps' `details.charts`), to link them as images. */
  readonly chartFiles?: readonly string[];
}

const label = (text: string) => escapeMarkdown(text).replace(/[[\]]/g, '\\$&');
// An href that could run script stays as text, never a link.
const link = (evidence: Evidence, dir: string | undefined) =>
  isSafeHref(evidence.href) ? `[${label(evidence.label)}](<${hrefFrom(evidence.href, dir).replace(/[<>]/g, encodeURIComponent)}>)` : `${label(evidence.label)} (\`${evidence.href.replaceAll('`', "'")}\`)`;

/**
 * `acceptance.md`: the integration-test plan filled in with evidence. Scope, scenarios with
 * their sequence diagrams (Mermaid blocks, which GitHub renders), performance required vs
 * measured, contracts, environment, dependencies and the ticked or crossed checklist.
 */
export function renderAcceptanceMarkdown(report: AcceptanceReport, options: AcceptanceMarkdownOptions = {}): string {
  const { dir } = options;
  const sections = acceptanceSections(report);
  const out: string[] = [];
  const verdict = report.ok ? 'PASSED' : 'FAILED';
  out.push(`# Acceptance report: ${verdict}`, '');
  out.push(`Started ${escapeMarkdown(report.startedAt)}, ran ${formatDurationMs(report.durationMs)}. Steps: ${stepCounts(report.steps)}.`, '');
  out.push(renderStepsMarkdown(report.steps).trimEnd());

  out.push('', '## 1. Scope', '', '### Components', '');
  out.push(report.scope.components.length === 0 ? '_No components listed._' : markdownTable(['component', 'kind', 'version', 'where'], report.scope.components.map(componentCells)));
  out.push('', '### Integration points', '');
  out.push(
    report.scope.integrationPoints.length === 0
      ? '_No integration points listed._'
      : markdownTable(['from', 'to', 'kind', 'contract'], report.scope.integrationPoints.map((point) => [point.from, point.to, point.kind, point.contract ?? '—'])),
  );
  for (const diagram of sections.otherDiagrams) out.push('', `### ${escapeMarkdown(diagram.title)}`, '', markdownFence('mermaid', diagram.mermaid));

  out.push('', '## 2. Scenarios', '');
  const scenarios = sections.scenarioStep;
  if (scenarios === undefined) out.push('_The scenarios step did not run._');
  else {
    out.push(`${STATUS_MARK[scenarios.status]} ${STATUS_LABEL[scenarios.status]}: ${escapeMarkdown(stepSummary(scenarios))}.`, '');
    out.push(markdownTable(['check', 'result', 'observed'], scenarios.checks.map((check) => [check.name, check.status === 'fail' ? `**${STATUS_LABEL.fail}**` : STATUS_LABEL[check.status], check.message])));
    for (const diagram of sections.scenarioDiagrams) out.push('', `### ${escapeMarkdown(diagram.title)}`, '', markdownFence('mermaid', diagram.mermaid));
  }

  out.push('', '## 3. Performance benchmarks', '');
  out.push(
    sections.benchmarks.length === 0
      ? '_Nothing was measured: no benchmark is met._'
      : markdownTable(
          ['step', 'benchmark', { header: 'required', align: 'right' }, { header: 'measured', align: 'right' }, 'result'],
          sections.benchmarks.map((benchmark) => [benchmark.step.id, benchmark.check.name, ...benchmarkCells(benchmark), benchmark.check.status === 'fail' ? `**${STATUS_LABEL.fail}**` : STATUS_LABEL[benchmark.check.status]]),
        ),
  );
  sections.charts.forEach((chart, index) => {
    const file = options.chartFiles?.[index];
    out.push('', file === undefined ? `_${escapeMarkdown(chart.title)}: the chart is in acceptance.html._` : `![${label(chart.title)}](<${hrefFrom(file, dir)}>)`);
  });

  out.push('', '## 4. Contracts', '');
  out.push(
    sections.contracts.length === 0
      ? '_No contract was compared._'
      : markdownTable(
          CONTRACT_COLUMNS,
          sections.contracts.map((contract) => [...contractCells(contract), contract.breakingChanges.length === 0 ? 'none' : contract.breakingChanges.join('; ')]),
        ),
  );
  if (sections.contractSteps.length > 0) {
    out.push('', markdownTable(['step', 'result', 'summary'], sections.contractSteps.map((step) => [step.id, step.status === 'fail' ? `**${STATUS_LABEL.fail}**` : STATUS_LABEL[step.status], stepSummary(step)])));
  }

  out.push('', '## 5. Environment', '');
  const environment = Object.entries(report.environment);
  out.push(environment.length === 0 ? '_Not recorded._' : markdownTable(['setting', 'value'], environment.map(([key, value]) => [key, environmentCell(value)])));
  out.push('', '## 6. Dependencies', '');
  const dependencies = Object.entries(report.dependencies);
  out.push(dependencies.length === 0 ? '_Not recorded._' : markdownTable(['package', 'version'], dependencies));

  out.push('', '## 7. Acceptance checklist', '');
  for (const { section, entries } of sections.checklist) {
    out.push(`### ${section}`, '');
    if (entries.length === 0) out.push('_No entries._');
    for (const item of entries) {
      const evidence = item.evidence.length === 0 ? 'no evidence' : item.evidence.map((e) => link(e, dir)).join(', ');
      out.push(`- [${item.ok ? 'x' : ' '}] ${checklistMark(item)}${item.notApplicable ? ' not applicable:' : ''} **${escapeMarkdown(item.item)}**: ${escapeMarkdown(item.reason)} (${evidence})`);
    }
    out.push('');
  }

  out.push('## Steps in detail');
  for (const step of report.steps) {
    out.push('', `<a id="${stepAnchor(step.id)}"></a>`, '', `### ${STATUS_MARK[step.status]} ${escapeMarkdown(step.id)}: ${escapeMarkdown(step.title)}`, '');
    out.push(`${step.status === 'fail' ? `**${STATUS_LABEL.fail}**` : STATUS_LABEL[step.status]} in ${formatDurationMs(step.durationMs)}: ${escapeMarkdown(stepSummary(step))}.`);
    const shown = checksToShow(step);
    if (shown.length > 0) out.push('', ...shown.map((check) => `- ${STATUS_MARK[check.status]} ${escapeMarkdown(checkLine(check))}`));
    if (step.evidence.length > 0) out.push('', `Evidence: ${step.evidence.map((e) => link(e, dir)).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
