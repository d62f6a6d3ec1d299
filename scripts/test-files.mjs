// Which files `npm test` runs (scripts/run-tests.mjs), as mocha globs; the repository tests read
// them too (no file reached may read the conformance corpora).

/** Unit tests and the example services' own: `npm run test:core`. */
export const CORE = ['test/unit/**/*.test.ts', 'examples/orders/services/*/test/**/*.test.ts'];

/** The packed tarball installed into scratch projects: `npm run test:package`, one file after another. */
export const PACKAGE = ['test/package/**/*.test.ts'];

/** The whole suite: `npm test`. */
export const ALL = [...CORE, 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];

/**
 * Files whose assertions are about time or measured ratios (a latency threshold, a paired ratio,
 * a fault timed in a window): run one after another with nothing else running, after the rest,
 * since other files' CPU would distort them. (The Ctrl-C file runs with the rest: its 5 s to exit
 * is a promise for a busy machine too, and beside three heavy files its slowest exit was 1.7 s.)
 */
export const SERIAL = [
  // Its faults are timed (Redis paused for a window A must answer 503 in); beside two other
  // files one run ended in an error (exit 2) instead of the scenario's verdict.
  'test/e2e/stream-scenarios.test.ts',
  'test/e2e/hostile-input.test.ts',
  'test/e2e/up-leftovers.test.ts',
  'test/e2e/load.test.ts',
  'test/integration/load/gates.test.ts',
  'test/integration/load/paired-rounds.test.ts',
  'test/integration/load/baseline-build.test.ts',
  'test/integration/load/event-lag.test.ts',
];
