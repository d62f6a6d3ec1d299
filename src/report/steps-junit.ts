import { checkLine, stepSummary } from './format.js';
import { renderJunit } from './junit.js';
import type { JunitCase, JunitSuite } from './junit.js';
import type { GateStep } from './model.js';

/** Options of {@link renderStepsJunit}. */
export interface StepsJunitOptions {
  /** The `testsuites` name. @default 'accord gate' */
  readonly name?: string;
  /** When the run started (ISO 8601), written on every suite. */
  readonly startedAt?: string;
}

/** The JUnit suites of the steps: one suite per step, one case per check (shared by {@link renderStepsJunit} and the acceptance report). */
export function stepSuites(steps: readonly GateStep[], startedAt?: string): JunitSuite[] {
  return steps.map((step) => ({
    name: step.id,
    durationMs: step.durationMs,
    ...(startedAt === undefined ? {} : { timestamp: startedAt }),
    properties: { title: step.title, status: step.status, ...Object.fromEntries(step.evidence.map((evidence) => [`evidence: ${evidence.label}`, evidence.href])) },
    cases: stepCases(step),
  }));
}

function stepCases(step: GateStep): JunitCase[] {
  const classname = `accord.${step.id}`;
  const cases: JunitCase[] = step.checks.map((check) => {
    const base = { classname, name: check.name };
    switch (check.status) {
      case 'fail':
        return { ...base, failure: { message: check.message, type: check.id, text: checkLine(check) } };
      case 'skip':
        return { ...base, skipped: { message: check.message } };
      case 'warn':
        return { ...base, systemOut: `warning: ${checkLine(check)}` };
      case 'pass':
        return { ...base, systemOut: checkLine(check) };
    }
  });
  // A step that failed or was skipped without a check saying so still shows in CI as such.
  if (step.status === 'fail' && !step.checks.some((check) => check.status === 'fail')) {
    cases.push({ classname, name: step.title, failure: { message: stepSummary(step), type: 'step' } });
  }
  if (step.status === 'skip' && step.checks.length === 0) cases.push({ classname, name: step.title, skipped: { message: stepSummary(step) } });
  return cases;
}

/** JUnit XML of gate steps: one `<testsuite>` per step, one `<testcase>` per check, failures with their message, skips as `<skipped>`. */
export function renderStepsJunit(steps: readonly GateStep[], options: StepsJunitOptions = {}): string {
  return renderJunit({
    name: options.name ?? 'accord gate',
    durationMs: steps.reduce((sum, step) => sum + step.durationMs, 0),
    suites: stepSuites(steps, options.startedAt),
  });
}
