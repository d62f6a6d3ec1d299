import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';

/**
 * Where Accord works: the current directory, unless its package.json says otherwise with
 * `"accord": { "root": "path/to/system" }` (a monorepo whose system lives in a subfolder). Accord
 * then works in that folder, as `make -C` does: the config, every relative path in it and every
 * relative path on the command line are taken from there. Returns the folder when it moved.
 */
export function projectRootOf(cwd: string): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const root = (manifest as { accord?: { root?: unknown } } | null)?.accord?.root;
  if (root === undefined) return undefined;
  if (typeof root !== 'string' || root.trim() === '') {
    throw new AccordError(ErrorCodes.CONFIG_INVALID, 'package.json: accord.root must be a folder path (a string)');
  }
  const folder = resolve(cwd, root);
  const inside = relative(cwd, folder);
  if (inside === '') return undefined;
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new AccordError(ErrorCodes.CONFIG_INVALID, `package.json: accord.root "${root}" is outside this project`);
  }
  const isFolder = (() => {
    try {
      return statSync(folder).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isFolder) throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `package.json: accord.root "${root}" is not a folder`);
  return folder;
}
