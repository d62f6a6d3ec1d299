/**
 * CPU the payments stub spends per request at a steady arrival rate: the stub runs as
 * `accord stub serve` from dist/ (as `accord up` runs it), this script sends authorize
 * requests at RATE per second for SECONDS through a keep-alive pool, and divides the stub
 * process's CPU time (utime + stime from /proc) by the requests it answered. Warm-up first.
 *
 *   npx tsx scripts/bench-stub.ts [RATE=500] [SECONDS=20]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { Pool } from 'undici';
import { ensureBuilt } from '../test/support/build.js';
import { getFreePort } from '../src/env/index.js';
import { CLOCK_TICKS_PER_SECOND, readProcStat } from '../src/load/proc-stats.js';

const rate = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 20);
await ensureBuilt();
const port = await getFreePort();
const stub = execa('node', ['dist/cli/main.js', 'stub', 'serve', 'examples/orders/contracts/external/payments.yaml', '--port', String(port), '--record', 'reports/stub/bench-stub.jsonl'], { reject: false });
const url = `http://127.0.0.1:${port}`;
while (!(await fetch(`${url}/__stub/health`).then((r) => r.ok, () => false))) await sleep(50);

const pool = new Pool(url, { connections: 32 });
const body = JSON.stringify({ amount: 2598, currency: 'EUR', reference: 'order-bench', paymentMethod: { type: 'card', token: 'tok_visa_4242' } });
const headers = { authorization: 'Bearer sk_test_bench', 'content-type': 'application/json', 'idempotency-key': 'bench-key' };
let failures = 0;
const latencies: number[] = [];
async function one(): Promise<void> {
  const started = performance.now();
  const response = await pool.request({ method: 'POST', path: '/payments', headers, body });
  await response.body.text();
  if (response.statusCode !== 201) failures++;
  latencies.push(performance.now() - started);
}
async function drive(count: number, perSecond: number): Promise<void> {
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(one());
  }
  await Promise.all(pending);
}

await drive(rate * 3, rate); // warm-up: JIT, validators, sockets
latencies.length = 0;
failures = 0;
const before = await readProcStat(stub.pid as number);
const wall = performance.now();
await drive(rate * seconds, rate);
const elapsed = (performance.now() - wall) / 1000;
const after = await readProcStat(stub.pid as number);
const requests = rate * seconds;
const cpuMs = (((after?.ownTicks ?? 0) - (before?.ownTicks ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
latencies.sort((a, b) => a - b);
const p = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2);
console.log(`stub: ${requests} authorize requests at ${rate}/s in ${elapsed.toFixed(1)} s (${(requests / elapsed).toFixed(0)}/s achieved), ${failures} not 201`);
console.log(`stub CPU: ${cpuMs.toFixed(0)} ms = ${(cpuMs / requests).toFixed(3)} ms per request (budget 0.300)`);
console.log(`latency seen by the client: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`);
await pool.close();
stub.kill('SIGTERM');
await stub;
