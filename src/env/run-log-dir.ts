import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** How many per-run log folders are kept under `<logs dir>/runs/`; older ones are removed. */
export const KEPT_RUN_LOG_DIRS = 20;

/** Folders this process made so far. */
let sequence = 0;

/**
 * A fresh folder for one run's service logs, `<base>/runs/<UTC time>-<pid>-<sequence>-<random>/`: a run
 * (verify, scenarios, load) started while `accord up` writes `<base>/<service>.log` must neither
 * truncate those files nor share them. The oldest folders beyond {@link KEPT_RUN_LOG_DIRS} go.
 */
export async function createRunLogDir(base: string): Promise<string> {
  const runs = join(base, 'runs');
  // The sequence sorts two folders one process makes within the same millisecond; the random
  // part alone would sort them at random, and pruning could remove the newer one.
  sequence += 1;
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${String(sequence).padStart(6, '0')}-${randomBytes(2).toString('hex')}`;
  const dir = join(runs, id);
  await mkdir(dir, { recursive: true });
  // Names start with the time, so they sort oldest first.
  const all = (await readdir(runs)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - KEPT_RUN_LOG_DIRS))) {
    if (old !== id) await rm(join(runs, old), { recursive: true, force: true });
  }
  return dir;
}
