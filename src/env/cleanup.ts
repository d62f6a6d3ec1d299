/**
 * A process-wide registry of teardown steps. Everything Accord starts (a process,
 * a temp dir, a database) registers how to undo itself here, so a signal or a crash
 * in the CLI still removes it. Steps run last-registered first.
 */
type Cleanup = () => Promise<void> | void;

const steps = new Set<{ name: string; run: Cleanup }>();

/** Registers a teardown step; returns a function that unregisters it (call it after a normal stop). */
export function onCleanup(name: string, run: Cleanup): () => void {
  const step = { name, run };
  steps.add(step);
  return () => {
    steps.delete(step);
  };
}

/** Runs every registered step (newest first), each at most once, collecting failures instead of stopping. */
export async function runCleanups(): Promise<Error[]> {
  const pending = [...steps].reverse();
  steps.clear();
  const failures: Error[] = [];
  for (const step of pending) {
    try {
      await step.run();
    } catch (error) {
      failures.push(new Error(`cleanup "${step.name}" failed: ${(error as Error).message}`));
    }
  }
  return failures;
}

/** How many teardown steps are registered (used by tests to prove nothing is left behind). */
export function pendingCleanups(): number {
  return steps.size;
}
