import { XMLBuilder } from 'fast-xml-parser';

/** A `<failure>` (the check said no) or `<error>` (it could not run) of one test case. */
export interface JunitProblem {
  /** One line: the attribute CI systems show in their summary. */
  readonly message: string;
  readonly type?: string;
  /** The element's body, e.g. every mismatch on its own line; when empty, the message. */
  readonly text?: string;
}

/** One `<testcase>`. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  /** Written as `time` in seconds when given. */
  readonly durationMs?: number;
  readonly failure?: JunitProblem;
  readonly error?: JunitProblem;
  /** Present when the case did not run; the message says why. */
  readonly skipped?: { readonly message?: string };
  readonly systemOut?: string;
}

/** One `<testsuite>`; its counts are computed from its cases. */
export interface JunitSuite {
  readonly name: string;
  readonly durationMs: number;
  /** ISO 8601; written without fraction and zone, as Ant's schema has it. */
  readonly timestamp?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly cases: readonly JunitCase[];
  readonly systemOut?: string;
}

/** The `<testsuites>` document. */
export interface JunitReport {
  readonly name: string;
  readonly durationMs: number;
  readonly suites: readonly JunitSuite[];
}

/**
 * JUnit XML as Jenkins, GitLab, GitHub test reporters and Azure DevOps read it:
 * `testsuites > testsuite > testcase` with `failure`/`error`/`skipped`, times in seconds, counts
 * on every suite. The `testsuites` element carries `errors`/`skipped` only when there are some.
 */
export function renderJunit(report: JunitReport): string {
  const suites = report.suites.map(suiteElement);
  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((sum, suite) => sum + suite[`@_${key}`], 0);
  const errors = total('errors');
  const skipped = total('skipped');
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': xmlSafe(report.name),
      '@_tests': total('tests'),
      '@_failures': total('failures'),
      ...(errors > 0 ? { '@_errors': errors } : {}),
      ...(skipped > 0 ? { '@_skipped': skipped } : {}),
      '@_time': seconds(report.durationMs),
      testsuite: suites,
    },
  };
  return builder.build(document) as string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });

function suiteElement(suite: JunitSuite) {
  const count = (has: (c: JunitCase) => boolean) => suite.cases.filter(has).length;
  const properties = Object.entries(suite.properties ?? {});
  return {
    '@_name': xmlSafe(suite.name),
    '@_tests': suite.cases.length,
    '@_failures': count((c) => c.failure !== undefined),
    '@_errors': count((c) => c.error !== undefined),
    '@_skipped': count((c) => c.skipped !== undefined),
    '@_time': seconds(suite.durationMs),
    ...(suite.timestamp === undefined ? {} : { '@_timestamp': suite.timestamp.replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, '') }),
    ...(properties.length === 0 ? {} : { properties: { property: properties.map(([name, value]) => ({ '@_name': xmlSafe(name), '@_value': xmlSafe(value) })) } }),
    testcase: suite.cases.map(caseElement),
    ...(suite.systemOut === undefined ? {} : { 'system-out': xmlSafe(suite.systemOut) }),
  };
}

function caseElement(testcase: JunitCase) {
  const problem = (p: JunitProblem) => ({ '@_message': xmlSafe(p.message), ...(p.type === undefined ? {} : { '@_type': xmlSafe(p.type) }), '#text': xmlSafe(p.text || p.message) });
  return {
    '@_classname': xmlSafe(testcase.classname),
    '@_name': xmlSafe(testcase.name),
    ...(testcase.durationMs === undefined ? {} : { '@_time': seconds(testcase.durationMs) }),
    ...(testcase.failure === undefined ? {} : { failure: problem(testcase.failure) }),
    ...(testcase.error === undefined ? {} : { error: problem(testcase.error) }),
    ...(testcase.skipped === undefined ? {} : { skipped: testcase.skipped.message === undefined ? '' : { '@_message': xmlSafe(testcase.skipped.message) } }),
    ...(testcase.systemOut === undefined || testcase.systemOut === '' ? {} : { 'system-out': xmlSafe(testcase.systemOut) }),
  };
}

/** Seconds with millisecond precision; a time that was not measured (0) is written `0`. */
function seconds(ms: number): string {
  return ms === 0 ? '0' : (ms / 1000).toFixed(3);
}

/** Drops the control characters XML 1.0 cannot hold at all (escaping cannot save them), e.g. a colour code in an error. */
export function xmlSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
