/**
 * Benchmarks the example chain Service A → Service B → PostgreSQL, with A's payment step through
 * the payments stub (authorize per order, void per cancel), under Accord's open-model
 * generator (issue 7): the highest arrival rate it sustains with p99 ≤ 100 ms (goal ≥ 2000/s on
 * this 2-core machine; the seed asks for 500/s) and p99 at 500/s (goal ≤ 25 ms). The stub's CPU
 * per vendor request is its CPU over the step divided by the exchanges it recorded in it.
 * It starts the environment once (free ports), seeds the load profile's rows, then runs steps of
 * STEP seconds at constant rates from 100/s up (after a 2 s ramp that is not measured), stopping
 * at the first step that misses p99 ≤ 100 ms, 99 % of the rate or 0.1 % errors twice in a row (a
 * missed step is repeated once; after a step at 500/s if it has not run yet, for the p99 at 500/s). Each step prints latency and
 * the CPU of every process, and where a request's time goes according to the services' own logs
 * (A's time in its handler, its calls to B, B's database queries).
 * Run: npx tsx scripts/bench-chain.ts [stepSeconds=10] [--cpu-prof] [--log-level LEVEL]
 *   --cpu-prof     also run each service under node --cpu-prof and print its hottest functions
 *   --log-level    the services' LOG_LEVEL (default: as configured, info)
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import type { ResolvedConfig } from '../src/config/index.js';
import { startEnvironment } from '../src/env/index.js';
import { environmentResources, loadProfile, runLoad } from '../src/load/index.js';
import type { LoadProfile, LoadResult } from '../src/load/index.js';
import pg from 'pg';

const args = process.argv.slice(2);
const STEP = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
const CPU_PROF = args.includes('--cpu-prof');
const LOG_LEVEL = args.includes('--log-level') ? args[args.indexOf('--log-level') + 1] : undefined;
const RATES = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 2000, 2500, 3000];
const P99_LIMIT_MS = 100;

function withOverrides(config: ResolvedConfig, profDir: string): ResolvedConfig {
  const services = new Map(
    [...config.environment.services].map(([name, service]) => {
      const command = CPU_PROF && service.command[0] === 'node' ? ['node', '--cpu-prof', '--cpu-prof-dir', join(profDir, name), ...service.command.slice(1)] : service.command;
      return [name, { ...service, command, env: { ...service.env, ...(LOG_LEVEL ? { LOG_LEVEL } : {}) } }] as const;
    }),
  );
  return { ...config, environment: { ...config.environment, services } };
}

/** Durations logged by the services (each `logFile` of the environment: a run writes its own folder) for requests that started inside [from, to). */
async function timeBreakdown(logFiles: ReadonlyMap<string, string>, from: number, to: number): Promise<string> {
  const read = async (service: string) =>
    (await readFile(logFiles.get(service) ?? '', 'utf8').catch(() => ''))
      .split('\n')
      .flatMap((line) => {
        try {
          const entry = JSON.parse(line) as { time?: string; event?: string; durationMs?: number; url?: string; method?: string };
          const at = Date.parse(entry.time ?? '');
          return at >= from && at < to && typeof entry.durationMs === 'number' ? [entry] : [];
        } catch {
          return [];
        }
      });
  const [a, b] = await Promise.all([read('service-a'), read('service-b')]);
  const stats = (values: number[]) => {
    if (values.length === 0) return 'n/a';
    const sorted = [...values].sort((x, y) => x - y);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]?.toFixed(2);
    return `mean ${(values.reduce((s, v) => s + v, 0) / values.length).toFixed(2)} p50 ${at(0.5)} p99 ${at(0.99)} ms (n=${values.length})`;
  };
  const pick = (entries: typeof a, event: string) => entries.filter((entry) => entry.event === event).map((entry) => entry.durationMs as number);
  return [
    `    A handler (http.response): ${stats(pick(a, 'http.response'))}`,
    `    A → B call (b.call):       ${stats(pick(a, 'b.call'))}`,
    `    A → vendor (payments.call): ${stats(pick(a, 'payments.call'))}`,
    `    B handler (http.response): ${stats(pick(b, 'http.response'))}`,
    `    B db.query:                ${stats(pick(b, 'db.query'))}`,
  ].join('\n');
}

/** The payments stub's recording (its command's --record file), or undefined when it records none. */
function stubRecording(config: ResolvedConfig): string | undefined {
  const command = config.environment.services.get('payments-stub')?.command ?? [];
  const index = command.indexOf('--record');
  const file = index >= 0 ? command[index + 1] : undefined;
  return file === undefined ? undefined : join(config.root, file);
}

/** Exchanges the stub recorded whose time falls inside [from, to). */
async function stubExchanges(file: string | undefined, from: number, to: number): Promise<number> {
  if (file === undefined) return 0;
  const text = await readFile(file, 'utf8').catch(() => '');
  let count = 0;
  for (const match of text.matchAll(/^\{"time":"([^"]+)"/gm)) {
    const at = Date.parse(match[1] ?? '');
    if (at >= from && at < to) count += 1;
  }
  return count;
}

