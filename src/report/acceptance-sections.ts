import { stepCharts, stepContracts, stepDiagrams } from './details.js';
import type { Chart, ContractSummary } from './details.js';
import { formatMeasured, formatNumber, formatQuantity } from './format.js';
import type { AcceptanceReport, Check, ChecklistItem, ChecklistSection, Diagram, Evidence, GateStep } from './model.js';

/** The step whose diagrams are the scenarios' sequence diagrams. */
export const SCENARIOS_STEP = 'scenarios';

/** The steps the Contracts section sums up, in pipeline order. */
export const CONTRACT_STEPS: readonly string[] = ['contract-lint', 'contract-diff', 'consumer-tests', 'pacts-vs-contract', 'schema', 'verify'];

/** The checklist sections in the order of the plan. */
export const CHECKLIST_SECTIONS: readonly ChecklistSection[] = ['Functional', 'Performance', 'Contracts', 'Documentation'];

/** The anchor of a step's section in the HTML and Markdown reports; an evidence href of `#step-<id>` links there. */
export function stepAnchor(stepId: string): string {
  return `step-${stepId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A benchmark of the Performance section: a check that measured something against a limit. */
export interface Benchmark {
  readonly step: GateStep;
  readonly check: Check & { readonly measured: NonNullable<Check['measured']> };
}

/** What the report's sections show, gathered once for the Markdown and the HTML writers. */
export interface AcceptanceSections {
  readonly scenarioStep: GateStep | undefined;
  readonly scenarioDiagrams: readonly Diagram[];
  /** Diagrams of every other step (the architecture flowchart of `docs`, …). */
  readonly otherDiagrams: readonly (Diagram & { readonly step: string })[];
  readonly charts: readonly (Chart & { readonly step: string })[];
  readonly benchmarks: readonly Benchmark[];
  readonly contracts: readonly (ContractSummary & { readonly step: string })[];
  readonly contractSteps: readonly GateStep[];
  readonly checklist: readonly { readonly section: ChecklistSection; readonly entries: readonly ChecklistItem[] }[];
  readonly evidence: readonly (Evidence & { readonly step: string })[];
}

/** Gathers the sections from the report's steps (reading and checking each step's `details`). */
export function acceptanceSections(report: AcceptanceReport): AcceptanceSections {
  const scenarioStep = report.steps.find((step) => step.id === SCENARIOS_STEP);
  return {
    scenarioStep,
    scenarioDiagrams: scenarioStep === undefined ? [] : stepDiagrams(scenarioStep),
    otherDiagrams: report.steps.filter((step) => step.id !== SCENARIOS_STEP).flatMap((step) => stepDiagrams(step).map((diagram) => ({ ...diagram, step: step.id }))),
    charts: report.steps.flatMap((step) => stepCharts(step).map((chart) => ({ ...chart, step: step.id }))),
    benchmarks: report.steps.flatMap((step) => step.checks.filter((check): check is Benchmark['check'] => check.measured !== undefined).map((check) => ({ step, check }))),
    contracts: report.steps.flatMap((step) => stepContracts(step).map((contract) => ({ ...contract, step: step.id }))),
    contractSteps: CONTRACT_STEPS.flatMap((id) => report.steps.filter((step) => step.id === id)),
    checklist: CHECKLIST_SECTIONS.map((section) => ({ section, entries: report.checklist.filter((item) => item.section === section) })),
    evidence: report.steps.flatMap((step) => step.evidence.map((evidence) => ({ ...evidence, step: step.id }))),
  };
}

/** The cells of a component row: name, kind, version, where it listens. */
export function componentCells(component: AcceptanceReport['scope']['components'][number]): string[] {
  const where = [component.url, component.port === undefined ? undefined : `port ${component.port}`].filter((part) => part !== undefined).join(', ');
  return [component.name, component.kind, component.version ?? '—', where === '' ? '—' : where];
}

/** Required and measured of a benchmark as two cells: `≤ 50 ms`, `31.2 ms`. */
export function benchmarkCells(benchmark: Benchmark): [required: string, measured: string] {
  const { measured } = benchmark.check;
  return [formatQuantity(measured.limit, measured.unit), formatQuantity(measured.actual, measured.unit)];
}

/** A benchmark in one line, for titles and text. */
export function benchmarkLine(benchmark: Benchmark): string {
  return `${benchmark.check.name}: ${formatMeasured(benchmark.check.measured)}`;
}

/** The contracts table's columns; the last, the breaking changes, each format lists in its own way. */
export const CONTRACT_COLUMNS = ['contract', 'version', 'baseline', 'required bump', 'breaking changes'];

/** A compared contract's first four cells: file, version, baseline (name and version), required bump. */
export function contractCells(contract: ContractSummary): [file: string, version: string, baseline: string, requiredBump: string] {
  return [contract.file, contract.version ?? '—', [contract.baseline, contract.baselineVersion].filter((part) => part !== undefined).join(' ') || '—', contract.requiredBump ?? '—'];
}

/** An environment value as text. */
export function environmentCell(value: string | number): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}
