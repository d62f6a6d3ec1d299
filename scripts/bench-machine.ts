/**
 * What this machine charges for the things a request chain is made of (issues 2 and 7: "say
 * where the time goes"). Each figure is CPU time unless it says wall:
 *   1. a Node process waking from a timer; a cheap system call;
 *   2. a TCP round trip on loopback, within one process and between two;
 *   3. a bare fastify server's CPU per request under Accord's open-model generator at 500/s and
 *      2000/s, against wrk's closed loop (-c10), where requests batch per wake-up;
 *   4. the generator's and autocannon's CPU per request at their maximum rate (50 connections);
 *   5. loading Service B's modules as built JavaScript (dist/) and through tsx (wall).
 * Run: npx tsx scripts/bench-machine.ts
 * Every server is on 127.0.0.1, started here and stopped here; every loop is bounded.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { ensureBuilt } from '../test/support/build.js';
import { arrivalSchedule, createLoadRecorder, createRequestMix, runOpenModel } from '../src/load/index.js';
import type { RequestTemplate, Stage } from '../src/load/index.js';
import { CLOCK_TICKS_PER_SECOND, readProcStat } from '../src/load/proc-stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const GET: RequestTemplate = { name: 'GET /', weight: 1, method: 'GET', path: '/', headers: {}, body: undefined, expect: [], capture: {} };
const POST: RequestTemplate = { name: 'POST /x', weight: 1, method: 'POST', path: '/x', headers: {}, body: { sku: 'A', quantity: 1 }, expect: [], capture: {} };
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const ownCpuUs = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const childCpuUs = async (pid: number | undefined) => (((await readProcStat(pid ?? -1))?.ownTicks ?? 0) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Starts a Node server script (it prints {"port":N} first) and returns its port and process. */
async function startServer(args: string[]) {
  const child = execa(process.execPath, args, { cwd: ROOT, stdout: 'pipe', stderr: 'inherit', reject: false });
  const port = await new Promise<number>((done, fail) => {
    child.stdout?.once('data', (data: Buffer) => done((JSON.parse(String(data).split('\n')[0] ?? '') as { port: number }).port));
    void child.then(() => fail(new Error(`server ${args.join(' ')} exited before listening`)));
  });
  return { port, child, url: `http://127.0.0.1:${port}` };
}

/** Open-model run of `seconds` at `rate` with at most `maxInFlight` in flight; returns completions and this process's CPU. */
async function generate(url: string, template: RequestTemplate, rate: number, seconds: number, maxInFlight: number) {
  const stages: Stage[] = [{ name: 'sustain', durationMs: seconds * 1000, target: rate }];
  const schedule = arrivalSchedule(stages, rate);
  const recorder = createLoadRecorder(stages, schedule);
  const before = ownCpuUs();
  await runOpenModel({ baseUrl: url, schedule, mix: createRequestMix([template]), recorder, connections: 50, maxInFlight });
  return { completed: recorder.total().completed, generatorCpuUs: ownCpuUs() - before };
}

console.log(`bench-machine: load average ${loadavg().map((n) => fixed(n, 2)).join(' ')}, node ${process.version}`);

// 1. Wake-ups and system calls.
for (const ms of [1, 2]) {
  const before = ownCpuUs();
  let wakeups = 0;
  const end = performance.now() + 3000;
  await new Promise<void>((done) => {
    const tick = () => {
      wakeups++;
      if (performance.now() < end) setTimeout(tick, ms);
      else done();
    };
    tick();
  });
  console.log(`setTimeout(${ms}) loop: ${wakeups} wake-ups, ${fixed((ownCpuUs() - before) / wakeups)} µs of CPU each`);
}
{
  const fd = openSync('/dev/null', 'w');
  const calls = 200_000;
  let started = performance.now();
  for (let i = 0; i < calls; i++) writeSync(fd, 'x');
  const writeUs = ((performance.now() - started) * 1000) / calls;
  started = performance.now();
  for (let i = 0; i < calls; i++) fstatSync(fd);
  const fstatUs = ((performance.now() - started) * 1000) / calls;
  closeSync(fd);
  console.log(`system calls (wall per call): write(/dev/null) ${fixed(writeUs, 2)} µs, fstat ${fixed(fstatUs, 2)} µs`);
}

