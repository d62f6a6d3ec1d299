#!/usr/bin/env node
// The `accord` command: runs the compiled CLI in dist/. In a checkout of Accord's own repository
// (scripts/build.mjs beside this folder; an installed package has no scripts/), it first rebuilds
// whatever source is newer than its JavaScript, so a developer's edits are never run stale.
// Source maps stay off here: they cost ~130 ms when every command loads;
// NODE_OPTIONS=--enable-source-maps gives TypeScript lines in a stack trace in a checkout.
// A signal before the CLI has loaded finds nothing started: say so and exit as a shell would.
// The CLI replaces these handlers with its own, which tear down what was started.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Node 22+ keeps the compiled code of the CLI's modules on disk, so a command starts with about a
// fifth less CPU. The cache is the user's (never TMPDIR, which Accord leaves as it found it);
// NODE_COMPILE_CACHE, when set, is Node's own choice and wins; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
if (typeof module.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
  try {
    module.enableCompileCache(join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'accord', 'node-compile-cache'));
  } catch {
    // No home to write to: the command runs uncached.
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    process.stderr.write(`accord: ${signal} received, stopping everything that was started\n`);
    process.exit(code);
  });
}
const buildScript = new URL('../scripts/build.mjs', import.meta.url);
if (existsSync(buildScript)) {
  try {
    await (await import(buildScript.href)).ensureBuilt();
  } catch (error) {
    process.stderr.write(`accord: could not build the checkout's JavaScript: ${String(error?.message ?? error).split('\n')[0]}\n`);
    process.exit(70);
  }
}
await import('../dist/cli/main.js');
