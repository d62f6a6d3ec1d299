/**
 * A process-wide registry of teardown steps. Everything Accord starts (a process,
 * a temp dir, a database) registers how to undo itself here, so a signal or a crash
 * in the CLI still removes it. Steps run all at once, each started in last-registered-first order.
 *
 * A teardown may begin while a start is half-way (Ctrl-C at any moment): from then on nothing
 * new may be started ({@link assertNotTearingDown}), and a step registered late (its resource was
 * already being created) runs at once; {@link runCleanups} waits for those too.
 */
import { rmSync } from 'node:fs';
import { AccordError, ErrorCodes } from '../errors/index.js';

type Cleanup = () => Promise<void> | void;

const steps = new Set<{ name: string; run: Cleanup }>();
const late = new Set<Promise<void>>();
let tearingDown = false;

/** Registers a teardown step; returns a function that unregisters it (call it after a normal stop). */
export function onCleanup(name: string, run: Cleanup): () => void {
  const step = { name, run };
  if (tearingDown) {
    const running = Promise.resolve()
      .then(run)
      .catch(() => undefined)
      .finally(() => late.delete(running));
    late.add(running);
    return () => undefined;
  }
  steps.add(step);
  return () => {
    steps.delete(step);
  };
}

/** True once {@link runCleanups} has begun: the process is on its way out. */
export function isTearingDown(): boolean {
  return tearingDown;
}

/** Throws ACCORD_INTERRUPTED once a teardown has begun, so a start in progress creates nothing more. */
export function assertNotTearingDown(what: string): void {
  if (tearingDown) throw new AccordError(ErrorCodes.INTERRUPTED, `interrupted before ${what}`);
}

/** Runs every registered step (all at once, started newest first), each at most once, collecting failures instead of stopping. */
export async function runCleanups(): Promise<Error[]> {
  tearingDown = true;
  const failures: Error[] = [];
  while (steps.size > 0 || late.size > 0) {
    const pending = [...steps].reverse();
    steps.clear();
    // All at once: a teardown lasts as long as its slowest step, not the sum of them. One after
    // another, a service given its grace period, then PostgreSQL given its own, went past the
    // seconds a Ctrl-C may take on a busy machine. Each step stops only what it started.
    const outcomes = await Promise.allSettled(pending.map(async (step) => step.run()));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') failures.push(new Error(`cleanup "${pending[index]?.name}" failed: ${(outcome.reason as Error).message}`));
    });
    await Promise.all([...late]);
  }
  return failures;
}

/** How many teardown steps are registered (used by tests to prove nothing is left behind). */
export function pendingCleanups(): number {
  return steps.size;
}

const exitDirs = new Set<string>();
let exitHookInstalled = false;

/**
 * Removes `dir` when the process exits, if its teardown step has not yet: the CLI gives a
 * signal's teardown a few seconds and then exits, and a temp dir whose owner was still stopping
 * its server must not outlive the run. Returns a function to call once the dir is gone.
 */
export function removeOnExit(dir: string): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' listeners may only do synchronous work, hence rmSync.
    process.on('exit', () => {
      for (const path of exitDirs) {
        try {
          rmSync(path, { recursive: true, force: true });
        } catch {
          // Best effort on the way out: nothing is left to report it to.
        }
      }
    });
  }
  exitDirs.add(dir);
  return () => {
    exitDirs.delete(dir);
  };
}
