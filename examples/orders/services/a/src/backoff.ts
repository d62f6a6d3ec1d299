/**
 * The delay before retry number `retry` (1 for the first): "full jitter" exponential backoff,
 * uniformly random between 0 and min(maxMs, baseMs * 2^(retry-1)). Full jitter spreads retrying
 * clients apart instead of having them all come back at the same moment.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}
