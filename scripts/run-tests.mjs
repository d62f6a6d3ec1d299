#!/usr/bin/env node
// `npm test`: the whole suite in two phases, then one summary.
//   1. every file but the timing-sensitive ones, `mocha --parallel` (ACCORD_TEST_JOBS workers,
//      default 3: most end-to-end time is spent waiting on child processes, so a 2-core machine
//      runs three files at once faster than two);
//   2. the timing-sensitive files one after another with nothing else running: they assert a
//      latency, a measured ratio or a fault timed in a window, which other files' CPU would
//      distort.
// Each phase's file timings (scripts/test-timings-reporter.cjs) are merged into
// reports/test-timings.json; the last line is mocha's "N passing" / "N failing" over both phases,
// so a CI log reads as for one mocha run. Exit code: non-zero when either phase failed.
//   node scripts/run-tests.mjs [--core | --package]   (--core: unit tests and the example services'
//   own; --package: the tarball's tests, `npm run test:package`, one file after another)
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL, CORE, PACKAGE, SERIAL } from './test-files.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const core = args.includes('--core');
const packageTests = args.includes('--package');
const jobs = Number(process.env.ACCORD_TEST_JOBS ?? 3);
if (!Number.isInteger(jobs) || jobs < 1) {
  console.error(`run-tests: ACCORD_TEST_JOBS must be a positive whole number, got ${process.env.ACCORD_TEST_JOBS}`);
  process.exit(2);
}

const reports = join(REPO, 'reports');
mkdirSync(reports, { recursive: true });
const MOCHA = join(REPO, 'node_modules/mocha/bin/mocha.js');
const REPORTER = join(REPO, 'scripts/test-timings-reporter.cjs');

// Temp files in RAM when the machine has a tmpfs with room to spare: every environment a test
// starts copies a 42 MB PostgreSQL cluster into TMPDIR and writes its data there, and on a VM's
// disk that copy alone costs ~0.8 s of CPU (~0.07 s on tmpfs). ACCORD_TEST_TMPDIR=system keeps
// the system's TMPDIR.
const TMPFS_MAGIC = 0x01021994;
const RAM_NEEDED = 4 * 2 ** 30;
function ramTmpdir() {
  if (process.env.ACCORD_TEST_TMPDIR === 'system') return undefined;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < RAM_NEEDED) return undefined;
    const dir = mkdtempSync('/dev/shm/accord-tests-');
    // As root the embedded PostgreSQL runs as `postgres`, which must reach its data dir in here.
    chmodSync(dir, 0o755);
    return dir;
  } catch {
    return undefined;
  }
}
const ramTmp = ramTmpdir();
const testEnv = ramTmp === undefined ? process.env : { ...process.env, TMPDIR: ramTmp };

let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    running?.kill(signal);
    process.exitCode = 130;
  });
}

/** Runs mocha, its output teed to the console; resolves with its exit code and its passing/failing counts. */
function mocha(name, mochaArgs) {
  const timings = join(reports, `test-timings-${name}.json`);
  rmSync(timings, { force: true });
  return new Promise((done) => {
    const child = spawn(process.execPath, [MOCHA, '--reporter', REPORTER, '--reporter-option', `timings=${timings}`, ...mochaArgs], {
      cwd: REPO,
      env: testEnv,
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    running = child;
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', (code, signal) => {
      running = undefined;
      const count = (word) => Number(tail.match(new RegExp(`^\\s*(\\d+) ${word}`, 'm'))?.[1] ?? 0);
      done({ code: code ?? (signal ? 128 : 1), passing: count('passing'), failing: count('failing'), timings });
    });
  });
}

const started = Date.now();
const phases = [];
if (core) {
  phases.push(await mocha('core', ['--parallel', '--jobs', String(jobs), ...CORE]));
} else if (packageTests) {
  phases.push(await mocha('package', PACKAGE));
} else {
  const exclude = SERIAL.flatMap((file) => ['--exclude', file]);
  phases.push(await mocha('parallel', ['--parallel', '--jobs', String(jobs), ...ALL, ...exclude]));
  if (process.exitCode !== 130) phases.push(await mocha('serial', SERIAL));
}

if (ramTmp !== undefined) rmSync(ramTmp, { recursive: true, force: true });

// One timings report over both phases, as scripts/slowest-tests.mjs reads it.
const files = [];
for (const phase of phases) {
  try {
    files.push(...JSON.parse(readFileSync(phase.timings, 'utf8')).files);
  } catch {
    // a phase that died before its end wrote no report; its failure is in its exit code
  }
  rmSync(phase.timings, { force: true });
}
files.sort((a, b) => b.ms - a.ms);
writeFileSync(join(reports, 'test-timings.json'), `${JSON.stringify({ node: process.version, files }, null, 2)}\n`);

const passing = phases.reduce((sum, phase) => sum + phase.passing, 0);
const failing = phases.reduce((sum, phase) => sum + phase.failing, 0);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\nrun-tests: ${phases.length === 1 ? 'one phase' : `${jobs} files at a time, then ${SERIAL.length} timing-sensitive files alone`}, TMPDIR ${ramTmp === undefined ? 'the system\'s' : 'in RAM (/dev/shm)'}, ${minutes} min in all`);
console.log(`  ${passing} passing (${minutes}m)`);
if (failing > 0) console.log(`  ${failing} failing`);
const failed = phases.some((phase) => phase.code !== 0);
process.exit(process.exitCode === 130 ? 130 : failed ? 1 : 0);
