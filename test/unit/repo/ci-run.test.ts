import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';

// .ci/run's own logic (which parts run, on which Node, the summed "N passed, N failed" line, the exit code),
// checked with a stand-in `npm` that records its calls and prints mocha-like summaries.

const REPO = resolve(import.meta.dirname, '../../..');

const FAKE_NPM = `#!/usr/bin/env bash
echo "$* node=$(node -v)" >> "$CALLS"
case "$*" in
  "run test"|"run test:core") if [ "$(node -v)" = v24.0.0 ]; then n=$PASS24; else n=$PASS20; fi; echo "  $n passing (1s)"
    mkdir -p reports; printf '{"files":[{"file":"test/e2e/slow-on-%s.test.ts","ms":%s000,"tests":%s}]}' "$(node -v)" "$n" "$n" > reports/test-timings.json
    [ "$FAIL_IN" = "$(node -v)" ] && { echo "  1 failing"; exit 1; }; exit 0 ;;
  "run test:package") echo "  3 passing (2m)"; exit 0 ;;
  "run conformance") echo "  4 passing (30s)"; exit 0 ;;
  *) exit 0 ;;
esac
`;

async function ciCheckout(options: { lint: boolean; corpora: boolean }): Promise<{ dir: string; repo: string; calls: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-ci-run-'));
  const repo = join(dir, 'repo');
  await mkdir(join(repo, '.ci'), { recursive: true });
  await cp(join(REPO, '.ci/run'), join(repo, '.ci/run'));
  await mkdir(join(repo, 'scripts'));
  await cp(join(REPO, 'scripts/slowest-tests.mjs'), join(repo, 'scripts/slowest-tests.mjs'));
  await writeFile(join(repo, 'package.json'), JSON.stringify({ scripts: { test: 'mocha', ...(options.lint ? { lint: 'eslint .' } : {}) } }));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'npm'), FAKE_NPM);
  await chmod(join(bin, 'npm'), 0o755);
  // The Node 24 already installed, as .ci/run leaves it.
  const node24 = join(repo, '.cache/node24/node_modules/.bin');
  await mkdir(node24, { recursive: true });
  await writeFile(join(node24, 'node'), `#!/usr/bin/env bash\n[ "$1" = -v ] && { echo v24.0.0; exit 0; }\nexec ${process.execPath} "$@"\n`);
  await chmod(join(node24, 'node'), 0o755);
  if (options.corpora) await mkdir(join(dir, 'corpora'));
  return { dir, repo, calls: join(dir, 'calls.txt') };
}

async function runCi(checkout: { dir: string; repo: string; calls: string }, env: Record<string, string> = {}) {
  const run = await execa(join(checkout.repo, '.ci/run'), [], {
    env: { PATH: `${join(checkout.dir, 'bin')}:${process.env.PATH ?? ''}`, CALLS: checkout.calls, ACCORD_CORPORA: join(checkout.dir, 'corpora'), PASS20: '10', PASS24: '12', FAIL_IN: 'none', ...env },
    reject: false,
  });
  const calls = (await readFile(checkout.calls, 'utf8').catch(() => '')).trim().split('\n');
  return { run, calls, lastLine: run.stdout.trim().split('\n').at(-1) };
}

describe('.ci/run', function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs npm ci, the whole npm test on Node 20 and again on Node 24, the package tests, typecheck, lint, the docs check and conformance; sums the mocha counts', async () => {
    const checkout = await ciCheckout({ lint: true, corpora: true });
    dirs.push(checkout.dir);
    const { run, calls, lastLine } = await runCi(checkout);
    const node20 = process.version;
    expect(calls).to.deep.equal([`ci node=${node20}`, `run test node=${node20}`, 'run test node=v24.0.0', `run test:package node=${node20}`, `run typecheck node=${node20}`, `run lint node=${node20}`, `run docs:check node=${node20}`, `run conformance node=${node20}`]);
    expect(lastLine).to.equal('29 passed, 0 failed');
    expect(run.exitCode).to.equal(0);
  });

  it("prints each leg's ten slowest test files and keeps its timings report", async () => {
    const checkout = await ciCheckout({ lint: false, corpora: false });
    dirs.push(checkout.dir);
    const { run } = await runCi(checkout);
    expect(run.stdout).to.match(new RegExp(`^ +10\\.0 s {2}test/e2e/slow-on-${process.version.replaceAll('.', '\\.')}\\.test\\.ts \\(10 tests\\)$`, 'm'));
    expect(run.stdout).to.match(/^ +12\.0 s {2}test\/e2e\/slow-on-v24\.0\.0\.test\.ts \(12 tests\)$/m);
    const node24 = JSON.parse(await readFile(join(checkout.repo, 'reports/test-timings-node24.json'), 'utf8')) as { files: { file: string }[] };
    expect(node24.files.map((file) => file.file)).to.deep.equal(['test/e2e/slow-on-v24.0.0.test.ts']);
  });

  it('skips lint without a lint script and conformance without corpora', async () => {
    const checkout = await ciCheckout({ lint: false, corpora: false });
    dirs.push(checkout.dir);
    const { run, calls, lastLine } = await runCi(checkout);
    expect(calls.map((call) => call.replace(/ node=.*/, ''))).to.deep.equal(['ci', 'run test', 'run test', 'run test:package', 'run typecheck', 'run docs:check']);
    expect(run.stdout).to.include('conformance skipped');
    expect(lastLine).to.equal('25 passed, 0 failed');
    expect(run.exitCode).to.equal(0);
  });

  it('a failure on Node 24 alone fails the run, after every other part ran', async () => {
    const checkout = await ciCheckout({ lint: true, corpora: true });
    dirs.push(checkout.dir);
    const { run, calls, lastLine } = await runCi(checkout, { FAIL_IN: 'v24.0.0' });
    expect(calls).to.have.length(8);
    expect(lastLine).to.equal('29 passed, 1 failed');
    expect(run.exitCode).to.not.equal(0);
  });
});
