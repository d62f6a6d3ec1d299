/**
 * Does the gate's load verdict survive noise and still catch a slower build? Runs
 * `accord gate --only load` N times as built and N times with Service B slowed down on purpose, alternating,
 * (read only by B and set only here, through a temp copy of the config), and prints each run's
 * verdict, the p50/p99 and B's CPU per request of every pass, whether the pass was repeated, the
 * machine's noise, and how much slower the slowed build really was (its median over the as-built
 * one's, in latency and in B's CPU per request).
 * Run: npx tsx scripts/bench-gate-regression.ts [--runs 10] [--slowdown-cpu-ms 0.25 | --slowdown-ms 1] [--profile smoke] [--full]
 *   --full             the as-built runs are the whole `accord gate` (every step), not only its load step
 *   --slowdown-cpu-ms  B burns this much CPU per request (BENCH_SLOWDOWN_CPU_MS): code that does
 *                      more work; 0.25 ms is about 30 % of B's own CPU per request of the smoke mix
 *   --slowdown-ms      B sleeps this long per request (BENCH_SLOWDOWN_MS): waiting, not working;
 *                      1 ms costs the chain's median about 30 % (B serves several calls of a request)
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { AcceptanceReport } from '../src/report/model.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const runs = Number(option('--runs', '10'));
const cpuSlowdown = args.includes('--slowdown-cpu-ms');
const slowdown = cpuSlowdown ? Number(option('--slowdown-cpu-ms', '0.25')) : Number(option('--slowdown-ms', '1'));
const slowdownVariable = cpuSlowdown ? 'BENCH_SLOWDOWN_CPU_MS' : 'BENCH_SLOWDOWN_MS';
const profile = option('--profile', 'smoke');
const full = args.includes('--full');

const dir = await mkdtemp(join(tmpdir(), 'accord-bench-regression-'));
try {
  const slowConfig = join(dir, 'slow-config');
  await execa('mkdir', ['-p', slowConfig]);
  for (const file of await readdir('config/integration')) await copyFile(join('config/integration', file), join(slowConfig, file));
  const environment = await readFile(join(slowConfig, 'environment.yaml'), 'utf8');
  const slowed = environment.replace(/(\n {2}service-b:\n(?:.*\n)*? {4}env:\n)/, `$1      ${slowdownVariable}: "${slowdown}"\n`);
  if (slowed === environment) throw new Error('could not find service-b env in environment.yaml');
  await writeFile(join(slowConfig, 'environment.yaml'), slowed);
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}; profile ${profile}; slowed build: B +${slowdown} ms ${cpuSlowdown ? 'of CPU' : 'of sleep'} per request`);
  const tally = { asBuilt: 0, slowedCaught: 0 };
  const medians: Record<'as built' | 'slowed', number[]> = { 'as built': [], slowed: [] };
  const costsOfB: Record<'as built' | 'slowed', number[]> = { 'as built': [], slowed: [] };
  // Alternated, so that a machine growing busier or quieter during the sitting weighs on both builds alike.
  for (let run = 1; run <= runs; run++) {
    for (const [label, config] of [['as built', 'config/integration'], ['slowed', slowConfig]] as const) {
      const reportDir = join(dir, `${label.replace(' ', '-')}-${run}`);
      const only = label === 'as built' && full ? [] : ['--only', 'load'];
      const result = await execa('node', ['bin/accord.js', 'gate', '--config', config, ...only, '--profile', profile, '--format', 'json', '--report-dir', reportDir], { reject: false, env: { CI: 'true' } });
      const report = JSON.parse(await readFile(join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
      const load = report.steps.find((step) => step.id === 'load');
      const attempts = (load?.details?.attempts ?? []) as { status: string; p50Ms?: number; p99Ms?: number; cpuMsPerRequest?: { services: Record<string, number> }; noise: { loadAverage: number; stealPercent: number; busyPercent: number }; late: number }[];
      const passed = result.exitCode === 0;
      const firstP50 = attempts[0]?.p50Ms;
      if (firstP50 !== undefined) medians[label].push(firstP50);
      const firstCostOfB = attempts[0]?.cpuMsPerRequest?.services['service-b'];
      if (firstCostOfB !== undefined) costsOfB[label].push(firstCostOfB);
      if (label === 'as built' && passed) tally.asBuilt += 1;
      if (label === 'slowed' && !passed) tally.slowedCaught += 1;
      const share = load?.checks.find((check) => check.id === 'baseline.cpu-share.service-b')?.measured;
      const failed = report.steps.flatMap((step) => step.checks.filter((check) => check.status === 'fail').map((check) => (step.id === 'load' ? check.id : `${step.id}/${check.id}`)));
      console.log(
        `${label.padEnd(8)} run ${String(run).padStart(2)}: ${passed ? 'PASS' : 'FAIL'} ${only.length === 0 ? `(whole gate, ${(report.durationMs / 1000).toFixed(1)} s) ` : ''} ${attempts.map((a, i) => `pass ${i + 1} p50 ${a.p50Ms?.toFixed(2)} ms p99 ${a.p99Ms?.toFixed(1)} ms B ${a.cpuMsPerRequest?.services['service-b']?.toFixed(3)} ms CPU/req (load ${a.noise.loadAverage}, busy ${a.noise.busyPercent}%, steal ${a.noise.stealPercent}%, late ${a.late})`).join('; ')}; B's share ${share ? `${share.actual} (allowed ${share.limit})` : 'not compared'}${failed.length > 0 ? `  failed: ${failed.join(', ')}` : ''}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const ratio = median(medians.slowed) / median(medians['as built']);
  console.log(`\nmedian p50 of the first passes: as built ${median(medians['as built']).toFixed(2)} ms, slowed ${median(medians.slowed).toFixed(2)} ms: the slowed build is ${((ratio - 1) * 100).toFixed(0)} % slower`);
  const costRatio = median(costsOfB.slowed) / median(costsOfB['as built']);
  console.log(`median CPU per request of B in the first passes: as built ${median(costsOfB['as built']).toFixed(3)} ms, slowed ${median(costsOfB.slowed).toFixed(3)} ms: ${((costRatio - 1) * 100).toFixed(0)} % more`);
  console.log(`as built: ${tally.asBuilt}/${runs} passed; slowed: ${tally.slowedCaught}/${runs} caught`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
