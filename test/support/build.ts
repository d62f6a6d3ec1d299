import { AccordError, ErrorCodes } from 'accord';
import * as buildScript from '../../scripts/build.mjs';

/**
 * Rebuilds the checkout's JavaScript (Accord's dist/ and the example's) when a source is newer
 * than the last build; memoised per process. Tests and benchmarks that start the example's
 * services from their JavaScript call it first.
 */
export async function ensureBuilt(): Promise<string | undefined> {
  try {
    return await buildScript.ensureBuilt();
  } catch (error) {
    const first = String((error as Error)?.message ?? error).split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
    throw new AccordError(ErrorCodes.SERVICE_START_FAILED, `could not build with scripts/build.mjs: ${first}`, { cause: error });
  }
}