async function hottest(profDir: string): Promise<void> {
  for (const service of await readdir(profDir).catch(() => [] as string[])) {
    const dir = join(profDir, service);
    const files = await readdir(dir).catch(() => [] as string[]);
    const sized = await Promise.all(files.map(async (file) => ({ file, size: (await stat(join(dir, file))).size })));
    const largest = sized.sort((x, y) => y.size - x.size)[0];
    if (!largest) continue;
    const profile = JSON.parse(await readFile(join(dir, largest.file), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, index) => {
      const frame = byId.get(id)?.callFrame;
      const delta = profile.timeDeltas[index] ?? 0;
      total += delta;
      if (!frame) return;
      const where = frame.url ? frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(consumers|providers)\//, '$1/') : '';
      const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
      self.set(key, (self.get(key) ?? 0) + delta);
    });
    const busy = total - (self.get('(idle) ') ?? 0);
    console.log(`  ${service}: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s; hottest self time:`);
    for (const [key, time] of [...self].filter(([key]) => !key.startsWith('(idle)')).sort((x, y) => y[1] - x[1]).slice(0, 12)) {
      console.log(`    ${((time / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
    }
  }
}

const profDir = join(tmpdir(), `accord-bench-chain-${process.pid}`);
const config = withOverrides(await loadConfig(), profDir);
const smoke = await loadProfile('smoke');
console.log(
  `bench-chain: ${STEP} s per step after a 2 s ramp, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}, services LOG_LEVEL ${LOG_LEVEL ?? 'as configured'}${CPU_PROF ? ', --cpu-prof' : ''}`,
);
const environment = await startEnvironment(config, { freePorts: true });
const recording = stubRecording(config);
let best = 0;
let p99At500: number | undefined;
try {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  await client.query(smoke.seedSql ?? '');
  await client.end();
  const target = environment.service('service-a').url;
  /** Runs one step at `rate`; prints what it saw and returns the sustain stage's verdict and p99. */
  const step = async (rate: number, label: string): Promise<{ sustained: boolean; p99Ms: number } | undefined> => {
    const profile: LoadProfile = {
      ...smoke,
      name: `bench-${rate}`,
      stages: [
        { name: 'ramp-up', durationMs: 2000, target: rate },
        { name: 'sustain', durationMs: STEP * 1000, target: rate },
      ],
      thresholds: { ...smoke.thresholds, p99Ms: P99_LIMIT_MS, targetRate: rate },
    };
    const from = Date.now() + 2000;
    const result: LoadResult = await runLoad({ profile, target, resources: environmentResources(environment) });
    const sustain = result.stages.find((stage) => stage.name === 'sustain');
    if (!sustain) return undefined;
    const cpu = result.resources.summaries.map((s) => `${s.name} ${s.cpuCoreMeanPercent.toFixed(0)}%`).join(', ');
    const machine = result.resources.recording.machine.filter((m) => m.t > 2.5);
    const machineCpu = machine.reduce((sum, m) => sum + m.cpuPercent, 0) / Math.max(1, machine.length);
    console.log(
      `${String(rate).padStart(5)}/s${label}: achieved ${sustain.achievedRate.toFixed(1)}/s, p50 ${sustain.latency.p50Ms.toFixed(2)} ms, p95 ${sustain.latency.p95Ms.toFixed(2)} ms, ` +
        `p99 ${sustain.latency.p99Ms.toFixed(2)} ms (from the send: ${sustain.uncorrected.p99Ms.toFixed(2)}), errors ${sustain.errors}, dropped ${sustain.dropped}, late ${sustain.late}`,
    );
    console.log(`    CPU (mean over the step, % of one core): ${cpu}; whole machine ${machineCpu.toFixed(0)}% of ${result.resources.cpus} cores`);
    // The recording is appended every 50 ms: wait for the step's last lines.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const vendorRequests = await stubExchanges(recording, from, from + STEP * 1000);
    const stubCpu = result.resources.summaries.find((summary) => summary.name === 'payments-stub')?.cpuCoreMeanPercent;
    if (stubCpu !== undefined && vendorRequests > 0) {
      console.log(`    payments-stub: ${vendorRequests} vendor requests (${(vendorRequests / STEP).toFixed(0)}/s), ${((stubCpu / 100) * STEP * 1000 / vendorRequests).toFixed(3)} ms CPU per request`);
    }
    console.log(await timeBreakdown(new Map([...environment.services].map(([name, service]) => [name, service.logFile])), from, from + STEP * 1000));
    const sustained = sustain.latency.p99Ms <= P99_LIMIT_MS && sustain.achievedRate >= rate * 0.99 && sustain.errorRate <= 0.001;
    return { sustained, p99Ms: sustain.latency.p99Ms };
  };
  let failed = false;
  for (const rate of RATES) {
    if (failed && (p99At500 !== undefined || rate !== 500)) continue;
    let outcome = await step(rate, '');
    // One stall of this shared machine (seen: a whole-machine pause of ~200 ms) can sink a 10 s
    // step; a missed step runs once more and the rate counts only if that repeat passes. Both print.
    if (outcome && !outcome.sustained && !failed) outcome = await step(rate, ' (repeat)');
    if (!outcome) break;
    if (rate === 500) p99At500 = outcome.p99Ms;
    if (!outcome.sustained) failed = true;
    else if (!failed) best = rate;
    if (failed && p99At500 !== undefined) break;
  }
} finally {
  await environment.stop();
}
console.log(`highest rate sustained with p99 ≤ ${P99_LIMIT_MS} ms: ${best > 0 ? `${best}/s` : `below ${RATES[0]}/s`} [goal ≥ 2000/s; seed 500/s]`);
console.log(`p99 at 500/s: ${p99At500 === undefined ? 'n/a' : `${p99At500.toFixed(2)} ms`} [goal ≤ 25 ms]`);
if (CPU_PROF) {
  console.log('CPU profiles (whole run):');
  await hottest(profDir);
}
await rm(profDir, { recursive: true, force: true });
