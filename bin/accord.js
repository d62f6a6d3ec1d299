#!/usr/bin/env node
// Runs the CLI from dist/, the JavaScript scripts/build.mjs transpiles from src/ with esbuild,
// rebuilding it first when a source is newer: loading the TypeScript through tsx costs about a
// second per run. Should the build be impossible (no esbuild, a syntax error), it runs the
// TypeScript through tsx as before, which reports any such error where it is.
// Source maps stay off here: they cost ~15 ms on `accord up` and ~130 ms when every command loads
// (`--help`); NODE_OPTIONS=--enable-source-maps gives TypeScript lines in a stack trace.
// A signal before the CLI has loaded finds nothing started: say so and exit as a shell would.
// src/cli/main.ts replaces these handlers with its own, which tear down what was started.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    process.stderr.write(`accord: ${signal} received, stopping everything that was started\n`);
    process.exit(code);
  });
}
const built = await import('../scripts/build.mjs').then(({ ensureBuilt }) => ensureBuilt()).then(
  () => true,
  () => false,
);
if (built) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
