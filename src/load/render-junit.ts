import type { LoadResult } from './load-result.js';
import { formatValue } from './thresholds.js';
import { formatBytes } from './units.js';

const xml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly failure: string | undefined;
  readonly output: string;
}

/** JUnit XML with one test case per threshold, resource limit and baseline metric. */
export function renderLoadJunit(result: LoadResult): string {
  const suite = `load.${result.profile.name}`;
  const cases: Case[] = [
    ...result.thresholds.map((check) => ({
      classname: `${suite}.thresholds`,
      name: check.description,
      failure: check.ok || check.informational ? undefined : `${check.description}: was ${formatValue(check.actual, check.unit)}`,
      output: `actual ${formatValue(check.actual, check.unit)}, limit ${formatValue(check.limit, check.unit)}${check.informational ? ' (reported, not gated)' : ''}`,
    })),
    ...result.resources.checks.map((check) => {
      const show = (value: number) => (check.unit === '%' ? `${value.toFixed(1)}%` : check.unit === 'bytes' ? formatBytes(value) : `${formatBytes(value)}/s`);
      return {
        classname: `${suite}.resources`,
        name: check.description,
        failure: check.ok ? undefined : `${check.description}: was ${show(check.actual)}`,
        output: `actual ${show(check.actual)}, limit ${show(check.limit)}`,
      };
    }),
    ...(result.baseline?.checks ?? []).map((check) => ({
      classname: `${suite}.baseline`,
      name: check.description,
      failure: check.ok || result.baseline?.updated ? undefined : `${check.id}: ${check.actual} is worse than the allowed ${check.allowed} (baseline ${check.baseline})`,
      output: `actual ${check.actual}, baseline ${check.baseline}, allowed ${check.allowed}`,
    })),
  ];
  if (result.abortedReason) {
    cases.unshift({ classname: `${suite}.run`, name: 'run completed every stage', failure: `aborted: ${result.abortedReason}`, output: '' });
  }
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const seconds = (result.durationMs / 1000).toFixed(3);
  const body = cases
    .map((c) => {
      const inner = [
        c.failure === undefined ? '' : `      <failure message="${xml(c.failure)}" type="threshold">${xml(c.failure)}</failure>\n`,
        c.output ? `      <system-out>${xml(c.output)}</system-out>\n` : '',
      ].join('');
      return `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0">\n${inner}    </testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="accord load" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}">
  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${xml(result.startedAt.replace(/\.\d+Z$/, ''))}">
    <properties>
      <property name="target" value="${xml(result.target)}"/>
      <property name="profile" value="${xml(result.profile.source)}"/>
    </properties>
${body}
  </testsuite>
</testsuites>
`;
}
