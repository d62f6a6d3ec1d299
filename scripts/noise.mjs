#!/usr/bin/env node
/**
 * Keeps a chosen number of CPUs busy, so a performance claim can be measured under the noise it
 * claims to survive (a shared CI runner, a neighbour's build). One busy loop per CPU in a worker
 * thread, or Debian's `stress-ng --cpu N` when it is installed (`--busy-loop` forces the former).
 * Dies with its parent (checked every 250 ms), on SIGINT/SIGTERM, and after `--seconds`.
 *
 * Run: node scripts/noise.mjs --cpus 1 [--seconds 60] [--busy-loop]
 *   --cpus N      CPUs to occupy, 1 to the machine's count (default 1)
 *   --seconds N   stop after N seconds; 0 runs until stopped (default 0)
 * Prints one line when the load is on: `noise: N CPUs busy (busy-loop|stress-ng), pid P`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';

if (!isMainThread) {
  // A worker: spin until terminated. Date.now() keeps the loop from being optimised away.
  let x = 0;
  for (;;) x = (x + Date.now()) % 1_000_003;
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const usage = (message) => {
  process.stderr.write(`noise: ${message} (usage: node scripts/noise.mjs --cpus N [--seconds N] [--busy-loop])\n`);
  process.exit(2);
};
const cpus = Number(option('--cpus', '1'));
const seconds = Number(option('--seconds', '0'));
if (!Number.isInteger(cpus) || cpus < 1 || cpus > availableParallelism()) usage(`--cpus must be a whole number from 1 to ${availableParallelism()}, got ${option('--cpus', '1')}`);
if (!Number.isFinite(seconds) || seconds < 0) usage(`--seconds must be 0 or more, got ${option('--seconds', '0')}`);

const stressNg = !args.includes('--busy-loop') && spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const workers = [];
let child;
if (stressNg) {
  child = spawn('stress-ng', ['--cpu', String(cpus), '--quiet', ...(seconds > 0 ? ['--timeout', `${seconds}s`] : [])], { stdio: 'ignore' });
  child.on('exit', () => stop(0));
} else {
  for (let i = 0; i < cpus; i++) workers.push(new Worker(new URL(import.meta.url)));
}
process.stdout.write(`noise: ${cpus} CPU${cpus === 1 ? '' : 's'} busy (${stressNg ? 'stress-ng' : 'busy-loop'}), pid ${process.pid}\n`);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  child?.kill('SIGTERM');
  Promise.all(workers.map((worker) => worker.terminate())).finally(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
if (seconds > 0) setTimeout(() => stop(0), seconds * 1000);
// Orphaned (the parent died without stopping us): the kernel re-parents us, and we go too. On a
// busy machine the parent can die before this line runs (Node's start-up took over 500 ms at load
// average 19), so a parent that is already init counts as gone too.
const parent = process.ppid;
const orphaned = () => process.ppid !== parent || process.ppid === 1;
if (orphaned()) stop(0);
setInterval(() => {
  if (orphaned()) stop(0);
}, 250);
