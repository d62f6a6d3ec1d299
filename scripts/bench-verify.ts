/**
 * Benchmarks `accord verify` (issue 5): the CLI on the example pacts including environment
 * start and stop (budget 10 s), provider-state setup per interaction (budget 50 ms), and the two
 * ways of starting each interaction from a clean database (TRUNCATE vs CREATE DATABASE … TEMPLATE).
 * Run: npx tsx scripts/bench-verify.ts [runs]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { migrate, startPostgres } from '../src/env/index.js';
import { runVerificationLive } from '../src/pact/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 3);

const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

console.log(`bench-verify: ${RUNS} run(s), load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);

// 1. The CLI, as a user runs it: process start to exit.
const cli: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const result = await execa('node', ['bin/accord.js', 'verify', '--format', 'json'], { cwd: ROOT, reject: false });
  cli.push(performance.now() - started);
  if (result.exitCode !== 0) throw new Error(`accord verify exited ${result.exitCode}: ${result.stderr}`);
}
console.log(`accord verify (example pacts, CLI wall clock incl. env start/stop): median ${ms(median(cli))}, max ${ms(Math.max(...cli))} [budget 10000 ms]`);
// CPU seconds of the whole process tree: what the run costs when it does not wait for a busy machine.
const timed = await execa('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time node bin/accord.js verify --format json > /dev/null'], { cwd: ROOT, reject: false });
const [real = 0, user = 0, sys = 0] = (timed.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
console.log(`  one more run under bash time: real ${real.toFixed(2)} s, user ${user.toFixed(2)} s, sys ${sys.toFixed(2)} s (CPU ${(user + sys).toFixed(2)} s on ${loadavg()[0]?.toFixed(1)} load)`);

// 2. The same through the library, for the phase breakdown and the per-interaction setup.
const phases: Record<string, number[]> = {};
const setups: number[] = [];
const outage: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const result = await runVerificationLive({ root: ROOT });
  for (const [phase, value] of Object.entries(result.timings)) (phases[phase] ??= []).push(value);
  for (const interaction of result.interactions) {
    (interaction.providerStates.includes('the inventory database is unreachable') ? outage : setups).push(interaction.stateSetupMs);
  }
}
for (const [phase, values] of Object.entries(phases)) console.log(`  ${phase.padEnd(20)} median ${ms(median(values))}`);
console.log(`provider-state setup per interaction (reset + states), ${setups.length} interactions: median ${ms(median(setups))}, p95 ${ms(percentile(setups, 95))}, max ${ms(Math.max(...setups))} [budget 50 ms]`);
console.log(`  "the inventory database is unreachable" (stops PostgreSQL): median ${ms(median(outage))}`);

// 3. Clean database per interaction: TRUNCATE the migrated tables vs clone a migrated template.
const postgres = await startPostgres({ databaseUrl: undefined });
try {
  const templateUrl = await postgres.createDatabase('bench_template');
  await migrate(templateUrl, resolve(ROOT, 'migrations'));
  const workUrl = await postgres.createDatabase('bench_work', { template: 'bench_template' });
  const client = new pg.Client({ connectionString: workUrl });
  await client.connect();
  const truncate: number[] = [];
  for (let i = 0; i < 50; i++) {
    await client.query("INSERT INTO items (sku, name, stock, price_cents) VALUES ('WIDGET-1', 'Widget', 40, 1299)");
    await client.query("INSERT INTO reservations (sku, quantity) VALUES ('WIDGET-1', 2)");
    const started = performance.now();
    await client.query('TRUNCATE TABLE public.items, public.reservations RESTART IDENTITY CASCADE');
    truncate.push(performance.now() - started);
  }
  await client.end();
  const clone: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await postgres.createDatabase(`bench_clone_${i}`, { template: 'bench_template' });
    // The provider's pool would have to be pointed at the clone: at least one new connection.
    const probe = new pg.Client({ connectionString: postgres.urlFor(`bench_clone_${i}`) });
    await probe.connect();
    await probe.end();
    clone.push(performance.now() - started);
    await postgres.dropDatabase(`bench_clone_${i}`);
  }
  console.log(`clean database: TRUNCATE median ${ms(median(truncate))} (p95 ${ms(percentile(truncate, 95))}); CREATE DATABASE … TEMPLATE + connect median ${ms(median(clone))} (p95 ${ms(percentile(clone, 95))})`);
  console.log(`  → ${median(truncate) < median(clone) ? 'TRUNCATE' : 'TEMPLATE clone'} is faster, and a clone would also need the provider re-pointed or restarted per interaction`);
} finally {
  await postgres.stop();
}
