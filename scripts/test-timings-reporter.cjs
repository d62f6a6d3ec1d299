// Mocha's spec output, plus each test file's time written as JSON when the run ends
// (`--reporter-option timings=FILE`, default reports/test-timings.json). A file's time is
// mocha's own: the durations of its tests and of its hooks, so an environment started in a
// `before` counts, and the figures stay right under `--parallel`, where the events reach the
// reporter only after a worker finished the file. scripts/slowest-tests.mjs prints the report.
// CommonJS because mocha loads a reporter with require().
/* global require, module, process */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, relative, resolve } = require('node:path');
const Mocha = require('mocha');

const { EVENT_HOOK_END, EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS } = Mocha.Runner.constants;

class TestTimings extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const output = resolve(options.reporterOption?.timings ?? options.reporterOptions?.timings ?? 'reports/test-timings.json');
    /** @type {Map<string, { ms: number, tests: number, failures: number }>} */
    const files = new Map();
    const entry = (runnable) => {
      const file = runnable.file ? relative(process.cwd(), runnable.file) : '(root hooks)';
      let found = files.get(file);
      if (!found) files.set(file, (found = { ms: 0, tests: 0, failures: 0 }));
      return found;
    };
    runner.on(EVENT_HOOK_END, (hook) => {
      entry(hook).ms += hook.duration ?? 0;
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      const found = entry(test);
      found.ms += test.duration ?? 0;
      found.tests += 1;
    });
    // A failed hook arrives here too (with no hook-end event), counted as time, not as a test.
    runner.on(EVENT_TEST_FAIL, (test) => {
      const found = entry(test);
      found.ms += test.duration ?? 0;
      found.failures += 1;
      if (test.type !== 'hook') found.tests += 1;
    });
    runner.once(EVENT_RUN_END, () => {
      const report = {
        node: process.version,
        files: [...files].map(([file, times]) => ({ file, ...times })).sort((a, b) => b.ms - a.ms),
      };
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
    });
  }
}

module.exports = TestTimings;
