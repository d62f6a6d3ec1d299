import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type * as BuildScript from '../../scripts/build.mjs';

// Run through tsx this file is src/build/ensure-built.ts; built, it is dist/src/build/ensure-built.js.
const ROOT = resolve(fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../' : '../../../', import.meta.url)));

/**
 * Rebuilds dist/ (the JavaScript the CLI and the services run) when a source is newer than the
 * last build; memoised per process (scripts/build.mjs). Resolves to why it rebuilt, or undefined
 * when dist/ was fresh.
 */
export async function ensureBuilt(): Promise<string | undefined> {
  try {
    // By URL, not a static import: from dist/ the relative path to scripts/ is one level longer.
    const script = (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as typeof BuildScript;
    return await script.ensureBuilt(ROOT);
  } catch (error) {
    const first = String((error as Error)?.message ?? error).split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
    throw new AccordError(ErrorCodes.SERVICE_START_FAILED, `could not build dist/ (the JavaScript the services run) with scripts/build.mjs: ${first}`, { cause: error });
  }
}
