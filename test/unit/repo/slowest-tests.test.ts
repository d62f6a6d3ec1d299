import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';

// scripts/slowest-tests.mjs and the reporter npm test runs with: each file's time is mocha's own
// (its tests and its hooks, so an environment started in `before` counts), slowest first.

const REPO = resolve(import.meta.dirname, '../../..');
const SCRIPT = join(REPO, 'scripts/slowest-tests.mjs');

const sleepy = (name: string, hookMs: number, testMs: number) => `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
describe('${name}', () => {
  before(() => sleep(${hookMs}));
  it('one', () => sleep(${testMs}));
  it('two', () => {});
});
`;

describe('scripts/slowest-tests.mjs', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-slowest-'));
    // The slow file's time is mostly its before hook: a sum of test durations alone would rank it last.
    await writeFile(join(dir, 'hook-heavy.test.mjs'), sleepy('hook heavy', 600, 0));
    await writeFile(join(dir, 'test-heavy.test.mjs'), sleepy('test heavy', 0, 250));
    await writeFile(join(dir, 'quick.test.mjs'), sleepy('quick', 0, 0));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const mode of [[], ['--parallel', '--jobs', '2']]) {
    it(`runs mocha on the files it is given${mode.length > 0 ? ' in parallel' : ''} and ranks them by tests plus hooks`, async () => {
      const run = await execa(process.execPath, [SCRIPT, '--top', '2', ...mode, join(dir, '*.test.mjs')], { cwd: REPO, reject: false });
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(run.stdout).to.include('6 passing');
      const list = run.stdout.slice(run.stdout.indexOf('slowest 2 of 3 test files'));
      const rows = list.split('\n').slice(1, 3);
      expect(rows[0]).to.match(/^ +0\.[6-9] s {2}\S*hook-heavy\.test\.mjs \(2 tests\)$/);
      expect(rows[1]).to.match(/^ +0\.[2-5] s {2}\S*test-heavy\.test\.mjs \(2 tests\)$/);
      expect(list).to.not.include('quick.test.mjs');
      expect(list).to.match(/\n +0\.\d s {2}in all$/);
    });
  }

  it('exits with mocha\'s exit code when a test fails', async () => {
    await writeFile(join(dir, 'failing.spec.mjs'), "it('fails', () => { throw new Error('no'); });\n");
    const run = await execa(process.execPath, [SCRIPT, join(dir, 'failing.spec.mjs')], { cwd: REPO, reject: false });
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.match(/slowest 1 of 1 test files/);
  });

  it('prints a saved report: its own and mocha\'s json reporter output', async () => {
    const own = join(dir, 'timings.json');
    await writeFile(own, JSON.stringify({ files: [{ file: 'a.test.ts', ms: 1200, tests: 3 }, { file: 'b.test.ts', ms: 61_000, tests: 1 }] }));
    const fromOwn = await execa(process.execPath, [SCRIPT, own], { reject: false });
    expect(fromOwn.exitCode).to.equal(0);
    expect(fromOwn.stdout.split('\n')).to.deep.equal(["slowest 2 of 2 test files (mocha's timings: tests and hooks):", '   61.0 s  b.test.ts (1 test)', '    1.2 s  a.test.ts (3 tests)', '   62.2 s  in all']);

    const mochaJson = join(dir, 'mocha.json');
    await writeFile(mochaJson, JSON.stringify({ stats: {}, tests: [{ file: join(process.cwd(), 'x.test.ts'), duration: 100 }, { file: join(process.cwd(), 'x.test.ts'), duration: 50 }, { file: join(process.cwd(), 'y.test.ts'), duration: 400 }] }));
    const fromMocha = await execa(process.execPath, [SCRIPT, mochaJson], { reject: false });
    expect(fromMocha.stdout.split('\n').slice(1, 3)).to.deep.equal(['    0.4 s  y.test.ts (1 test)', '    0.1 s  x.test.ts (2 tests)']);
  });

  it('a report it cannot read, or a bad --top: one line, exit 2', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"neither": true}');
    const unreadable = await execa(process.execPath, [SCRIPT, bad], { reject: false });
    expect(unreadable.exitCode).to.equal(2);
    expect(unreadable.stderr).to.match(/^slowest-tests: \S+bad\.json: neither a test-timings report/);
    expect(unreadable.stderr.split('\n')).to.have.length(1);
    const missing = await execa(process.execPath, [SCRIPT, join(dir, 'none.json')], { reject: false });
    expect(missing.exitCode).to.equal(2);
    expect(missing.stderr).to.equal(`slowest-tests: no report at ${join(dir, 'none.json')}`);
    const top = await execa(process.execPath, [SCRIPT, '--top', 'ten', bad], { reject: false });
    expect(top.exitCode).to.equal(2);
    expect(top.stderr).to.equal('slowest-tests: --top takes a positive whole number, got ten');
  });

  it('npm test writes the report it reads (reports/test-timings.json, through the timings reporter)', async () => {
    const scripts = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).to.equal('node scripts/run-tests.mjs');
    // Each phase's mocha reports through the timings reporter; their reports become one file.
    const runner = await readFile(join(REPO, 'scripts/run-tests.mjs'), 'utf8');
    expect(runner).to.include("'scripts/test-timings-reporter.cjs'").and.include("'--reporter', REPORTER, '--reporter-option', `timings=${timings}`");
    expect(runner).to.include("join(reports, 'test-timings.json')");
  });
});
