/**
 * Wraps a command's action so that it returns an exit code instead of calling
 * `process.exit`: main.ts is the only place that exits, after its ordered cleanup.
 */
let exitCode = 0;

export function defineAction<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exitCode = await fn(...args);
  };
}

/** The exit code set by the action that ran last. */
export function actionExitCode(): number {
  return exitCode;
}
