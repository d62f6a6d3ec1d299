import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderJson, renderJunit, renderText } from '../../../src/scenarios/index.js';
import type { ScenariosResult } from '../../../src/scenarios/index.js';

const RESULT: ScenariosResult = {
  ok: false,
  scenarios: [
    {
      name: 'happy-path',
      title: 'Happy path',
      ok: true,
      durationMs: 700,
      traceFile: 'reports/traces/happy-path.json',
      checks: [
        { name: 'A answers 200', ok: true, detail: 'POST /orders → 200' },
        { name: 'stock decremented', ok: true, detail: 'stock = 3' },
      ],
    },
    {
      name: 'b-unavailable',
      title: 'B unavailable',
      ok: false,
      durationMs: 4250,
      checks: [
        { name: 'A retried B the configured number of times', ok: false, detail: 'A is configured with 0 retries & made 1 attempt <no retry> "sic"\u001b[31m' },
        { name: 'no data corruption', ok: true, detail: 'checksums unchanged' },
      ],
    },
  ],
};

describe('scenarios: renderJson', () => {
  it("has exactly the issue's shape, and nothing else", () => {
    const json = JSON.parse(renderJson(RESULT)) as Record<string, unknown>;
    expect(Object.keys(json)).to.deep.equal(['ok', 'scenarios']);
    const scenarios = json.scenarios as Record<string, unknown>[];
    expect(scenarios.map((s) => Object.keys(s))).to.deep.equal([
      ['name', 'ok', 'durationMs', 'checks'],
      ['name', 'ok', 'durationMs', 'checks'],
    ]);
    expect((scenarios[1]?.checks as unknown[])[0]).to.deep.equal({ name: 'A retried B the configured number of times', ok: false, detail: RESULT.scenarios[1]?.checks[0]?.detail });
    expect(json.ok).to.equal(false);
  });
});

describe('scenarios: renderText', () => {
  it('prints a row per scenario with checks passed and time, then the failed checks', () => {
    const text = renderText(RESULT);
    expect(text).to.match(/│ scenario\s+│ checks passed │ time\s+│ result │/);
    expect(text).to.match(/│ happy-path\s+│ 2\/2\s+│ 0\.70 s │ ok\s+│/);
    expect(text).to.match(/│ b-unavailable\s+│ 1\/2\s+│ 4\.25 s │ FAILED │/);
    expect(text).to.include('  ✗ A retried B the configured number of times: A is configured with 0 retries');
    expect(text).to.include('1 of 2 scenarios passed in 4.95 s');
  });
});

describe('scenarios: renderJunit', () => {
  it('writes valid JUnit XML: a testsuite per scenario, a testcase per check, a failure per failed check', () => {
    const xml = renderJunit(RESULT);
    expect(XMLValidator.validate(xml)).to.equal(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { name: string; tests: string; failures: string; time: string; testcase: { name: string; failure?: { message: string } }[] }[] };
    };
    expect(parsed.testsuites).to.include({ tests: '4', failures: '1' });
    const [happy, down] = parsed.testsuites.testsuite;
    expect(happy).to.include({ name: 'happy-path', tests: '2', failures: '0', time: '0.700' });
    expect(down).to.include({ name: 'b-unavailable', failures: '1' });
    expect(down?.testcase[0]?.failure?.message).to.equal('A is configured with 0 retries & made 1 attempt <no retry> "sic"[31m');
    expect(down?.testcase[1]?.failure).to.equal(undefined);
  });
});
