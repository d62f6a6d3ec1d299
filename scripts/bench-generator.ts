/**
 * Benchmarks Accord's open-model load generator (issue 7) against wrk (Debian package) and
 * autocannon (devDependency), in the same run, against a minimal node:http server in its own
 * process:
 *   1. maximum rate: 50 connections for DURATION s each, wrk -t1 -c50, autocannon -c50 and Accord
 *      (an arrival rate far above capacity with 50 requests in flight at most), interleaved, REPS times;
 *      goals: Accord ≥ 0.8× wrk and ≥ 1.0× autocannon;
 *   2. rate accuracy: Accord at a constant 500, 2000 and 5000 requests/s for DURATION s;
 *      goal: arrivals issued within ±1 % of the target; sent (issued minus those dropped at the
 *      in-flight cap when the server falls behind), completions and generator CPU shown;
 *   3. coordinated omission: a server that stalls 200 ms every 2 s, p99 seen by Accord at 500/s,
 *      wrk -c50 and autocannon -c50.
 * Run: npx tsx scripts/bench-generator.ts [durationSeconds=10] [reps=3]
 * Every server is on 127.0.0.1 and is stopped by its pid; every loop is bounded.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { arrivalSchedule, createLoadRecorder, createRequestMix, runOpenModel } from '../src/load/index.js';
import type { RequestTemplate, Stage } from '../src/load/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const DURATION = Number(process.argv[2] ?? 10);
const REPS = Number(process.argv[3] ?? 3);
const SERVER = resolve(ROOT, 'test/fixtures/load/server.mjs');
const AUTOCANNON = resolve(ROOT, 'node_modules/autocannon/autocannon.js');
const GET: RequestTemplate = { name: 'GET /', weight: 1, method: 'GET', path: '/', headers: {}, body: undefined, expect: [], capture: {} };

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(args: string[] = []): Promise<Server> {
  const child = execa(process.execPath, [SERVER, '--lifetime', '600', ...args], { reject: false, stdin: 'ignore' });
  const port = await new Promise<number>((done, fail) => {
    child.stdout?.once('data', (chunk: Buffer) => done((JSON.parse(chunk.toString().split('\n')[0] ?? '{}') as { port: number }).port));
    void child.then(() => fail(new Error('the benchmark server exited early')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}

async function wrk(url: string, seconds: number): Promise<{ rps: number; p99Ms: number }> {
  const run = await execa('wrk', ['-t1', '-c50', `-d${seconds}s`, '--latency', `${url}/`]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1] ?? 0);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)$/m.exec(run.stdout);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : 0;
  return { rps, p99Ms };
}

async function autocannon(url: string, seconds: number): Promise<{ rps: number; p99Ms: number }> {
  const run = await execa(process.execPath, [AUTOCANNON, '-c', '50', '-d', String(seconds), '-j', `${url}/`]);
  const json = JSON.parse(run.stdout) as { requests: { average: number }; latency: { p99: number } };
  return { rps: json.requests.average, p99Ms: json.latency.p99 };
}

interface AccordRun {
  /** Arrivals the scheduler issued per second: sent, plus dropped at the in-flight cap. */
  issuedRate: number;
  sentRate: number;
  completedRate: number;
  p50Ms: number;
  p99Ms: number;
  uncorrectedP99Ms: number;
  cpuPercent: number;
  dropped: number;
  late: number;
}

