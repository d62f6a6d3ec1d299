/**
 * `accord gate` speed: the gate's wall time per step, the CPU of the gate process itself per step
 * and outside every step (what the gate adds over the steps it runs), and, with --alone, each
 * step's own command run by itself for comparison (those include their own process start and,
 * for schema/verify/scenarios/load, their own environment start and stop). Goal: the smoke gate
 * <= 90 s on a 2-core machine, no step slower inside the gate than alone.
 * Run: npx tsx scripts/bench-gate.ts [--profile smoke] [--alone] [--runs N]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { AcceptanceReport } from '../src/report/model.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const profile = option('--profile', 'smoke');
const runs = Number(option('--runs', '1'));
const alone = args.includes('--alone');
const accord = (argv: readonly string[]) => execa('node', ['bin/accord.js', ...argv], { reject: false, env: { CI: 'true' }, all: true });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
const dir = await mkdtemp(join(tmpdir(), 'accord-bench-gate-'));
try {
  const inGate = new Map<string, number[]>();
  for (let run = 1; run <= runs; run++) {
    const reportDir = join(dir, `run-${run}`);
    const started = performance.now();
    const result = await accord(['gate', '--profile', profile, '--format', 'json', '--report-dir', reportDir]);
    const wall = performance.now() - started;
    const report = JSON.parse(await readFile(join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
    const stepCpu = report.steps.reduce((sum, step) => sum + Number(step.details?.gateCpuMs ?? 0), 0);
    const gateCpu = Number(report.environment.gateCpuMs ?? 0);
    console.log(`\nrun ${run}: exit ${result.exitCode}, wall ${seconds(wall)} (CLI start to exit), gate ${seconds(report.durationMs)}; load average now ${loadavg()[0]?.toFixed(2)}`);
    console.log('step               status  wall      gate-process CPU');
    for (const step of report.steps) {
      console.log(`${step.id.padEnd(18)} ${step.status.padEnd(6)}  ${seconds(step.durationMs).padStart(7)}   ${String(step.details?.gateCpuMs ?? 0).padStart(6)} ms`);
      inGate.set(step.id, [...(inGate.get(step.id) ?? []), step.durationMs]);
    }
    console.log(`gate process CPU: ${gateCpu} ms in all, ${stepCpu} ms inside steps, ${gateCpu - stepCpu} ms added by the gate itself (config, scope, checklist, reports)`);
    const attempts = report.steps.find((step) => step.id === 'load')?.details?.attempts as { status: string; p99Ms?: number; noise: { loadAverage: number; stealPercent: number }; late: number }[] | undefined;
    for (const [index, attempt] of (attempts ?? []).entries()) {
      console.log(`load pass ${index + 1}: ${attempt.status}, p99 ${attempt.p99Ms?.toFixed(1)} ms, load average ${attempt.noise.loadAverage}, steal ${attempt.noise.stealPercent}%, ${attempt.late} late arrivals`);
    }
  }
  if (alone) {
    console.log('\nalone (each command by itself; environment steps include their own start/stop):');
    const commands: [string, string[]][] = [
      ['contract-lint', ['contract', 'lint']],
      ['contract-diff', ['contract', 'diff', 'git:HEAD', 'contracts/service-a-to-b.yaml']],
      ['pacts-vs-contract', ['contract', 'check-pacts']],
      ['schema', ['schema', 'diff']],
      ['verify', ['verify']],
      ['scenarios', ['scenarios']],
      ['load', ['load', '--profile', profile, '--report-dir', join(dir, 'load-alone')]],
    ];
    for (const [id, argv] of commands) {
      const started = performance.now();
      const result = await accord(argv);
      const wall = performance.now() - started;
      const gate = inGate.get(id) ?? [];
      console.log(`${id.padEnd(18)} alone ${seconds(wall).padStart(7)} (exit ${result.exitCode})   in the gate ${gate.map(seconds).join(', ')}`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
