/**
 * Benchmarks `accord scenarios` (issue 3): all seven scenarios including environment start and
 * stop (budget 30 s), with the per-scenario breakdown, on the test config's short backoff timings.
 * Prints the machine's load average too: the services' start-up dominates and is CPU-bound.
 * Run: npx tsx scripts/bench-scenarios.ts [runs] [config-dir]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../src/config/index.js';
import { runScenariosLive } from '../src/scenarios/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 1);
const CONFIG = process.argv[3] ?? 'test/fixtures/scenarios/fast-retries';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`bench-scenarios: ${RUNS} run(s), config ${CONFIG}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);

// 1. The CLI as a user runs it: process start to exit, environment start and stop included.
const cli: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const result = await execa('node', ['bin/accord.js', 'scenarios', '--config', CONFIG, '--format', 'json'], { cwd: ROOT, reject: false });
  cli.push(performance.now() - started);
  if (result.exitCode !== 0) throw new Error(`accord scenarios exited ${result.exitCode}: ${result.stdout}\n${result.stderr}`);
}
console.log(`accord scenarios (7 scenarios, CLI wall clock incl. env start/stop): median ${s(median(cli))}, max ${s(Math.max(...cli))} [budget 30 s]`);

// 2. The same through the library, for the breakdown.
const phases: Record<string, number[]> = {};
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const result = await runScenariosLive(await loadConfig(CONFIG, { root: ROOT }), { tracesDir: resolve(ROOT, 'reports/traces') });
  if (!result.ok) throw new Error(`a scenario failed: ${result.scenarios.filter((x) => !x.ok).map((x) => x.name).join(', ')}`);
  (phases['total (library)'] ??= []).push(performance.now() - started);
  (phases['environment start'] ??= []).push(result.environmentStartMs);
  for (const scenario of result.scenarios) (phases[`  ${scenario.name}`] ??= []).push(scenario.durationMs);
  (phases['all seven scenarios'] ??= []).push(result.scenarios.reduce((sum, x) => sum + x.durationMs, 0));
  (phases['environment stop'] ??= []).push(result.environmentStopMs);
}
for (const [phase, values] of Object.entries(phases)) console.log(`${phase.padEnd(26)} median ${s(median(values))}`);
console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
process.exit(0);
