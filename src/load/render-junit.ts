import { renderJunit } from '../report/index.js';
import type { JunitCase } from '../report/index.js';
import type { LoadResult } from './load-result.js';
import { formatValue } from './thresholds.js';
import { formatBytes } from './units.js';

/** JUnit XML with one test case per threshold, resource limit and baseline metric. */
export function renderLoadJunit(result: LoadResult): string {
  const suite = `load.${result.profile.name}`;
  const cases: JunitCase[] = [
    ...result.thresholds.map((check) => ({
      ...testcase(`${suite}.thresholds`, check.description, check.ok || check.informational ? undefined : `${check.description}: was ${formatValue(check.actual, check.unit)}`),
      systemOut: `actual ${formatValue(check.actual, check.unit)}, limit ${formatValue(check.limit, check.unit)}${check.informational ? ' (reported, not gated)' : ''}`,
    })),
    ...result.resources.checks.map((check) => {
      const show = (value: number) => (check.unit === '%' ? `${value.toFixed(1)}%` : check.unit === 'bytes' ? formatBytes(value) : `${formatBytes(value)}/s`);
      return { ...testcase(`${suite}.resources`, check.description, check.ok ? undefined : `${check.description}: was ${show(check.actual)}`), systemOut: `actual ${show(check.actual)}, limit ${show(check.limit)}` };
    }),
    ...(result.baseline?.checks ?? []).map((check) => ({
      ...testcase(`${suite}.baseline`, check.description, check.ok || result.baseline?.updated ? undefined : `${check.id}: ${check.actual} is worse than the allowed ${check.allowed} (baseline ${check.baseline})`),
      systemOut: `actual ${check.actual}, baseline ${check.baseline}, allowed ${check.allowed}`,
    })),
  ];
  if (result.abortedReason) cases.unshift(testcase(`${suite}.run`, 'run completed every stage', `aborted: ${result.abortedReason}`));
  return renderJunit({
    name: 'accord load',
    durationMs: result.durationMs,
    suites: [{ name: suite, durationMs: result.durationMs, timestamp: result.startedAt, properties: { target: result.target, profile: result.profile.source }, cases }],
  });
}

/** A case whose time is not measured on its own (written `0`), failing with `failure` when given. */
function testcase(classname: string, name: string, failure: string | undefined): JunitCase {
  return { classname, name, durationMs: 0, ...(failure === undefined ? {} : { failure: { message: failure, type: 'threshold' } }) };
}
