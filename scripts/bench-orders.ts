/**
 * Benchmarks POST /orders through A → B → Postgres (issue 2): a steady 500 requests/s for 30 s
 * (after a 5 s ramp), open model, latency from each request's scheduled start; prints p50/p95/p99.
 * Goal p99 ≤ 25 ms (the seed's limit is 1000 ms). Uses the load engineer's generator (src/load).
 * Also prints the CPU time each part spent per completed request (from /proc), which says how many
 * requests per second two cores can carry whatever else runs on the machine.
 * Run: npx tsx scripts/bench-orders.ts [rate] [seconds] [service log level, default: the config's]
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { startEnvironment } from '../src/env/index.js';
import { DEFAULT_BASELINE_POLICY, DEFAULT_LIMITS, DEFAULT_THRESHOLDS, PROFILE_DEFAULTS, runLoad } from '../src/load/index.js';
import type { LoadProfile } from '../src/load/index.js';

const RATE = Number(process.argv[2] ?? 500);
const SECONDS = Number(process.argv[3] ?? 30);
const LOG_LEVEL = process.argv[4];
const SKUS = Array.from({ length: 8 }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);

const profile: LoadProfile = {
  ...PROFILE_DEFAULTS,
  name: 'bench-orders',
  description: `POST /orders at ${RATE}/s for ${SECONDS} s`,
  source: 'scripts/bench-orders.ts',
  startRate: 50,
  stages: [
    { name: 'ramp-up', durationMs: 5_000, target: RATE },
    { name: 'sustain', durationMs: SECONDS * 1000, target: RATE },
  ],
  mix: [{ name: 'POST /orders', weight: 1, method: 'POST', path: '/orders', headers: {}, body: { sku: '{{sku}}', quantity: 1 }, expect: [200], capture: {} }],
  seedSql: undefined,
  data: { sku: SKUS },
  thresholds: { ...DEFAULT_THRESHOLDS, stage: 'sustain', p99Ms: 25 },
  limits: DEFAULT_LIMITS,
  baseline: DEFAULT_BASELINE_POLICY,
};

/** CPU time (user + system, ms) of `pid`, plus its children when `withChildren` (Postgres backends). */
async function cpuMs(pid: number | undefined, withChildren = false): Promise<number> {
  if (pid === undefined) return 0;
  const ticks = async (id: string) => {
    const fields = (await readFile(`/proc/${id}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
    return { ppid: Number(fields[1]), cpu: Number(fields[11] ?? 0) + Number(fields[12] ?? 0) };
  };
  let total = (await ticks(String(pid))).cpu;
  if (withChildren) {
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await ticks(entry);
      if (stat.ppid === pid) total += stat.cpu;
    }
  }
  return total * 10; // USER_HZ is 100 on Linux
}

console.log(`bench-orders: ${RATE} req/s for ${SECONDS} s, service log level ${LOG_LEVEL ?? 'as configured'}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
const logDir = await mkdtemp(join(tmpdir(), 'accord-bench-logs-'));
const loaded = await loadConfig('config/integration', { env: {} });
// A log level given on the command line replaces the services' own (to price per-request logging).
const config = LOG_LEVEL
  ? { ...loaded, environment: { ...loaded.environment, services: new Map([...loaded.environment.services].map(([name, service]) => [name, { ...service, env: { ...service.env, LOG_LEVEL } }])) } }
  : loaded;
const environment = await startEnvironment(config, { freePorts: true, logDir });
try {
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  // Stock that never runs out during the run.
  await db.query(`INSERT INTO items (sku, name, stock, price_cents) SELECT sku, 'Bench item', 100000000, 1000 FROM unnest($1::text[]) AS sku`, [SKUS]);
  await db.end();

  const parts = {
    'service-a': () => cpuMs(environment.service('service-a').pid),
    'service-b': () => cpuMs(environment.service('service-b').pid),
    postgres: () => cpuMs(environment.postgres.pid, true),
    redis: () => cpuMs(environment.redis.pid),
    // The generator and the environment's log capture share this process.
    'generator + log capture': async () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
  };
  const before = Object.fromEntries(await Promise.all(Object.entries(parts).map(async ([name, read]) => [name, await read()] as const)));
  const result = await runLoad({ profile, target: environment.service('service-a').url });
  const completed = result.total.completed || 1;
  const perRequest = await Promise.all(Object.entries(parts).map(async ([name, read]) => `${name} ${((await read()) - (before[name] ?? 0)) / completed}`.replace(/(\d+\.\d{2})\d+/, '$1')));
  console.log(`CPU ms per completed request: ${perRequest.join(', ')}`);
  for (const stage of result.stages) {
    const l = stage.latency;
    console.log(
      `${stage.name.padEnd(8)} achieved ${stage.achievedRate.toFixed(1)}/s of ${stage.targetRate}/s, ${stage.completed} completed, ${stage.errors} errors, ${stage.dropped} dropped, ${stage.late} late; ` +
        `p50 ${l.p50Ms.toFixed(2)} ms, p95 ${l.p95Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, max ${l.maxMs.toFixed(2)} ms`,
    );
  }
  const sustain = result.stages.find((stage) => stage.name === 'sustain');
  if (sustain) {
    const verdict = sustain.latency.p99Ms <= 25 ? 'meets' : 'misses';
    console.log(`sustain p99 ${sustain.latency.p99Ms.toFixed(2)} ms ${verdict} the goal of 25 ms; statuses ${JSON.stringify(sustain.statuses)}`);
  }
} finally {
  await environment.stop();
  await rm(logDir, { recursive: true, force: true });
}
