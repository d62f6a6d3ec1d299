import { expect } from 'chai';
import { renderLoadJunit } from '../../../src/load/index.js';
import { renderVerifyJunit } from '../../../src/pact/index.js';
import type { VerifyResult } from '../../../src/pact/index.js';
import { renderJunit, renderStepsJunit } from '../../../src/report/index.js';
import type { GateStep } from '../../../src/report/index.js';
import { renderJunit as renderScenariosJunit } from '../../../src/scenarios/index.js';
import type { ScenariosResult } from '../../../src/scenarios/index.js';
import { sampleResult } from '../load/sample-result.js';
import { expectCiJunit } from './ci-junit.js';
import { sampleReport } from './sample-report.js';

const STEPS: GateStep[] = [
  {
    id: 'contract-diff',
    title: 'Contract diff',
    status: 'fail',
    durationMs: 1234,
    checks: [
      { id: 'response-property-removed', name: 'GET /items 200: `stock` removed', status: 'fail', message: 'needs a major bump <1.3.0> & "more"\u001b[31m', location: { file: 'contracts/a.yaml', line: 4, column: 7 } },
      { id: 'ok', name: 'added `updatedAt`', status: 'pass', message: 'non-breaking' },
      { id: 'warn', name: 'a description changed', status: 'warn', message: 'text only' },
      { id: 'skip', name: 'not compared', status: 'skip', message: 'no baseline for the AsyncAPI file' },
    ],
    evidence: [{ label: 'diff', href: 'reports/diff.json' }],
  },
  { id: 'environment', title: 'Environment', status: 'fail', durationMs: 900, checks: [], evidence: [], details: { summary: 'postgres did not start: port in use' } },
  { id: 'load', title: 'Load', status: 'skip', durationMs: 0, checks: [], evidence: [], details: { summary: 'not run: environment failed' } },
];

describe('report: JUnit XML', () => {
  it('writes one suite per step and one case per check: failures with their message, skips as <skipped>, warnings as output', () => {
    const xml = renderStepsJunit(STEPS, { startedAt: '2026-12-02T06:00:00.123Z' });
    const [diff, environment, load] = expectCiJunit(xml);
    expect(diff).to.include({ name: 'contract-diff', tests: '4', failures: '1', skipped: '1', time: '1.234', timestamp: '2026-12-02T06:00:00' });
    const cases = diff?.testcase as { name: string; classname: string; failure?: { message: string; type: string; '#text': string }; skipped?: { message: string }; 'system-out'?: string }[];
    expect(cases[0]?.classname).to.equal('accord.contract-diff');
    // Escaped on the way out, the colour code dropped (XML 1.0 cannot hold it).
    expect(cases[0]?.failure).to.deep.include({ message: 'needs a major bump <1.3.0> & "more"[31m', type: 'response-property-removed' });
    expect(cases[0]?.failure?.['#text']).to.include('(contracts/a.yaml:4:7)');
    expect(xml).to.include('needs a major bump &lt;1.3.0&gt; &amp; &quot;more&quot;[31m');
    expect(xml).to.not.match(/\u001b/);
    expect(cases[2]?.['system-out']).to.equal('warning: a description changed: text only');
    expect(cases[3]?.skipped?.message).to.equal('no baseline for the AsyncAPI file');
    // A step that failed or was skipped without a check still shows as such.
    expect(environment).to.include({ failures: '1', tests: '1' });
    expect(load).to.include({ skipped: '1', tests: '1' });
    expect(xml).to.match(/<testsuites name="accord gate" tests="6" failures="2" skipped="2" time="2\.134">/);
  });

  it('keeps errors and skips off <testsuites> when there are none, and writes an untimed case as time="0"', () => {
    const xml = renderJunit({ name: 'x', durationMs: 1500, suites: [{ name: 's', durationMs: 1500, cases: [{ classname: 'c', name: 'n', durationMs: 0 }, { classname: 'c', name: 'e', error: { message: 'crashed' } }] }] });
    expectCiJunit(xml);
    expect(xml).to.include('<testsuites name="x" tests="2" failures="0" errors="1" time="1.500">');
    expect(xml).to.include('<testcase classname="c" name="n" time="0"/>');
    expect(xml).to.include('<error message="crashed">crashed</error>');
  });

  it('the acceptance report and every command writes what CI systems parse', async () => {
    const verify: VerifyResult = {
      ok: false,
      provider: 'service-b',
      interactions: [
        { description: 'a request for an item', providerStates: ['an item exists'], ok: true, mismatches: [], consumer: 'service-a', stateSetupMs: 3 },
        { description: 'a <bad> one', providerStates: [], ok: false, mismatches: [{ attribute: 'body', location: '$.stock', message: 'expected 1 got 2' }], consumer: 'service-a', stateSetupMs: 0 },
      ],
      verifierOutput: '',
      published: undefined,
      timings: { verifyMs: 1500 },
    };
    const scenarios: ScenariosResult = {
      ok: false,
      scenarios: [
        { name: 'happy-path', title: 'Happy', ok: true, durationMs: 700, checks: [{ name: 'A answered 200', ok: true, detail: '200' }] },
        { name: 'b-unavailable', title: 'B down', ok: false, durationMs: 1200, traceFile: 'reports/traces/b.json', checks: [{ name: 'A retried', ok: false, detail: '0 retries' }] },
      ],
    };
    const report = await sampleReport();
    expect(expectCiJunit(renderStepsJunit(report.steps))).to.have.length(report.steps.length);
    expect(expectCiJunit(renderVerifyJunit(verify))[0]).to.include({ tests: '2', failures: '1' });
    expect(expectCiJunit(renderScenariosJunit(scenarios))).to.have.length(2);
    expect(expectCiJunit(renderLoadJunit(await sampleResult({ memoryLimit: 150e6 })))[0]).to.include({ name: 'load.smoke', failures: '1', timestamp: '2026-11-23T12:00:00' });
  });
});
