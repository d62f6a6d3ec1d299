/**
 * Benchmarks POST /orders through A → B → Postgres (issue 2): a steady 500 requests/s for 30 s
 * (after 1000 unmeasured warm-up requests and a 10 s ramp), open model, latency from each request's scheduled start; prints p50/p95/p99.
 * Goal p99 ≤ 25 ms (the seed's limit is 1000 ms). Uses the load engineer's generator (src/load).
 * Also prints the CPU time each part spent per completed request (from /proc), which says how many
 * requests per second two cores can carry whatever else runs on the machine.
 * Run: npx tsx scripts/bench-orders.ts [rate] [seconds] [service log level, default: the config's]
 * (BENCH_NODE_ARGS=… go on the services' node command line, e.g. to profile them)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../src/config/index.js';
import { startEnvironment } from '../src/env/index.js';
import { DEFAULT_BASELINE_POLICY, DEFAULT_LIMITS, DEFAULT_THRESHOLDS, PROFILE_DEFAULTS, runLoad } from '../src/load/index.js';
import type { LoadProfile } from '../src/load/index.js';
import { CLOCK_TICKS_PER_SECOND, descendantsOf, readAllProcStats, readProcStat } from '../src/load/proc-stats.js';
import type { ProcStat } from '../src/load/proc-stats.js';

const RATE = Number(process.argv[2] ?? 500);
const SECONDS = Number(process.argv[3] ?? 30);
const LOG_LEVEL = process.argv[4];
const SKUS = Array.from({ length: 8 }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);

const profile: LoadProfile = {
  ...PROFILE_DEFAULTS,
  name: 'bench-orders',
  description: `POST /orders at ${RATE}/s for ${SECONDS} s`,
  source: 'scripts/bench-orders.ts',
  service: 'service-a',
  startRate: 50,
  // Unmeasured requests first, then a 10 s ramp: the goal is about the steady rate, not the
  // services' first seconds (JIT compilation, B's pool forking its PostgreSQL backends).
  warmupRequests: 1000,
  stages: [
    { name: 'ramp-up', durationMs: 10_000, target: RATE },
    { name: 'sustain', durationMs: SECONDS * 1000, target: RATE },
  ],
  mix: [{ name: 'POST /orders', weight: 1, method: 'POST', path: '/orders', headers: {}, body: { sku: '{{sku}}', quantity: 1 }, expect: [200], capture: {} }],
  seedSql: undefined,
  data: { sku: SKUS },
  thresholds: { ...DEFAULT_THRESHOLDS, stage: 'sustain', p99Ms: 25 },
  limits: DEFAULT_LIMITS,
  baseline: DEFAULT_BASELINE_POLICY,
};

interface Usage {
  userMs: number;
  sysMs: number;
  /** Minor page faults: on a virtualised machine each one costs a trip through the hypervisor. */
  faults: number;
}

/** CPU time (user and system, ms) and minor faults of `pid`, plus its descendants when `withChildren` (Postgres backends). */
async function usage(pid: number | undefined, withChildren = false): Promise<Usage> {
  const total: Usage = { userMs: 0, sysMs: 0, faults: 0 };
  if (pid === undefined) return total;
  const stats = withChildren ? await readAllProcStats() : [await readProcStat(pid)].filter((stat): stat is ProcStat => stat !== undefined);
  const pids = new Set(withChildren ? descendantsOf(pid, stats) : [pid]);
  const msPerTick = 1000 / CLOCK_TICKS_PER_SECOND;
  for (const stat of stats) {
    if (!pids.has(stat.pid)) continue;
    total.userMs += (stat.ownTicks - stat.systemTicks) * msPerTick;
    total.sysMs += stat.systemTicks * msPerTick;
    total.faults += stat.minorFaults;
  }
  return total;
}

