import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { loadProfile, runLoad, writeLoadReports } from '../../../src/load/index.js';
import type { LoadProfile, LoadResult } from '../../../src/load/index.js';
import { startFixtureServer } from '../../fixtures/load/start-server.js';
import type { FixtureServer } from '../../fixtures/load/start-server.js';

// Each gate proven to pass on a good input and to fail on a broken one, against small servers
// started here as their own processes (test/fixtures/load/server.mjs). Runs are ~5 s each.

const fixtures = 'test/fixtures/load';

describe('load gates against fixture servers', function () {
  this.timeout(60_000);
  let dir: string;
  let tiny: LoadProfile;
  const servers: FixtureServer[] = [];
  const start = async (args: string[] = []) => {
    const server = await startFixtureServer(args);
    servers.push(server);
    return server;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-load-gates-'));
    tiny = await loadProfile(`${fixtures}/tiny-profile/profile.yaml`);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  describe('a fast server', () => {
    let server: FixtureServer;
    let result: LoadResult;
    before(async () => {
      server = await start();
      result = await runLoad({ profile: tiny, target: server.url, resources: [{ name: 'fixture', pid: server.pid, role: 'service' }], baselineFile: join(dir, 'baseline.json'), updateBaseline: true });
    });

    it('passes every threshold and resource limit, with the planned arrivals sent on schedule', () => {
      expect(result.findings).to.deep.equal([]);
      expect(result.ok).to.equal(true);
      const sustain = result.stages.find((stage) => stage.name === 'sustain');
      expect(sustain?.planned).to.equal(300);
      expect(sustain?.sent).to.equal(300);
      expect(sustain?.dropped).to.equal(0);
      expect(sustain?.errors).to.equal(0);
      // The 20 warm-up requests are not counted anywhere.
      expect(result.total.sent).to.equal(400);
      expect(result.total.completed).to.equal(400);
    });

    it('mixes the requests by weight, the reads reusing ids created earlier', () => {
      const endpoints = result.total.endpoints.map((endpoint) => endpoint.endpoint);
      expect(endpoints).to.deep.equal(['GET /things/{id}', 'POST /things']);
      const posts = result.total.endpoints.find((endpoint) => endpoint.endpoint === 'POST /things')?.requests ?? 0;
      expect(posts / result.total.sent).to.be.within(0.55, 0.8);
      expect(result.total.statuses).to.have.keys('200', '201');
    });

    it('samples the server process and reports the generator without gating it', () => {
      const fixture = result.resources.summaries.find((summary) => summary.name === 'fixture');
      expect(fixture?.samples).to.be.at.least(4);
      expect(fixture?.rssMaxBytes).to.be.greaterThan(10e6);
      expect(result.resources.checks.map((check) => check.id)).to.deep.equal(['resource.cpu.fixture', 'resource.memory.fixture', 'resource.disk.fixture']);
      expect(result.resources.summaries.find((summary) => summary.name === 'generator')?.role).to.equal('generator');
    });

    it('records a baseline entry on --update-baseline and says what changed', async () => {
      expect(result.baseline?.status).to.equal('missing');
      expect(result.baseline?.updated?.map((change) => change.metric)).to.include('profile@100 p99Ms');
      const stored = JSON.parse(await readFile(join(dir, 'baseline.json'), 'utf8'));
      expect(stored.entries['profile@100'].requests).to.equal(300);
      expect(stored.entries['profile@100'].histogram).to.be.a('string').with.length.above(10);
    });

    it('writes the JSON, Markdown, HTML and JUnit reports', async () => {
      const files = await writeLoadReports(result, join(dir, 'reports'));
      expect(JSON.parse(await readFile(files.json, 'utf8')).ok).to.equal(true);
      expect(await readFile(files.markdown, 'utf8')).to.include('xychart-beta');
      expect(await readFile(files.html, 'utf8')).to.include('<svg');
      expect(await readFile(files.junit, 'utf8')).to.include('failures="0"');
    });
  });

  it('fails the latency thresholds against a server that answers after 150 ms (and will not record it as the baseline)', async () => {
    const server = await start(['--delay', '150']);
    const profile = await loadProfile(`${fixtures}/slow-server-profile/profile.yaml`);
    const baselineFile = join(dir, 'slow-baseline.json');
    const result = await runLoad({ profile, target: server.url, baselineFile, updateBaseline: true });
    expect(result.baseline?.updated).to.equal(null);
    expect(result.findings).to.include('baseline not updated: a run that fails its thresholds or limits cannot become the baseline');
    expect(await readFile(baselineFile, 'utf8').catch(() => 'absent')).to.equal('absent');
    expect(result.ok).to.equal(false);
    const failed = result.thresholds.filter((check) => !check.ok && !check.informational).map((check) => check.id);
    expect(failed).to.deep.equal(['latency.p50', 'latency.p95', 'latency.p99']);
    expect(result.stages.find((stage) => stage.name === 'sustain')?.latency.p50Ms).to.be.at.least(150);
  });

  it('shows a server that stalls 200 ms every 2 s in p99 (a closed-model tool like autocannon hides it)', async () => {
    const server = await start(['--stall', '200', '--every', '2000']);
    const profile: LoadProfile = {
      ...tiny,
      stages: [
        { name: 'ramp-up', durationMs: 1000, target: 200 },
        { name: 'sustain', durationMs: 5000, target: 200 },
      ],
      mix: [{ name: 'GET /', weight: 1, method: 'GET', path: '/', headers: {}, body: undefined, expect: [], capture: {} }],
      thresholds: { ...tiny.thresholds, p99Ms: 100, minRate: 100, targetRate: 200 },
    };
    const result = await runLoad({ profile, target: server.url });
    const sustain = result.stages.find((stage) => stage.name === 'sustain');
    // Requests scheduled during a stall wait for it: 10 % of the time, so well over 1 % of requests.
    expect(sustain?.latency.p99Ms).to.be.at.least(120);
    expect(result.thresholds.find((check) => check.id === 'latency.p99')?.ok).to.equal(false);
    const worstSecond = Math.max(...result.series.map((point) => point.p99Ms));
    expect(worstSecond).to.be.at.least(150);
  });

  it('fails the resource gate when the memory limit is set below the server\'s memory (PSS)', async () => {
    const server = await start();
    const profile: LoadProfile = { ...tiny, limits: { ...tiny.limits, memoryBytes: 5e6 } };
    const result = await runLoad({ profile, target: server.url, resources: [{ name: 'fixture', pid: server.pid, role: 'service' }] });
    const memory = result.resources.checks.find((check) => check.id === 'resource.memory.fixture');
    expect(memory?.ok).to.equal(false);
    expect(memory?.actual).to.be.greaterThan(5e6);
    expect(result.ok).to.equal(false);
    expect(result.findings).to.have.length(1);
    expect(result.findings[0]).to.match(/^resource limit exceeded: fixture PSS < 5\.00 MB, was \d+\.\d MB$/);
  });

  it('fails the regression check against a baseline with better numbers', async () => {
    const server = await start();
    const baselineFile = join(dir, 'better-baseline.json');
    await cp(`${fixtures}/better-baseline/performance-baseline.json`, baselineFile);
    const before = await readFile(baselineFile, 'utf8');
    // No absolute slack: a loopback p95 of 2 ms is within the default 5 ms of a 0.02 ms baseline.
    const strict: LoadProfile = { ...tiny, baseline: { ...tiny.baseline, tolerance: 0.25, minDeltaMs: 0, medianTolerance: 0.25, medianMinDeltaMs: 0, cpuShareTolerance: 0.15 } };
    const result = await runLoad({ profile: strict, target: server.url, baselineFile });
    expect(result.baseline?.status).to.equal('regressed');
    expect(result.baseline?.checks.filter((check) => !check.ok).map((check) => check.id)).to.deep.equal(['baseline.p50', 'baseline.p95', 'baseline.p99', 'baseline.rate']);
    expect(result.ok).to.equal(false);
    expect(result.findings.every((finding) => finding.startsWith('regression against profile@100'))).to.equal(true);
    // Comparing never rewrites the baseline.
    expect(await readFile(baselineFile, 'utf8')).to.equal(before);
  });

  it('stops early when a threshold fails and abortOnFail is set', async () => {
    const server = await start(['--delay', '150']);
    const slow = await loadProfile(`${fixtures}/slow-server-profile/profile.yaml`);
    const profile: LoadProfile = {
      ...slow,
      stages: [
        { name: 'ramp-up', durationMs: 1000, target: 50 },
        { name: 'sustain', durationMs: 20_000, target: 50 },
      ],
      thresholds: { ...slow.thresholds, abortOnFail: true, abortGraceMs: 1000 },
    };
    const started = Date.now();
    const result = await runLoad({ profile, target: server.url });
    expect(Date.now() - started).to.be.below(10_000);
    expect(result.abortedReason).to.match(/^threshold failed during sustain: p50 < 100 ms over sustain \(was \d+ ms\)/);
    expect(result.findings[0]).to.match(/^run aborted: /);
    expect(result.ok).to.equal(false);
  });

  it('refuses an unreachable target with one clear error and starts nothing', async () => {
    const server = await start();
    await server.stop();
    try {
      await runLoad({ profile: tiny, target: server.url });
      expect.fail('an unreachable target was accepted');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_TARGET_UNREACHABLE')).to.equal(true);
      expect((error as Error).message).to.match(/^load target http:\/\/127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/);
    }
  });
});
