/**
 * The folders untrusted input may lead to: a path in a config file, a `$ref`, a link among the
 * pacts. Anything else (`/etc/shadow`, `../../../secret`, a link to either) is refused by its own
 * name, never read.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The real path of `file` (links followed), or its resolved path when it does not exist. */
export function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // A missing file: its nearest existing parent decides where it would be.
    const parent = path.dirname(path.resolve(file));
    if (parent === path.resolve(file)) return parent;
    return path.join(realOrResolved(parent), path.basename(file));
  }
}

/** The git work tree holding `dir` (the nearest folder with a `.git`), if any. */
export function repositoryRootOf(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The project root and the repository holding it, as real paths, plus `extra` folders. */
export function projectBoundaries(root: string, extra: readonly string[] = []): string[] {
  const repository = repositoryRootOf(root);
  return [...new Set([root, ...(repository === undefined ? [] : [repository]), ...extra].map(realOrResolved))];
}

/** True when `file` is `root` or inside it. */
export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** True when `file`, links followed, is inside one of `roots` (real paths). */
export function isWithin(file: string, roots: readonly string[]): boolean {
  const real = realOrResolved(file);
  return roots.some((root) => isInside(real, root));
}
