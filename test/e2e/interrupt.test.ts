/**
 * Ctrl-C at any moment of start-up: `accord up`, `accord verify` and `accord scenarios` are
 * interrupted (SIGINT) at random moments 0.3–5 s after their start. Each time the run must end
 * within 5 s with exit 130 and one line, and leave nothing: no process it started (tracked by
 * process tree while it runs, so other runs on the machine do not count), no temp dir in its
 * private TMPDIR, no state file.
 *
 * The moments come from a seeded generator; the seed is printed. Replay a failure with
 * ACCORD_INTERRUPT_SEED=<seed> (and ACCORD_INTERRUPT_MOMENTS=<n> for more moments per command).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { seededRandom } from '../../src/load/seeded-random.js';
import { ACCORD, REPO, cleanEnv, leftovers, privateTmpdir, removeDir, upWorkspace } from './up-support.js';

const SEED = Number(process.env.ACCORD_INTERRUPT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MOMENTS = Number(process.env.ACCORD_INTERRUPT_MOMENTS ?? 6);
const FIRST_MS = 300;
const LAST_MS = 5000;
const EXIT_WITHIN_MS = 5000;
const INTERRUPT_LINE = 'accord: SIGINT received, stopping everything that was started';

/** Moments spread over start-up: one random moment in each of `count` equal slices of it. */
function moments(random: () => number, count: number): number[] {
  const slice = (LAST_MS - FIRST_MS) / count;
  return Array.from({ length: count }, (_, index) => Math.round(FIRST_MS + slice * (index + random())));
}

/** A process, told apart from a later one with the same PID by its start time. */
interface Tracked {
  readonly pid: number;
  readonly startTime: string;
  readonly command: string;
}

