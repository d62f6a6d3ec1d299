import { EXAMPLE_ROOT } from '../../support/accord.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { exportK6Script, loadProfile, readK6Options } from '../../../src/load/index.js';

describe('exportK6Script', () => {
  it('exports the full profile as ramping-arrival-rate stages with the same thresholds', async () => {
    const options = readK6Options(exportK6Script(await loadProfile('full', { cwd: EXAMPLE_ROOT })));
    expect(options.scenarios.load.executor).to.equal('ramping-arrival-rate');
    expect(options.scenarios.load.timeUnit).to.equal('1s');
    expect(options.scenarios.load.startRate).to.equal(0);
    expect(options.scenarios.load.maxVUs).to.equal(2000);
    expect(options.scenarios.load.stages).to.deep.equal([
      { duration: '5m', target: 500 },
      { duration: '15m', target: 500 },
      { duration: '5m', target: 0 },
    ]);
    expect(options.thresholds).to.deep.equal({
      'http_req_duration{stage:sustain}': ['p(50)<100', 'p(95)<500', 'p(99)<1000'],
      'http_req_failed{stage:sustain}': ['rate<=0.001'],
      'http_reqs{stage:sustain}': ['rate>=100'],
    });
    expect(options.summaryTrendStats).to.include('p(99)');
  });

  it('uses the object form with abortOnFail when the profile aborts on failure', async () => {
    const smoke = await loadProfile('smoke', { cwd: EXAMPLE_ROOT });
    const options = readK6Options(exportK6Script({ ...smoke, thresholds: { ...smoke.thresholds, abortOnFail: true } }));
    expect(options.thresholds['http_req_duration{stage:sustain}']?.[2]).to.deep.equal({ threshold: 'p(99)<1000', abortOnFail: true, delayAbortEval: '5s' });
  });

  it('writes a syntactically valid ES module carrying the request mix and the data', async () => {
    const script = exportK6Script(await loadProfile('smoke', { cwd: EXAMPLE_ROOT }), 'http://127.0.0.1:9');
    expect(script).to.include("import http from 'k6/http'");
    expect(script).to.include('"path": "/orders/{{take:orders}}"');
    expect(script).to.include('"LOAD-064"');
    expect(script).to.include("tags: { stage: warmup ? 'warmup' : stageNow(), name: request.name }");
    expect(script).to.include('export function setup()');
    expect(script).to.include('const WARMUP_REQUESTS = 200;');
    const dir = await mkdtemp(join(tmpdir(), 'accord-k6-'));
    try {
      const file = join(dir, 'smoke.k6.mjs');
      await writeFile(file, script);
      const check = await execa('node', ['--check', file], { reject: false });
      expect(check.exitCode, check.stderr).to.equal(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
