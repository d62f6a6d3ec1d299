import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { migrate, startPostgres } from '../../src/env/index.js';
import { loadProfile, readK6Options } from '../../src/load/index.js';
import { startFixtureServer } from '../fixtures/load/start-server.js';
import type { FixtureServer } from '../fixtures/load/start-server.js';
import { EXAMPLE_ROOT, REPO_ROOT, accord } from '../support/accord.js';

const fixtures = join(REPO_ROOT, 'test/fixtures/load');
// How the CLI, working in the example's folder, names them.
const shown = relative(EXAMPLE_ROOT, fixtures);
const load = (args: string[]) => accord(['load', ...args]);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('accord load (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  const servers: FixtureServer[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-load-e2e-'));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects an unknown profile in one line, exit 2', async () => {
    const run = await load(['--profile', 'soak']);
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal('accord: unknown load profile "soak": expected one of smoke, full (from config/integration/load.yaml) or a path to a profile YAML file');
    expect(run.stdout).to.equal('');
  });

  it('lists every problem of a malformed profile with file:line, exit 2', async () => {
    const run = await load(['--config', `${fixtures}/malformed-profile`]);
    expect(run.exitCode).to.equal(2);
    const lines = run.stderr.split('\n');
    expect(lines[0]).to.equal(`accord: ${shown}/malformed-profile/load.yaml has 11 problems:`);
    expect(lines.slice(1)).to.have.length(11);
    for (const line of lines.slice(1)) expect(line).to.match(new RegExp(`^  ${shown}/malformed-profile/load\\.yaml:\\d+: profiles?|^  ${shown}/malformed-profile/load\\.yaml:\\d+: defaults`));
    expect(run.stderr).not.to.include('    at ');
  });

  it('says a target refuses connections in one line, exit 2, and leaves nothing running', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = await load(['--target', `http://127.0.0.1:${port}`, '--report-dir', join(dir, 'refused')]);
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal(`accord: load target http://127.0.0.1:${port} refused the connection (ECONNREFUSED): start the service first, or omit --target to let accord start the environment`);
    // It exited by itself right after the check: nothing was started, so nothing waits to be stopped.
    expect(Date.now() - started).to.be.below(30_000);
  });

  it('refuses to send load off this machine', async () => {
    const run = await load(['--target', 'http://10.1.2.3:8001']);
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal('accord: --target: load is only sent to this machine (127.0.0.0/8, localhost, ::1), got host "10.1.2.3"');
  });

  it('exports an equivalent k6 script', async () => {
    const out = join(dir, 'full.k6.js');
    const run = await load(['--profile', 'full', '--export', 'k6', '--out', out]);
    expect(run.exitCode).to.equal(0);
    expect(run.stdout).to.include('wrote k6 script for profile full');
    const options = readK6Options(await readFile(out, 'utf8'));
    expect(options.scenarios.load.stages.map((stage) => stage.duration)).to.deep.equal(['5m', '15m', '5m']);
    expect(Object.keys(options.thresholds)).to.deep.equal(['http_req_duration{stage:sustain}', 'http_req_failed{stage:sustain}', 'http_reqs{stage:sustain}']);
  });

  it('exports a runnable k6 script: its seed file creates every row the mix names, setup() warms up first', async () => {
    const out = join(dir, 'smoke.k6.js');
    const run = await load(['--profile', 'smoke', '--export', 'k6', '--out', out]);
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(`accord load: wrote k6 script for profile smoke to ${relative(EXAMPLE_ROOT, out)} and its seed rows to ${relative(EXAMPLE_ROOT, join(dir, 'smoke.seed.sql'))}`);
    const script = await readFile(out, 'utf8');
    expect(script).to.include('psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f smoke.seed.sql');
    expect(script).to.include('const BASE_URL = __ENV.BASE_URL || __ENV.SERVICE_A_URL || "http://127.0.0.1:8001";');
    expect(script).to.include('export function setup()');
    // The seed, loaded as the script says into a database migrated like accord up's, holds every sku the mix picks.
    const postgres = await startPostgres();
    try {
      const url = await postgres.createDatabase('k6_seed_check');
      await migrate(url, join(EXAMPLE_ROOT, 'migrations'));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(await readFile(join(dir, 'smoke.seed.sql'), 'utf8'));
        const { rows } = await client.query<{ sku: string }>('SELECT sku FROM items WHERE stock > 0');
        const skus = new Set(rows.map((row) => row.sku));
        const data = (await loadProfile('smoke', { cwd: EXAMPLE_ROOT })).data.sku ?? [];
        expect(data).to.have.length(64);
        expect(data.filter((sku) => !skus.has(sku))).to.deep.equal([]);
      } finally {
        await client.end();
      }
    } finally {
      await postgres.stop();
    }
  });

  it('--dry-run prints the resolved profile with where each value came from, and sends nothing', async () => {
    const run = await load(['--profile', `${fixtures}/tiny-profile/profile.yaml`, '--dry-run', '--format', 'json']);
    expect(run.exitCode, run.stderr).to.equal(0);
    const resolved = JSON.parse(run.stdout) as { profile: string; values: { key: string; value: string; from: string }[] };
    expect(resolved.profile).to.equal('profile');
    const byKey = Object.fromEntries(resolved.values.map((entry) => [entry.key, entry]));
    expect(byKey.stages).to.deep.equal({ key: 'stages', value: 'ramp-up 1s → 100/s, sustain 3s → 100/s, ramp-down 1s → 0/s', from: `${shown}/tiny-profile/profile.yaml` });
    expect(byKey['thresholds.minRate']).to.deep.equal({ key: 'thresholds.minRate', value: '50/s', from: `${shown}/tiny-profile/profile.yaml` });
    expect(byKey['thresholds.p99']).to.deep.equal({ key: 'thresholds.p99', value: '1000 ms', from: 'config/integration/load.yaml defaults' });
    expect(byKey.startRate?.from).to.equal('built-in default');
    const text = await load(['--dry-run']);
    expect(text.exitCode).to.equal(0);
    expect(text.stdout).to.match(/^accord load --dry-run: profile smoke, resolved \(nothing is sent\)$/m);
    expect(text.stdout).to.match(/^ {2}thresholds\.p95 +500 ms +config\/integration\/load\.yaml defaults$/m);
  });

  it('passes against a fast --target, prints JSON, writes every report, one progress line per stage in CI', async () => {
    const server = await startFixtureServer();
    servers.push(server);
    const reports = join(dir, 'fast');
    const run = await load(['--target', server.url, '--profile', `${fixtures}/tiny-profile/profile.yaml`, '--pid', `fixture=${server.pid}`, '--format', 'json', '--report-dir', reports]);
    expect(run.exitCode, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).to.equal(true);
    expect(result.resources.checks.map((check: { id: string }) => check.id)).to.include('resource.memory.fixture');
    expect(run.stderr.split('\n').filter((line) => line.startsWith('load stage '))).to.have.length(3);
    for (const file of ['load-profile.json', 'load-profile.md', 'load-profile.html', 'load-profile.junit.xml']) {
      expect((await readFile(join(reports, file), 'utf8')).length, file).to.be.greaterThan(100);
    }
  });

  it('exits 1 with JUnit failures when a slow server misses the latency thresholds', async () => {
    const server = await startFixtureServer(['--delay', '150']);
    servers.push(server);
    const run = await load(['--target', server.url, '--profile', `${fixtures}/slow-server-profile/profile.yaml`, '--format', 'junit', '--report-dir', join(dir, 'slow')]);
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.match(/^<\?xml/);
    expect(run.stdout).to.include('<testsuite name="load.profile" tests="6" failures="3"');
    expect(run.stdout.match(/<failure /g)).to.have.length(3);
  });

  it('rejects --pid without --target', async () => {
    const run = await load(['--pid', 'x=1']);
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal('accord: --pid: only with --target (without it, accord samples the environment it starts)');
  });
});
