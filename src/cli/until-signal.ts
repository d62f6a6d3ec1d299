/**
 * Keeps a serving command (`up`, `broker serve`) running until SIGINT or SIGTERM: main.ts then
 * runs every cleanup step and exits, so the promise never settles.
 */
export function untilSignal(): Promise<number> {
  return new Promise<number>(() => {
    // A pending promise alone does not keep Node alive; a long timer does.
    setInterval(() => undefined, 1 << 30);
  });
}
