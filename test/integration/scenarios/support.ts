import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { EXAMPLE_ROOT, REPO_ROOT } from '../../support/accord.js';
import type { ScenarioResult } from '../../../src/scenarios/index.js';

/** The failed checks of a result, as `name: detail` lines (an empty list reads best in a failed assertion). */
export function failedChecks(result: ScenarioResult): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
}

/** The named check of a result; throws naming the checks it has when there is none. */
export function check(result: ScenarioResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`scenario ${result.name} has no check "${name}" (has: ${result.checks.map((c) => c.name).join(' | ')})`);
  return found;
}

/** True while process `pid` runs. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fixture config dir (named from the repository root) loaded as the CLI loads it: its paths
 * (commands, migrations, the catalog) relative to the example's folder, which is the project root.
 */
export function loadFixtureConfig(dir: string) {
  return loadConfig(join(REPO_ROOT, dir), { root: EXAMPLE_ROOT });
}
