/**
 * Benchmarks the message path A → Redis Stream → Service C → PostgreSQL: the highest event rate
 * that C keeps up with at lag p99 ≤ 100 ms (goal ≥ 2,000/s on this 2-core machine), and the lag
 * p99 at 500 orders/s through the whole chain (goal ≤ 25 ms).
 * It starts the environment once (free ports). Part 1 publishes events the way Service A does
 * (its own event-building code and stream fields, `XADD MAXLEN ~`) at constant rates for STEP
 * seconds, so the rate is the stream's and C's, not A's HTTP path; part 2 runs a load pass at
 * 500/s through A and reads the lag of the orders it confirmed. Lag is XADD to C's commit, from
 * C's processed_events rows (the same reading as the load pass's `events.lag.p99`); each step also
 * gives the rate C committed at, which is its capacity in the step it falls behind.
 * Run: npx tsx scripts/bench-events.ts [stepSeconds=10] [--rates=500,1000,…] (the steps, in order;
 * it stops at the first one C does not keep up with)
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildOrderEvent, toStreamFields } from '../examples/orders/services/a/src/order-events.js';
import { loadConfig } from '../src/config/index.js';
import { startEnvironment } from '../src/env/index.js';
import { environmentResources, loadProfile, runLoad } from '../src/load/index.js';
import type { LoadProfile } from '../src/load/index.js';
import { eventLagByStage, readDrainedEventLags } from '../src/load/event-lag.js';
import { withEventLag } from '../src/load/event-lag-gate.js';

const STEP = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 10);
const ratesArg = process.argv.slice(2).find((arg) => arg.startsWith('--rates='));
if (ratesArg !== undefined && !/^--rates=\d+(,\d+)*$/.test(ratesArg)) {
  console.error(`bench-events: --rates must be events per second separated by commas (--rates=2000,4000), got \`${ratesArg}\``);
  process.exit(2);
}
const RATES = ratesArg?.slice('--rates='.length).split(',').map(Number) ?? [500, 1000, 1500, 2000, 3000, 4000, 6000];
const LAG_LIMIT_MS = 100;
const TICK_MS = 10;

const config = await loadConfig();
const streamOf = (service: string, key: string) => config.environment.services.get(service)?.env[key];
const stream = streamOf('service-c', 'ORDER_EVENTS_STREAM') ?? 'orders.events';
console.log(`bench-events: ${STEP} s per step, stream ${stream}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
const environment = await startEnvironment(config, { freePorts: true });
const { redis: startedRedis, databaseUrl } = environment;
if (!startedRedis || databaseUrl === undefined) throw new Error('bench-events needs the example system, which has PostgreSQL and Redis');
const redis = new Redis(startedRedis.url);
const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let best = 0;
try {
  for (const rate of RATES) {
    const startMs = Date.now();
    const sent = await publishAt(rate, STEP * 1000);
    const samples = await readDrainedEventLags(db, 'processed_events', startMs, { drainMs: 10_000, expected: sent, pollMs: 200 });
    const [stage] = eventLagByStage(samples, [{ name: 'step', startMs, endMs: Date.now() }]);
    const lag = stage?.lag;
    const kept = samples.length >= sent;
    const ok = kept && (lag?.p99Ms ?? Infinity) <= LAG_LIMIT_MS;
    console.log(
      `${String(rate).padStart(5)}/s: published ${sent} (${(sent / STEP).toFixed(0)}/s), processed ${samples.length} at ${processingRate(samples).toFixed(0)}/s; lag p50 ${lag?.p50Ms.toFixed(2)} ms, p95 ${lag?.p95Ms.toFixed(2)} ms, p99 ${lag?.p99Ms.toFixed(2)} ms, max ${lag?.maxMs.toFixed(2)} ms ${ok ? '' : '(missed)'}`,
    );
    if (!ok) break;
    best = rate;
  }
  const smoke = await loadProfile('smoke');
  const profile: LoadProfile = {
    ...smoke,
    name: 'bench-events-500',
    stages: [
      { name: 'ramp-up', durationMs: 2000, target: 500 },
      { name: 'sustain', durationMs: STEP * 1000, target: 500 },
    ],
    thresholds: { ...smoke.thresholds, targetRate: 500 },
  };
  if (smoke.seedSql) await db.query(smoke.seedSql);
  const result = await withEventLag(await runLoad({ profile, target: environment.service(profile.service ?? 'service-a').url, resources: environmentResources(environment) }), profile, databaseUrl);
  const sustain = result.stages.find((stage) => stage.name === 'sustain');
  const lag = result.eventLag?.find((stage) => stage.name === 'sustain')?.lag;
  console.log(
    `through A at 500/s (the smoke mix): achieved ${sustain?.achievedRate.toFixed(1)}/s, HTTP p99 ${sustain?.latency.p99Ms.toFixed(2)} ms; ${lag?.count} events, lag p50 ${lag?.p50Ms.toFixed(2)} ms, p99 ${lag?.p99Ms.toFixed(2)} ms`,
  );
  console.log(`highest event rate C keeps up with at lag p99 ≤ ${LAG_LIMIT_MS} ms: ${best > 0 ? `${best}/s` : `below ${RATES[0]}/s`} [goal ≥ 2000/s]`);
  console.log(`lag p99 at 500 orders/s through A: ${lag?.p99Ms.toFixed(2) ?? 'n/a'} ms [goal ≤ 25 ms]`);
} finally {
  redis.disconnect();
  await db.end();
  await environment.stop();
}

/**
 * Events per second between C's first and last commit of a step: the publish rate while C keeps
 * up, C's own capacity once it falls behind (it is busy the whole time then).
 */
function processingRate(samples: ReadonlyArray<{ publishedMs: number; lagMs: number }>): number {
  const done = samples.map((sample) => sample.publishedMs + sample.lagMs);
  const spanMs = Math.max(...done) - Math.min(...done);
  return spanMs > 0 ? (samples.length / spanMs) * 1000 : 0;
}

/** XADDs `rate` events a second for `durationMs` in 10 ms batches (one pipeline each), like A's writes. */
async function publishAt(rate: number, durationMs: number): Promise<number> {
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < durationMs) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    const pipeline = redis.pipeline();
    for (; sent < due; sent++) pipeline.xadd(stream, 'MAXLEN', '~', '100000', '*', ...toStreamFields(orderEvent()));
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return sent;
}

function orderEvent() {
  const now = new Date().toISOString();
  const id = randomUUID();
  return buildOrderEvent(
    { id, sku: 'SKU-001', quantity: 1, status: 'confirmed', reservationId: randomUUID(), customerId: null, createdAt: now, correlationId: randomUUID() } as Parameters<typeof buildOrderEvent>[0],
    { eventId: randomUUID(), occurredAt: now },
  );
}
