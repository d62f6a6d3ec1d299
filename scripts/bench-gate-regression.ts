/**
 * Does the gate's load verdict survive noise and still catch a slower build? Runs `accord gate`
 * (`--only load`, or the whole gate for the as-built rows with --full) N times per variant,
 * variants alternating, and prints each run's verdict, its A/B verdict against the baseline build
 * (the merge base with main, measured beside it in alternating rounds) with the ratios of the
 * median and of B's CPU per request, the rounds used, the load step's and the rounds' wall time,
 * and the machine's load. Every gate runs with --free-ports (the baseline build's services always
 * do), so a sitting never collides with the example's fixed ports or a neighbour's test. Service B is slowed through a temp copy of the config (read only by B,
 * set only here), so the candidate differs from the baseline build only by the slowdown.
 * Run: npx tsx scripts/bench-gate-regression.ts [--runs 10] [--variants as-built,cpu,sleep,slight]
 *        [--noise 1] [--profile smoke] [--full] [--baseline-ref REF|none]
 *   as-built  nothing changed: must pass (within the band, or inconclusive: never a regression)
 *   cpu       B burns 0.25 ms more CPU per request (BENCH_SLOWDOWN_CPU_MS): about 30 % of B's own CPU
 *   sleep     B sleeps 3 ms more per request (BENCH_SLOWDOWN_MS)
 *   slight    B burns 0.04 ms more CPU per request: about 5 % (must not be called an improvement)
 *   recorded  as built, against the recorded baseline file (--baseline-ref none): the old load step,
 *             one pass, whose wall time the A/B step is weighed against (not in the default list)
 *   --noise N keeps N CPUs busy with scripts/noise.mjs for the whole sitting
 *   --full    the as-built runs are the whole `accord gate` (every step), not only its load step
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { AcceptanceReport } from '../src/report/model.js';

// The example's own root, wherever this is started from: its config is what the variants patch.
process.chdir(fileURLToPath(new URL('../examples/orders', import.meta.url)));
const ACCORD = fileURLToPath(new URL('../bin/accord.js', import.meta.url));
const NOISE = fileURLToPath(new URL('noise.mjs', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const runs = Number(option('--runs', '10'));
const profile = option('--profile', 'smoke');
const full = args.includes('--full');
const noiseCpus = Number(option('--noise', '0'));
const baselineRef = option('--baseline-ref', '');

const VARIANTS = {
  'as-built': undefined,
  cpu: { BENCH_SLOWDOWN_CPU_MS: '0.25' },
  sleep: { BENCH_SLOWDOWN_MS: '3' },
  slight: { BENCH_SLOWDOWN_CPU_MS: '0.04' },
  recorded: undefined,
} as const;
type Variant = keyof typeof VARIANTS;
const variants = option('--variants', 'as-built,cpu,sleep,slight').split(',') as Variant[];
for (const variant of variants) if (!(variant in VARIANTS)) throw new Error(`unknown variant ${variant} (expected ${Object.keys(VARIANTS).join(', ')})`);

interface Measure {
  id: string;
  ratio: number;
  low: number;
  high: number;
  outcome: string;
}
interface LoadDetails {
  ab?: { verdict: { outcome: string; rounds: number; measures: Measure[] }; wallMs: number; rounds: { loadAverage: number }[] };
  /** The whole A/B sitting: the baseline's start, both warm-up rounds and the pairs. */
  sittingMs?: number;
  sittingPhases?: { buildMs: number; startMs: number; warmMs: number };
  attempts?: { p50Ms?: number; noise: { loadAverage: number; busyPercent: number } }[];
}

async function configFor(dir: string, variant: Variant): Promise<string> {
  const env = VARIANTS[variant];
  if (!env) return 'config/integration';
  const copy = join(dir, `config-${variant}`);
  await execa('mkdir', ['-p', copy]);
  for (const file of await readdir('config/integration')) await copyFile(join('config/integration', file), join(copy, file));
  const environment = await readFile(join(copy, 'environment.yaml'), 'utf8');
  const lines = Object.entries(env).map(([key, value]) => `      ${key}: "${value}"\n`).join('');
  const slowed = environment.replace(/(\n {2}service-b:\n(?:.*\n)*? {4}env:\n)/, `$1${lines}`);
  if (slowed === environment) throw new Error('could not find service-b env in environment.yaml');
  await writeFile(join(copy, 'environment.yaml'), slowed);
  return copy;
}

