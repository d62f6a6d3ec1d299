/**
 * Benchmarks `accord up` (issue 2): from starting the CLI to every service healthy (the "ready"
 * line), with the time of each step, and teardown from SIGINT to exit. Goal: ≤ 3 s up warm,
 * ≤ 1 s teardown. The first run warms caches (Postgres template, tsx transforms) and is not counted.
 * For the breakdown it also times `accord --help` (the CLI's fixed start-up cost: loading every
 * command) and `startEnvironment()` + `stop()` called in-process (the library path, no CLI).
 * It also times the same through `npx accord up`, which adds npm's own start-up.
 * Run: npx tsx scripts/bench-up.ts [runs]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../src/config/index.js';
import { startEnvironment } from '../src/env/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

interface Run {
  upMs: number;
  teardownMs: number;
  steps: Record<string, number>;
}

async function once(viaNpx = false): Promise<Run> {
  const started = performance.now();
  const [program, args] = viaNpx ? ['npx', ['accord', 'up', '--free-ports']] : [process.execPath, ['bin/accord.js', 'up', '--free-ports']];
  // Its own process group, so Ctrl-C can be sent as a terminal sends it: to the whole group (npx
  // does not forward a SIGINT sent to it alone).
  const child = execa(program, args, { cwd: ROOT, reject: false, detached: true, env: { DATABASE_URL: '', REDIS_URL: '' } });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((done, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready in')) done();
    });
    void child.then(() => fail(new Error(`accord up exited before it was ready:\n${stderr}`)));
  });
  const upMs = performance.now() - started;
  // Progress lines: "accord: <name> <detail> (<ms> ms)".
  const steps: Record<string, number> = {};
  for (const match of stderr.matchAll(/^accord: (\S+)\s.*\((\d+) ms\)$/gm)) {
    steps[match[1] ?? ''] = Number(match[2]);
  }
  const stopping = performance.now();
  process.kill(-(child.pid ?? 0), 'SIGINT');
  await child;
  return { upMs, teardownMs: performance.now() - stopping, steps };
}

console.log(`bench-up: ${RUNS} run(s) after 1 warm-up, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
await once();
const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await once();
  runs.push(run);
  const steps = Object.entries(run.steps).map(([name, ms]) => `${name} ${ms}`).join(', ');
  console.log(`run ${i + 1}: up ${run.upMs.toFixed(0)} ms (${steps}), teardown ${run.teardownMs.toFixed(0)} ms`);
}
const stepNames = Object.keys(runs[0]?.steps ?? {});
// What a user typing `npx accord up` waits: npm's own start-up comes on top.
const npx: Run[] = [];
for (let i = 0; i < RUNS; i++) npx.push(await once(true));

// CPU time (user + system, from GNU time) says what start-up costs on an idle machine, whatever the load.
const help: { wallMs: number; cpuMs: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const run = await execa('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, 'bin/accord.js', '--help'], { cwd: ROOT });
  const [user = 0, system = 0] = (/cpu ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? []).slice(1).map(Number);
  help.push({ wallMs: performance.now() - started, cpuMs: (user + system) * 1000 });
}
const library: { upMs: number; stopMs: number }[] = [];
const config = await loadConfig(DEFAULT_CONFIG_DIR, { root: ROOT, env: {} });
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const environment = await startEnvironment(config, { freePorts: true });
  const stopping = performance.now();
  await environment.stop();
  library.push({ upMs: stopping - started, stopMs: performance.now() - stopping });
}
console.log(`accord --help (CLI start-up, every command loaded): median ${median(help.map((h) => h.wallMs)).toFixed(0)} ms wall, ${median(help.map((h) => h.cpuMs)).toFixed(0)} ms CPU`);
console.log(`startEnvironment() in-process: median up ${median(library.map((r) => r.upMs)).toFixed(0)} ms, stop ${median(library.map((r) => r.stopMs)).toFixed(0)} ms`);
console.log(`median: up ${median(runs.map((r) => r.upMs)).toFixed(0)} ms (goal ≤ 3000), teardown ${median(runs.map((r) => r.teardownMs)).toFixed(0)} ms (goal ≤ 1000)`);
console.log(`via npx accord up: median up ${median(npx.map((r) => r.upMs)).toFixed(0)} ms, teardown ${median(npx.map((r) => r.teardownMs)).toFixed(0)} ms`);
console.log(`median steps (ms): ${stepNames.map((name) => `${name} ${median(runs.map((r) => r.steps[name] ?? 0))}`).join(', ')}`);
