import type { Check, Diagram, Evidence, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { ScenariosResult } from './run-scenarios.js';

/** Options of {@link toScenariosStep}. */
export interface ScenariosStepOptions {
  /** @default the sum of the scenarios' durations */
  readonly durationMs?: number;
}

/**
 * `accord scenarios`' result as the gate's `scenarios` step: one check per scenario check
 * (`scenario/check`), the traces and diagram files as evidence, and `details.diagrams` the
 * Mermaid sequence diagrams drawn from each scenario's recorded traffic.
 */
export function toScenariosStep(result: ScenariosResult, options: ScenariosStepOptions = {}): GateStep {
  const checks: Check[] = result.scenarios.flatMap((scenario) =>
    scenario.checks.map((check) => ({ id: `${scenario.name}/${check.name}`, name: `${scenario.name}: ${check.name}`, status: check.ok ? ('pass' as const) : ('fail' as const), message: check.detail })),
  );
  if (checks.length === 0) checks.push({ id: 'scenarios', name: 'at least one scenario ran', status: 'fail', message: 'no scenario ran' });
  const evidence: Evidence[] = result.scenarios.flatMap((scenario) => [
    ...(scenario.traceFile ? [{ label: `trace ${scenario.name}`, href: scenario.traceFile }] : []),
    ...(scenario.diagramFile ? [{ label: `sequence diagram ${scenario.name}`, href: scenario.diagramFile }] : []),
  ]);
  const diagrams: Diagram[] = result.scenarios.flatMap((scenario) => (scenario.diagram ? [{ title: `Scenario: ${scenario.title}`, mermaid: scenario.diagram }] : []));
  return {
    id: 'scenarios',
    title: 'Integration scenarios',
    status: statusOf(checks),
    durationMs: options.durationMs ?? result.scenarios.reduce((sum, scenario) => sum + scenario.durationMs, 0),
    checks,
    evidence,
    details: {
      diagrams,
      scenarios: result.scenarios.map((scenario) => ({ name: scenario.name, title: scenario.title, ok: scenario.ok, durationMs: scenario.durationMs, checks: scenario.checks.length })),
    },
  };
}