// 2. TCP ping-pong on loopback.
const ROUND_TRIPS = 20_000;
{
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const client = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((done) => client.once('connect', done));
  const before = ownCpuUs();
  const started = performance.now();
  await new Promise<void>((done) => {
    let count = 0;
    client.on('data', () => (++count === ROUND_TRIPS ? done() : client.write('p')));
    client.write('p');
  });
  console.log(`TCP round trip, one process: ${fixed(((performance.now() - started) * 1000) / ROUND_TRIPS)} µs wall, ${fixed((ownCpuUs() - before) / ROUND_TRIPS)} µs of CPU`);
  client.destroy();
  server.close();
}
{
  const echo = `const net = require('node:net'); const s = net.createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)); }).listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port }))); setTimeout(() => process.exit(0), 60000).unref();`;
  const { port, child } = await startServer(['-e', echo]);
  const client = createConnection(port, '127.0.0.1');
  client.setNoDelay(true);
  await new Promise<void>((done) => client.once('connect', done));
  const [before, serverBefore] = [ownCpuUs(), await childCpuUs(child.pid)];
  const started = performance.now();
  await new Promise<void>((done) => {
    let count = 0;
    client.on('data', () => (++count === ROUND_TRIPS ? done() : client.write('p')));
    client.write('p');
  });
  const wallUs = ((performance.now() - started) * 1000) / ROUND_TRIPS;
  const serverUs = ((await childCpuUs(child.pid)) - serverBefore) / ROUND_TRIPS;
  console.log(`TCP round trip, two processes: ${fixed(wallUs)} µs wall, ${fixed((ownCpuUs() - before) / ROUND_TRIPS)} µs client CPU + ${fixed(serverUs)} µs server CPU`);
  client.destroy();
  child.kill();
  await child;
}

// 3. A bare fastify server: CPU per request by arrival pattern.
{
  const app = `const Fastify = require('fastify'); const app = Fastify(); app.post('/x', async (req) => ({ ok: true, sku: req.body.sku })); app.listen({ port: 0, host: '127.0.0.1' }).then(() => console.log(JSON.stringify({ port: app.server.address().port }))); setTimeout(() => process.exit(0), 120000).unref();`;
  const server = await startServer(['-e', app]);
  await generate(server.url, POST, 1000, 2, 2000); // warm-up: JIT, connections
  for (const rate of [500, 2000]) {
    const before = await childCpuUs(server.child.pid);
    const { completed } = await generate(server.url, POST, rate, 5, 2000);
    console.log(`bare fastify POST, open model ${rate}/s: ${fixed(((await childCpuUs(server.child.pid)) - before) / completed)} µs of server CPU per request`);
  }
  const before = await childCpuUs(server.child.pid);
  const wrk = await execa('wrk', ['-t1', '-c10', '-d5s', '-s', resolve(ROOT, 'scripts/wrk-post.lua'), `${server.url}/x`], { reject: false });
  const total = Number(/(\d+) requests in/.exec(wrk.stdout)?.[1] ?? 0);
  if (total > 0) console.log(`bare fastify POST, wrk -c10 closed loop: ${fixed(((await childCpuUs(server.child.pid)) - before) / total)} µs of server CPU per request (${total} requests)`);
  else console.log(`bare fastify POST, wrk -c10: not measured (${wrk.stderr.split('\n')[0] || 'wrk not installed: apt-get install wrk'})`);
  server.child.kill();
  await server.child;
}

// 4. Generators at their maximum rate against the minimal node:http server.
{
  const server = await startServer(['test/fixtures/load/server.mjs']);
  await generate(server.url, GET, 5000, 2, 2000);
  const { completed, generatorCpuUs } = await generate(server.url, GET, 60_000, 5, 50);
  console.log(`Accord generator, max rate (50 in flight): ${fixed(completed / 5, 0)} req/s, ${fixed(generatorCpuUs / completed)} µs of generator CPU per request`);
  const autocannon = await execa('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, resolve(ROOT, 'node_modules/autocannon/autocannon.js'), '-c', '50', '-d', '5', server.url], { reject: false });
  const requests = Number(/(\d+)k requests in/.exec(autocannon.stderr)?.[1] ?? 0) * 1000;
  const [user = 0, system = 0] = (/cpu ([\d.]+) ([\d.]+)/.exec(autocannon.stderr) ?? []).slice(1).map(Number);
  console.log(`autocannon -c50, 5 s: ${fixed(requests / 5, 0)} req/s, ${fixed(((user + system) * 1_000_000) / Math.max(1, requests))} µs of CPU per request (whole process, start-up included)`);
  server.child.kill();
  await server.child;
}

// 5. Loading Service B's modules: built JavaScript against tsx (wall, spawn to exit).
{
  await ensureBuilt();
  const modules = ['app', 'connections', 'logger'];
  const load = (dir: string, ext: string) => `await Promise.all([${modules.map((name) => `import(${JSON.stringify(`${ROOT}/${dir}/${name}.${ext}`)})`).join(', ')}]);`;
  const time = async (args: string[]) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await execa(process.execPath, args, { cwd: ROOT });
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  const js = await time(['--input-type=module', '-e', load('examples/orders/dist/services/b/src', 'js')]);
  const tsx = await time(['--import', 'tsx', '--input-type=module', '-e', load('examples/orders/services/b/src', 'ts')]);
  console.log(`loading Service B's modules (node start included, median of 5, wall): dist/ ${fixed(js, 0)} ms, through tsx ${fixed(tsx, 0)} ms`);
}