async function accord(url: string, rate: number, seconds: number, maxInFlight: number): Promise<AccordRun> {
  const stages: Stage[] = [{ name: 'sustain', durationMs: seconds * 1000, target: rate }];
  const schedule = arrivalSchedule(stages, rate);
  const recorder = createLoadRecorder(stages, schedule);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await runOpenModel({ baseUrl: url, schedule, mix: createRequestMix([GET]), recorder, connections: 50, maxInFlight });
  const wallSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const sustain = recorder.stages()[0];
  return {
    issuedRate: ((sustain?.sent ?? 0) + (sustain?.dropped ?? 0)) / seconds,
    sentRate: (sustain?.sent ?? 0) / seconds,
    completedRate: sustain?.achievedRate ?? 0,
    p50Ms: sustain?.latency.p50Ms ?? 0,
    p99Ms: sustain?.latency.p99Ms ?? 0,
    uncorrectedP99Ms: sustain?.uncorrected.p99Ms ?? 0,
    cpuPercent: ((used.user + used.system) / 1e6 / wallSeconds) * 100,
    dropped: sustain?.dropped ?? 0,
    late: sustain?.late ?? 0,
  };
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`bench-generator: ${DURATION} s per measurement, ${REPS} rep(s), load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
const { stdout: wrkVersion } = await execa('wrk', ['--version'], { reject: false });
console.log(`tools: ${wrkVersion.split('\n')[0]?.trim()}, autocannon ${(await import('../node_modules/autocannon/package.json', { with: { type: 'json' } })).default.version}`);

console.log('\n1. maximum rate against node:http (50 connections; fresh server per rep, 2 s wrk warm-up)');
const ratios = { wrk: [] as number[], autocannon: [] as number[] };
for (let rep = 1; rep <= REPS; rep++) {
  const server = await startServer();
  try {
    await wrk(server.url, 2);
    const w = await wrk(server.url, DURATION);
    const a = await autocannon(server.url, DURATION);
    // An arrival rate far above what the server can do, capped at 50 in flight like 50 connections.
    const g = await accord(server.url, 60_000, DURATION, 50);
    ratios.wrk.push(g.completedRate / w.rps);
    ratios.autocannon.push(g.completedRate / a.rps);
    console.log(
      `  rep ${rep}: wrk ${fixed(w.rps)} req/s (p99 ${fixed(w.p99Ms, 2)} ms) | autocannon ${fixed(a.rps)} req/s (p99 ${a.p99Ms} ms) | accord ${fixed(g.completedRate)} req/s (uncorrected p99 ${fixed(g.uncorrectedP99Ms, 2)} ms, generator CPU ${fixed(g.cpuPercent)} %)` +
        `  → accord/wrk ${fixed(g.completedRate / w.rps, 2)}, accord/autocannon ${fixed(g.completedRate / a.rps, 2)}`,
    );
  } finally {
    await server.stop();
  }
}
console.log(`  median accord/wrk ${fixed(median(ratios.wrk), 2)} [goal ≥ 0.8], accord/autocannon ${fixed(median(ratios.autocannon), 2)} [goal ≥ 1.0]`);

console.log('\n2. rate accuracy: constant arrival rate, open model (in-flight cap 2000)');
{
  const server = await startServer();
  try {
    await wrk(server.url, 2);
    for (const rate of [500, 2000, 5000]) {
      const g = await accord(server.url, rate, DURATION, 2000);
      const error = ((g.issuedRate - rate) / rate) * 100;
      console.log(
        `  ${String(rate).padStart(4)}/s: issued ${fixed(g.issuedRate, 1)}/s (${error >= 0 ? '+' : ''}${fixed(error, 2)} %) [goal ±1 %], sent ${fixed(g.sentRate, 1)}/s, completed in window ${fixed(g.completedRate, 1)}/s, ` +
          `p50 ${fixed(g.p50Ms, 2)} ms, p99 ${fixed(g.p99Ms, 2)} ms (uncorrected ${fixed(g.uncorrectedP99Ms, 2)}), late ${g.late}, dropped ${g.dropped}, generator CPU ${fixed(g.cpuPercent)} % of a core`,
      );
    }
  } finally {
    await server.stop();
  }
}

console.log('\n3. coordinated omission: server stalls its event loop 200 ms every 2 s');
{
  const server = await startServer(['--stall', '200', '--every', '2000']);
  try {
    const g = await accord(server.url, 500, DURATION, 2000);
    const w = await wrk(server.url, DURATION);
    const a = await autocannon(server.url, DURATION);
    console.log(`  accord open model 500/s: p50 ${fixed(g.p50Ms, 2)} ms, p99 ${fixed(g.p99Ms, 1)} ms (from the send instead of the schedule: p99 ${fixed(g.uncorrectedP99Ms, 1)} ms)`);
    console.log(`  wrk -t1 -c50 (closed, corrected after the fact): ${fixed(w.rps)} req/s, p99 ${fixed(w.p99Ms, 1)} ms`);
    console.log(`  autocannon -c50 (closed): ${fixed(a.rps)} req/s, p99 ${a.p99Ms} ms`);
  } finally {
    await server.stop();
  }
}
