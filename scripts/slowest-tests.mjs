#!/usr/bin/env node
// The ten slowest test files, by mocha's own timings (each file's tests and hooks).
//   node scripts/slowest-tests.mjs [--top N] 'test/e2e/**/*.test.ts' [more mocha arguments]
//       runs mocha on those files (spec output as usual), then prints the list;
//   node scripts/slowest-tests.mjs [--top N] REPORT.json
//       prints it from a saved report: the one `npm test` writes (reports/test-timings.json,
//       by scripts/test-timings-reporter.cjs) or mocha's own `--reporter json` output.
// Exits with mocha's exit code when it ran mocha; 2 on a report it cannot read.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** `{ file, ms, tests }` per file from either report shape, slowest first. */
export function fileTimes(report) {
  if (Array.isArray(report?.files)) {
    return report.files.map(({ file, ms, tests }) => ({ file: String(file), ms: Number(ms) || 0, tests: Number(tests) || 0 })).sort((a, b) => b.ms - a.ms);
  }
  if (Array.isArray(report?.tests)) {
    // mocha's json reporter: test durations only (its report has no hooks).
    const files = new Map();
    for (const test of report.tests) {
      const file = test.file ? relative(process.cwd(), test.file) : '(unknown file)';
      const entry = files.get(file) ?? { file, ms: 0, tests: 0 };
      entry.ms += Number(test.duration) || 0;
      entry.tests += 1;
      files.set(file, entry);
    }
    return [...files.values()].sort((a, b) => b.ms - a.ms);
  }
  throw new Error('neither a test-timings report ({"files": [...]}) nor mocha json output ({"tests": [...]})');
}

/** The list as printed: the `top` slowest, then the total over every file. */
export function formatSlowest(times, top = 10) {
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(9);
  const total = times.reduce((sum, entry) => sum + entry.ms, 0);
  const lines = [`slowest ${Math.min(top, times.length)} of ${times.length} test files (mocha's timings: tests and hooks):`];
  for (const entry of times.slice(0, top)) lines.push(`${seconds(entry.ms)}  ${entry.file} (${entry.tests} test${entry.tests === 1 ? '' : 's'})`);
  lines.push(`${seconds(total)}  in all`);
  return lines.join('\n');
}

async function main(argv) {
  const args = [...argv];
  let top = 10;
  const topAt = args.indexOf('--top');
  if (topAt >= 0) {
    top = Number(args[topAt + 1]);
    if (!Number.isInteger(top) || top < 1) {
      console.error(`slowest-tests: --top takes a positive whole number, got ${args[topAt + 1] ?? 'nothing'}`);
      return 2;
    }
    args.splice(topAt, 2);
  }
  if (args.length === 1 && args[0].endsWith('.json')) {
    if (!existsSync(args[0])) {
      console.error(`slowest-tests: no report at ${args[0]}`);
      return 2;
    }
    let times;
    try {
      times = fileTimes(JSON.parse(readFileSync(args[0], 'utf8')));
    } catch (error) {
      console.error(`slowest-tests: ${args[0]}: ${error.message}`);
      return 2;
    }
    console.log(formatSlowest(times, top));
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'accord-slowest-'));
  const report = join(dir, 'timings.json');
  const mocha = spawn(
    process.execPath,
    [join(REPO, 'node_modules/mocha/bin/mocha.js'), '--reporter', join(REPO, 'scripts/test-timings-reporter.cjs'), '--reporter-option', `timings=${report}`, ...args],
    { stdio: 'inherit' },
  );
  // Mocha stops its run on a signal; this process waits for it, then removes its temp dir.
  const forward = (signal) => mocha.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  return new Promise((done) => {
    mocha.on('close', (code, signal) => {
      try {
        if (existsSync(report)) console.log(`\n${formatSlowest(fileTimes(JSON.parse(readFileSync(report, 'utf8'))), top)}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      done(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) process.exitCode = await main(process.argv.slice(2));