async function procStat(pid: number): Promise<{ ppid: number; startTime: string; state: string } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`, found by walking /proc's parent links. */
async function descendants(root: number): Promise<Tracked[]> {
  const children = new Map<number, number[]>();
  const stats = new Map<number, { startTime: string }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = await procStat(Number(entry));
    if (!info) continue;
    stats.set(Number(entry), info);
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(entry)]);
  }
  const found: Tracked[] = [];
  const visit = async (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      const command = (await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
      found.push({ pid: child, startTime: stats.get(child)?.startTime ?? '', command });
      await visit(child);
    }
  };
  await visit(root);
  return found;
}

/** The tracked processes still alive (same PID and start time, not a zombie). */
async function survivors(tracked: Iterable<Tracked>): Promise<Tracked[]> {
  const alive: Tracked[] = [];
  for (const process of tracked) {
    const info = await procStat(process.pid);
    if (info && info.startTime === process.startTime && info.state !== 'Z') alive.push(process);
  }
  return alive;
}

interface Command {
  readonly name: string;
  readonly args: (ws: string) => string[];
  /** Where it runs: the workspace (`up` writes its state file there) or the repository. */
  readonly inWorkspace: boolean;
}

const COMMANDS: readonly Command[] = [
  { name: 'up', args: () => ['up', '--free-ports', '--config', 'config', '--seed', 'seeds/demo.sql'], inWorkspace: true },
  { name: 'verify', args: () => ['verify'], inWorkspace: false },
  { name: 'scenarios', args: (ws) => ['scenarios', '--config', join(REPO, 'test/fixtures/scenarios/fast-retries'), '--out', join(ws, 'report.txt')], inWorkspace: false },
];

interface Outcome {
  readonly finishedFirst: boolean;
  readonly exitCode: number | undefined;
  /** Killed by the SIGINT itself before Node had run bin/accord.js (a loaded machine's slow start): nothing had started. */
  readonly beforeLoading: boolean;
  readonly exitMs: number;
  readonly linesAfter: string[];
  readonly stderr: string;
  readonly survivors: Tracked[];
  readonly files: string[];
  readonly envProcesses: string[];
  readonly stateFile: boolean;
}

async function interruptAt(command: Command, delayMs: number): Promise<Outcome> {
  const ws = await upWorkspace();
  const tmp = await privateTmpdir();
  try {
    const child = execa(process.execPath, [ACCORD, ...command.args(ws)], {
      cwd: command.inWorkspace ? ws : REPO,
      env: { ...cleanEnv(), TMPDIR: tmp, CI: 'true' },
      extendEnv: false,
      reject: false,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let done = false;
    void child.then(() => {
      done = true;
    });
    const tracked = new Map<string, Tracked>();
    const track = async () => {
      for (const process of await descendants(child.pid ?? -1)) tracked.set(`${process.pid}/${process.startTime}`, process);
    };
    // Children are recorded while the run lives: once it dies, orphans lose their link to it.
    const started = Date.now();
    while (!done && Date.now() - started < delayMs) {
      await track();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (done) {
      await child;
      return { finishedFirst: true, exitCode: undefined, beforeLoading: false, exitMs: 0, linesAfter: [], stderr, survivors: [], files: [], envProcesses: [], stateFile: false };
    }
    const before = stderr.length;
    const signalled = Date.now();
    child.kill('SIGINT');
    const deadline = signalled + EXIT_WITHIN_MS + 2000;
    while (!done && Date.now() < deadline) {
      await track();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!done) child.kill('SIGKILL');
    const result = await child;
    const exitMs = Date.now() - signalled;
    // A process may take a moment to go once its parent has (a backend after its postmaster).
    let left = await survivors(tracked.values());
    for (let tries = 0; left.length > 0 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = await survivors(left);
    }
    const rest = await leftovers(tmp);
    const linesAfter = stderr.slice(before).split('\n').filter((line) => line.trim() !== '');
    return {
      finishedFirst: false,
      exitCode: result.exitCode,
      beforeLoading: result.exitCode === undefined && result.signal === 'SIGINT' && stderr === '',
      exitMs,
      linesAfter,
      stderr,
      survivors: left,
      files: rest.files,
      envProcesses: rest.processes,
      stateFile: await stat(join(ws, '.accord/up.json')).then(() => true, () => false),
    };
  } finally {
    await removeDir(ws);
    await removeDir(tmp);
  }
}

describe('Ctrl-C at any moment of start-up (up, verify, scenarios)', function () {
  this.timeout(600_000);
  const random = seededRandom(SEED);
  console.log(`      interrupt moments seeded with ACCORD_INTERRUPT_SEED=${SEED}`);

  for (const command of COMMANDS) {
    const delays = moments(random, MOMENTS);
    it(`accord ${command.name}, interrupted at ${delays.join(', ')} ms: exit 130 within 5 s, one line, nothing left`, async () => {
      let interrupted = 0;
      for (const delay of delays) {
        const outcome = await interruptAt(command, delay);
        if (outcome.finishedFirst) continue;
        interrupted += 1;
        const at = `accord ${command.name} interrupted at ${delay} ms (seed ${SEED})`;
        expect(outcome.exitMs, `${at}: time to exit`).to.be.below(EXIT_WITHIN_MS);
        // A shell reports such a death as 130 too; there is no line to check, only that nothing is left.
        if (!outcome.beforeLoading) {
          expect(outcome.exitCode, `${at}: exit code; stderr:\n${outcome.stderr}`).to.equal(130);
          // Progress written just before the signal was handled may precede it; nothing may follow it.
          expect(outcome.linesAfter.at(-1), `${at}: last line; stderr:\n${outcome.stderr}`).to.equal(INTERRUPT_LINE);
          expect(outcome.linesAfter.filter((line) => line === INTERRUPT_LINE), `${at}: the interrupt line, once`).to.have.length(1);
          expect(outcome.stderr, `${at}: no internal error`).not.to.match(/internal error|^\s+at /m);
        }
        expect(outcome.survivors.map((p) => `${p.pid}: ${p.command}`), `${at}: processes it started`).to.deep.equal([]);
        expect(outcome.envProcesses, `${at}: processes carrying its TMPDIR`).to.deep.equal([]);
        expect(outcome.files, `${at}: left in its TMPDIR`).to.deep.equal([]);
        expect(outcome.stateFile, `${at}: .accord/up.json`).to.equal(false);
      }
      // `up` never finishes by itself; the others take longer than 5 s to start and run.
      expect(interrupted, 'moments that caught the command running').to.be.at.least(delays.length - 1);
    });
  }
});