console.log(`bench-orders: ${RATE} req/s for ${SECONDS} s, service log level ${LOG_LEVEL ?? 'as configured'}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
const logDir = await mkdtemp(join(tmpdir(), 'accord-bench-logs-'));
const loaded = await loadConfig(DEFAULT_CONFIG_DIR, { env: {} });
// A log level given on the command line replaces the services' own (to price per-request logging).
// BENCH_NODE_ARGS go to the services' node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where their time goes).
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const config = LOG_LEVEL || nodeArgs.length > 0
  ? {
      ...loaded,
      environment: {
        ...loaded.environment,
        services: new Map(
          [...loaded.environment.services].map(([name, service]) => {
            const [program = 'node', ...args] = service.command;
            const command = program === 'node' ? [program, ...nodeArgs, ...args] : service.command;
            return [name, { ...service, command, env: LOG_LEVEL ? { ...service.env, LOG_LEVEL } : service.env }];
          }),
        ),
      },
    }
  : loaded;
const environment = await startEnvironment(config, { freePorts: true, logDir });
try {
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  // Stock that never runs out during the run.
  await db.query(`INSERT INTO items (sku, name, stock, price_cents) SELECT sku, 'Bench item', 100000000, 1000 FROM unnest($1::text[]) AS sku`, [SKUS]);
  await db.end();

  const parts: Record<string, () => Promise<Usage>> = {
    'service-a': () => usage(environment.service('service-a').pid),
    'service-b': () => usage(environment.service('service-b').pid),
    postgres: () => usage(environment.postgres?.pid, true),
    redis: () => usage(environment.redis?.pid),
    // The generator and the environment's log capture share this process.
    'generator + log capture': async () => {
      const own = process.resourceUsage();
      return { userMs: own.userCPUTime / 1000, sysMs: own.systemCPUTime / 1000, faults: own.minorPageFault };
    },
  };
  const before = Object.fromEntries(await Promise.all(Object.entries(parts).map(async ([name, read]) => [name, await read()] as const)));
  const result = await runLoad({ profile, target: environment.service('service-a').url });
  const completed = result.total.completed || 1;
  const spent = await Promise.all(
    Object.entries(parts).map(async ([name, read]) => {
      const now = await read();
      const was = before[name] ?? { userMs: 0, sysMs: 0, faults: 0 };
      return { name, userMs: (now.userMs - was.userMs) / completed, sysMs: (now.sysMs - was.sysMs) / completed, faults: (now.faults - was.faults) / completed };
    }),
  );
  console.log(`CPU ms per completed request: ${spent.map((part) => `${part.name} ${(part.userMs + part.sysMs).toFixed(2)}`).join(', ')} (total ${spent.reduce((sum, part) => sum + part.userMs + part.sysMs, 0).toFixed(2)})`);
  console.log(`  of which in the kernel: ${spent.map((part) => `${part.name} ${part.sysMs.toFixed(2)}`).join(', ')}`);
  console.log(`  minor page faults per request: ${spent.map((part) => `${part.name} ${part.faults.toFixed(1)}`).join(', ')}`);
  for (const stage of result.stages) {
    const l = stage.latency;
    console.log(
      `${stage.name.padEnd(8)} achieved ${stage.achievedRate.toFixed(1)}/s of ${stage.targetRate}/s, ${stage.completed} completed, ${stage.errors} errors, ${stage.dropped} dropped, ${stage.late} late; ` +
        `p50 ${l.p50Ms.toFixed(2)} ms, p95 ${l.p95Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, max ${l.maxMs.toFixed(2)} ms`,
    );
  }
  // A tail made of a few bad seconds is a stall (GC, a checkpoint, the host); one spread over every
  // second is queueing: the per-second p99 says which.
  const sustainSeconds = result.series.filter((point) => point.stage === 'sustain');
  const over = sustainSeconds.filter((point) => point.p99Ms > 25);
  const worst = [...sustainSeconds].sort((a, b) => b.p99Ms - a.p99Ms).slice(0, 5);
  console.log(`per-second p99 over the sustain: ${over.length} of ${sustainSeconds.length} seconds above 25 ms; worst: ${worst.map((point) => `t=${point.t}s ${point.p99Ms.toFixed(1)} ms`).join(', ')}`);
  const sustain = result.stages.find((stage) => stage.name === 'sustain');
  if (sustain) {
    const verdict = sustain.latency.p99Ms <= 25 ? 'meets' : 'misses';
    console.log(`sustain p99 ${sustain.latency.p99Ms.toFixed(2)} ms ${verdict} the goal of 25 ms; statuses ${JSON.stringify(sustain.statuses)}`);
  }
} finally {
  await environment.stop();
  await rm(logDir, { recursive: true, force: true });
}
