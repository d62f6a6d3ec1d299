// The report capability: the one result model and the one set of writers every command uses.

// the result model
export { notApplicableReason, notApplicableStep, statusOf } from './model.js';
export type { AcceptanceReport, Check, ChecklistItem, ChecklistSection, Component, Diagram, Evidence, GateStep, IntegrationPoint, Location, Measured, Status } from './model.js';
export { stepCharts, stepContracts, stepDiagrams } from './details.js';
export type { Chart, ContractSummary } from './details.js';

// gate steps
export { renderStepsText } from './steps-text.js';
export type { StepsTextOptions } from './steps-text.js';
export { renderStepsJunit, stepSuites } from './steps-junit.js';
export type { StepsJunitOptions } from './steps-junit.js';
export { renderStepsMarkdown } from './steps-markdown.js';

// the acceptance report
export { CHARTS_DIR, checkReportDir, writeAcceptanceReport } from './write-acceptance.js';
export { renderAcceptanceJson, toJson } from './acceptance-json.js';
export type { AcceptanceJson } from './acceptance-json.js';
export { renderAcceptanceMarkdown } from './acceptance-markdown.js';
export type { AcceptanceMarkdownOptions } from './acceptance-markdown.js';
export { renderAcceptanceHtml } from './acceptance-html.js';
export type { AcceptanceHtmlOptions } from './acceptance-html.js';
export { CHECKLIST_SECTIONS, CONTRACT_STEPS, SCENARIOS_STEP, stepAnchor } from './acceptance-sections.js';
export { mermaidBundle } from './mermaid-bundle.js';
export type { MermaidBundle } from './mermaid-bundle.js';

// generic writers
export { renderJunit, xmlSafe } from './junit.js';
export type { JunitCase, JunitProblem, JunitReport, JunitSuite } from './junit.js';
export { renderTable } from './table.js';
export type { Column, TableOptions } from './table.js';
export { escapeMarkdown, markdownFence, markdownRow, markdownTable } from './markdown.js';
export { escapeHtml, htmlTable } from './html.js';
export type { HtmlCell } from './html.js';
export { hrefFrom, isSafeHref } from './links.js';
export { checkLine, checklistMark, formatDurationMs, formatLocation, formatMeasured, formatNumber, formatQuantity, STATUS_LABEL, STATUS_MARK, stepStatusLabel, stepSummary } from './format.js';
