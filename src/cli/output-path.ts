import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** What an output option names: a file to write, or a directory to write files into. */
export type OutputKind = 'file' | 'directory';

/**
 * Checks, before any work starts, that `path` (given to `option`) can be written as a `kind`:
 * it is one already, or its nearest existing ancestor is a writable directory. Throws a
 * one-line `ACCORD_OUTPUT_PATH_INVALID` otherwise, so a long run is not lost at its very end.
 */
export async function checkOutputPath(option: string, path: string, kind: OutputKind): Promise<void> {
  const target = resolve(path);
  const fail = (why: string): never => {
    throw new AccordError(ErrorCodes.OUTPUT_PATH_INVALID, `${option} ${path}: ${why}`);
  };
  const found = await statOrUndefined(target);
  if (found) {
    if (kind === 'directory' && !found.isDirectory()) fail('is a file, not a directory');
    if (kind === 'file' && found.isDirectory()) fail('is a directory, not a file');
    if (!(await writable(target))) fail(`is not writable`);
    return;
  }
  // The nearest ancestor that exists decides: mkdir -p creates the rest below it.
  let ancestor = dirname(target);
  let ancestorStat = await statOrUndefined(ancestor);
  while (!ancestorStat && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    ancestorStat = await statOrUndefined(ancestor);
  }
  if (!ancestorStat?.isDirectory()) fail(`${ancestor} is a file, not a directory`);
  if (!(await writable(ancestor))) fail(`cannot create it: ${ancestor} is not writable`);
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
