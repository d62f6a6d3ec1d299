import type { Diagram, GateStep } from './model.js';

/** An inline SVG chart a step hands to the report in `details.charts` (the load pass's vega-lite charts). */
export interface Chart {
  readonly title: string;
  /** A standalone `<svg …>…</svg>` document made by our own renderer. */
  readonly svg: string;
}

/** A contract as the report's Contracts section lists it, handed over in `details.contracts`. */
export interface ContractSummary {
  readonly file: string;
  /** `info.version` of the working contract. */
  readonly version?: string;
  /** What it was compared with, e.g. `git:HEAD` and its version. */
  readonly baseline?: string;
  readonly baselineVersion?: string;
  /** The semver bump the changes require: `major`, `minor`, `patch`, `none`. */
  readonly requiredBump?: string;
  /** One line per breaking change; empty when there are none. */
  readonly breakingChanges: readonly string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** The step's `details[key]` as an array whose every item passes `valid`; absent means empty. A wrong shape is an adapter bug, so it throws. */
function detailList<T>(step: GateStep, key: string, valid: (item: unknown) => item is T): T[] {
  const value = step.details?.[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(valid)) {
    throw new TypeError(`step ${step.id}: details.${key} is not an array of the documented shape`);
  }
  return value;
}

/** The Mermaid diagrams a step hands to the report (`details.diagrams`). */
export function stepDiagrams(step: GateStep): Diagram[] {
  return detailList(step, 'diagrams', (item): item is Diagram => isRecord(item) && isString(item.title) && isString(item.mermaid));
}

/** The inline SVG charts a step hands to the report (`details.charts`). */
export function stepCharts(step: GateStep): Chart[] {
  return detailList(step, 'charts', (item): item is Chart => isRecord(item) && isString(item.title) && isString(item.svg));
}

/** The contracts a step reports on (`details.contracts`). */
export function stepContracts(step: GateStep): ContractSummary[] {
  return detailList(
    step,
    'contracts',
    (item): item is ContractSummary =>
      isRecord(item) &&
      isString(item.file) &&
      Array.isArray(item.breakingChanges) &&
      item.breakingChanges.every(isString) &&
      ['version', 'baseline', 'baselineVersion', 'requiredBump'].every((key) => item[key] === undefined || isString(item[key])),
  );
}
