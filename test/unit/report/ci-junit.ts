import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

interface Node {
  readonly [key: string]: unknown;
}

const SECONDS = /^\d+(\.\d{1,3})?$/;
const ANT_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

/**
 * Asserts what Jenkins, GitLab, GitHub's JUnit reporters and Azure DevOps read from a JUnit
 * file: well-formed XML, `testsuites > testsuite > testcase`, every suite's tests/failures/
 * errors/skipped equal to its cases, the root's totals their sums, times in decimal seconds,
 * timestamps as Ant writes them, each case named with a classname. Returns the parsed suites.
 */
export function expectCiJunit(xml: string): Node[] {
  expect(XMLValidator.validate(xml), 'well-formed XML').to.equal(true);
  expect(xml).to.match(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml) as { testsuites: Node & { testsuite?: Node[] } };
  const root = parsed.testsuites;
  const suites = root.testsuite ?? [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of suites) {
    const cases = (suite.testcase as Node[] | undefined) ?? [];
    const counted = {
      tests: cases.length,
      failures: cases.filter((c) => c.failure !== undefined).length,
      errors: cases.filter((c) => c.error !== undefined).length,
      skipped: cases.filter((c) => c.skipped !== undefined).length,
    };
    const name = String(suite.name);
    expect(name, 'suite name').to.not.equal('');
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
      expect(suite[key], `${name}: ${key}`).to.equal(String(counted[key]));
      totals[key] += counted[key];
    }
    expect(String(suite.time), `${name}: time`).to.match(SECONDS);
    if (suite.timestamp !== undefined) expect(String(suite.timestamp), `${name}: timestamp`).to.match(ANT_TIMESTAMP);
    for (const testcase of cases) {
      expect(String(testcase.name), `${name}: case name`).to.not.equal('');
      expect(String(testcase.classname), `${name}: classname`).to.not.equal('');
      if (testcase.time !== undefined) expect(String(testcase.time)).to.match(SECONDS);
      const failure = testcase.failure as Node | string | undefined;
      if (failure !== undefined) expect(typeof failure === 'object' ? String(failure.message) : '', `${name}: failure message`).to.not.equal('');
    }
  }
  expect(root.tests).to.equal(String(totals.tests));
  expect(root.failures).to.equal(String(totals.failures));
  expect(root.errors ?? '0').to.equal(String(totals.errors));
  expect(root.skipped ?? '0').to.equal(String(totals.skipped));
  expect(String(root.time)).to.match(SECONDS);
  return suites;
}
