/**
 * Benchmarks the example services' process lifecycle (issue 2: "keep start-up fast"): for each of
 * Service B and Service A, the time from spawning `node --enable-source-maps dist/<entry>.js` (as
 * config/integration/environment.yaml does, dist/ rebuilt first when stale) to the first 200 on
 * /health, and from SIGTERM to exit. It also times `node` on an empty module, the floor no service
 * can go under. Real PostgreSQL 14 and Redis; B's database is migrated and seeded.
 * The first run of each warms the file cache and is not counted.
 * Run: npx tsx scripts/bench-services.ts [runs]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import pg from 'pg';
import { ensureBuilt } from '../test/support/build.js';
import { getFreePort, migrate, startPostgres, startRedis } from '../src/env/index.js';
import { seedItems } from '../examples/orders/services/b/test/fixtures/seed.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);
const TOKEN = 'bench-token';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const fmt = (values: number[]) => `median ${median(values).toFixed(0)} ms, min ${Math.min(...values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

async function startAndStop(entry: string, env: Record<string, string>): Promise<{ startMs: number; stopMs: number }> {
  const port = await getFreePort();
  const started = performance.now();
  const child = execa('node', ['--enable-source-maps', entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env }, extendEnv: false, reject: false, forceKillAfterDelay: false });
  const healthUrl = `http://127.0.0.1:${port}/health`;
  while (!(await fetch(healthUrl).then((r) => r.status === 200, () => false))) {
    if (child.exitCode !== null) throw new Error(`${entry} exited: ${String((await child).stderr)}`);
    await new Promise((done) => setTimeout(done, 5));
  }
  const startMs = performance.now() - started;
  const stopping = performance.now();
  child.kill('SIGTERM');
  const result = await child;
  if (result.exitCode !== 0) throw new Error(`${entry} exited ${String(result.exitCode)} on SIGTERM`);
  return { startMs, stopMs: performance.now() - stopping };
}

async function floor(): Promise<number> {
  const started = performance.now();
  await execa('node', ['--input-type=module', '-e', ''], { cwd: ROOT });
  return performance.now() - started;
}

await ensureBuilt();
const [postgres, redis] = await Promise.all([startPostgres({ databaseUrl: undefined }), startRedis({ redisUrl: undefined })]);
try {
  const databaseUrl = await postgres.createDatabase('bench_services');
  await migrate(databaseUrl, resolve(ROOT, 'migrations'));
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await seedItems(pool);
  await pool.end();
  const bEnv = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SERVICE_B_TOKEN: TOKEN };
  await startAndStop('examples/orders/dist/services/b/src/main.js', bEnv);
  // A only needs B's URL for its calls; /health does not call B.
  const aEnv = { SERVICE_B_URL: 'http://127.0.0.1:1', REDIS_URL: redis.url, SERVICE_B_TOKEN: TOKEN };
  await startAndStop('examples/orders/dist/services/a/src/main.js', aEnv);
  await floor();

  const results = { floor: [] as number[], bStart: [] as number[], bStop: [] as number[], aStart: [] as number[], aStop: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    results.floor.push(await floor());
    const b = await startAndStop('examples/orders/dist/services/b/src/main.js', bEnv);
    results.bStart.push(b.startMs);
    results.bStop.push(b.stopMs);
    const a = await startAndStop('examples/orders/dist/services/a/src/main.js', aEnv);
    results.aStart.push(a.startMs);
    results.aStop.push(a.stopMs);
  }
  console.log(`bench-services: ${RUNS} run(s), load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
  console.log(`node (empty module), the floor: ${fmt(results.floor)}`);
  console.log(`service-b spawn → /health 200: ${fmt(results.bStart)} [goal 500 ms]`);
  console.log(`service-b SIGTERM → exit 0:     ${fmt(results.bStop)}`);
  console.log(`service-a spawn → /health 200: ${fmt(results.aStart)} [goal 500 ms]`);
  console.log(`service-a SIGTERM → exit 0:     ${fmt(results.aStop)}`);
} finally {
  await Promise.all([redis.stop(), postgres.stop()]);
}
