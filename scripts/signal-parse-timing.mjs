#!/usr/bin/env node
// Times how long `accord contract lint` takes to end after SIGTERM while it parses the largest
// document it accepts (YAML just under 2 MB, JSON just under 32 MB), signalled at several moments,
// beside how long the same parse holds one thread (what a signal used to wait for).
// `node scripts/signal-parse-timing.mjs [delay-ms...]` (default 1000 2000 3000); prints one line a run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const ACCORD = fileURLToPath(new URL('../bin/accord.js', import.meta.url));
const MB = 1024 * 1024;

/** A contract of `count` paths, YAML or JSON, each path padded to about `bytesPerPath`. */
function contract(format, count, bytesPerPath) {
  const pad = 'x'.repeat(Math.max(0, bytesPerPath - 80));
  if (format === 'json') {
    const paths = {};
    for (let n = 0; n < count; n++) paths[`/p${n}`] = { get: { description: pad, responses: { 200: { description: 'ok' } } } };
    return JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1.0.0' }, paths });
  }
  const chunks = ['openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths:\n'];
  for (let n = 0; n < count; n++) chunks.push(`  /p${n}:\n    get:\n      description: ${pad}\n      responses:\n        "200": { description: ok }\n`);
  return chunks.join('');
}

function signalledRun(file, delayMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ACCORD, 'contract', 'lint', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let sentAt;
    const timer = setTimeout(() => {
      sentAt = performance.now();
      child.kill('SIGTERM');
    }, delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const endedAfter = sentAt === undefined ? undefined : performance.now() - sentAt;
      resolve({ code: code ?? signal, endedAfter, stderr: stderr.trim().split('\n').at(-1) ?? '' });
    });
  });
}

const delays = process.argv.slice(2).map(Number).filter((ms) => ms > 0);
const dir = mkdtempSync(join(tmpdir(), 'accord-signal-parse-'));
try {
  // Below the limits: 2 MB of YAML, 32 MB of JSON, 20 000 paths.
  for (const [format, bytes] of [['yaml', 2 * MB], ['json', 32 * MB]]) {
    const count = 19_000;
    let text = contract(format, count, Math.floor((bytes * 0.8) / count));
    const file = join(dir, `largest.${format}`);
    writeFileSync(file, text);
    const started = performance.now();
    if (format === 'yaml') parseDocument(text, { uniqueKeys: false }).toJS();
    else JSON.parse(text);
    const oneThread = performance.now() - started;
    console.log(`${format}: ${(Buffer.byteLength(text) / MB).toFixed(2)} MB, ${count} paths; parsed on one thread in ${oneThread.toFixed(0)} ms`);
    text = '';
    for (const delay of delays.length > 0 ? delays : [1000, 2000, 3000]) {
      const run = await signalledRun(file, delay);
      const ended = run.endedAfter === undefined ? `had ended before the signal (exit ${run.code})` : `ended ${run.endedAfter.toFixed(0)} ms after SIGTERM (exit ${run.code})`;
      console.log(`  SIGTERM at ${delay} ms: ${ended}; said: ${run.stderr}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