const dir = await mkdtemp(join(tmpdir(), 'accord-bench-regression-'));
const noise = noiseCpus > 0 ? execa('node', [NOISE, '--cpus', String(noiseCpus)], { reject: false }) : undefined;
try {
  const configs = Object.fromEntries(await Promise.all(variants.map(async (variant) => [variant, await configFor(dir, variant)] as const)));
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}; profile ${profile}; noise: ${noiseCpus > 0 ? `${noiseCpus} CPU(s) kept busy by scripts/noise.mjs` : 'none'}; ${runs} run(s) of ${variants.join(', ')}`);
  const tally = new Map<Variant, { passed: number; outcomes: Record<string, number>; stepSeconds: number[]; abSeconds: number[] }>();
  // Alternated, so that a machine growing busier or quieter during the sitting weighs on every variant alike.
  for (let run = 1; run <= runs; run++) {
    for (const variant of variants) {
      const reportDir = join(dir, `${variant}-${run}`);
      const only = variant === 'as-built' && full ? [] : ['--only', 'load'];
      const ref = variant === 'recorded' ? ['--baseline-ref', 'none'] : baselineRef ? ['--baseline-ref', baselineRef] : [];
      const result = await execa('node', [ACCORD, 'gate', '--free-ports', '--config', configs[variant] as string, ...only, ...ref, '--profile', profile, '--format', 'json', '--report-dir', reportDir], { reject: false, env: { CI: 'true' } });
      const report = JSON.parse(await readFile(join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
      const load = report.steps.find((step) => step.id === 'load');
      const details = (load?.details ?? {}) as LoadDetails;
      const verdict = details.ab?.verdict;
      const entry = tally.get(variant) ?? { passed: 0, outcomes: {}, stepSeconds: [], abSeconds: [] };
      if (result.exitCode === 0) entry.passed += 1;
      const outcome = verdict?.outcome ?? 'no A/B';
      entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
      if (load) entry.stepSeconds.push(load.durationMs / 1000);
      if (details.ab) entry.abSeconds.push(details.ab.wallMs / 1000);
      tally.set(variant, entry);
      const shown = (id: string) => {
        const measure = verdict?.measures.find((m) => m.id === id);
        return measure ? `${id} ${measure.ratio.toFixed(2)} [${measure.low.toFixed(2)}, ${measure.high.toFixed(2)}] ${measure.outcome}` : `${id} n/a`;
      };
      const failed = report.steps.flatMap((step) => step.checks.filter((check) => check.status === 'fail').map((check) => (step.id === 'load' ? check.id : `${step.id}/${check.id}`)));
      const s = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
      const loads = details.ab?.rounds.map((round) => round.loadAverage) ?? [];
      console.log(
        `${variant.padEnd(8)} run ${String(run).padStart(2)}: ${result.exitCode === 0 ? 'PASS' : 'FAIL'}${only.length === 0 ? ` (whole gate, ${(report.durationMs / 1000).toFixed(1)} s)` : ''}; A/B ${outcome} after ${verdict?.rounds ?? 0} pairs: ${shown('round.p50')}; ${shown('cpu.service-b')}; load step ${((load?.durationMs ?? 0) / 1000).toFixed(1)} s (sitting ${((details.sittingMs ?? 0) / 1000).toFixed(1)} s: build ${s(details.sittingPhases?.buildMs)}, baseline start ${s(details.sittingPhases?.startMs)}, its warm-up ${s(details.sittingPhases?.warmMs)}, pairs ${((details.ab?.wallMs ?? 0) / 1000).toFixed(1)} s); load average ${loads.length > 0 ? `${Math.min(...loads)}–${Math.max(...loads)}` : loadavg()[0]?.toFixed(2)}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log('');
  for (const [variant, entry] of tally) {
    const outcomes = Object.entries(entry.outcomes).map(([name, count]) => `${name} ${count}`).join(', ');
    console.log(`${variant.padEnd(8)}: ${entry.passed}/${runs} gates passed; A/B verdicts: ${outcomes}; load step median ${median(entry.stepSeconds).toFixed(1)} s, of which rounds ${median(entry.abSeconds).toFixed(1)} s`);
  }
} finally {
  noise?.kill('SIGTERM');
  await noise;
  await rm(dir, { recursive: true, force: true });
}
