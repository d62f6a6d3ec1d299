/**
 * Duplicate mapping keys, found in one pass. The yaml package's own `uniqueKeys` check compares
 * each key with every key before it: a 700 kB config with one 40 000-key mapping took over a
 * minute, and a parse on the main thread cannot be interrupted.
 */
import { isAlias, isCollection, isMap, isPair, isScalar } from 'yaml';

/** The message the yaml package gives a duplicate key, kept so both checks read the same. */
export const DUPLICATE_KEY_REASON = 'Map keys must be unique';

/**
 * The source offset of the first key that repeats an earlier key of the same mapping (scalars
 * equal by value, other keys by node), or undefined when every mapping's keys are unique.
 * `root` is a parsed document's `contents`; walked without recursion.
 */
export function firstDuplicateKeyOffset(root: unknown): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node) || !isCollection(node)) continue;
    const seen = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      if (seen !== undefined) {
        const key = isScalar(item.key) ? item.key.value : item.key;
        if (seen.has(key)) return (item.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
        seen.add(key);
      }
      stack.push(item.key, item.value);
    }
  }
  return undefined;
}
