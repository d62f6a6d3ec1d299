import path from 'node:path';
import { execa } from 'execa';

/** This checkout's root. */
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm pack` of this checkout into `dir` (prepack builds dist/ and its declarations): the
 * package exactly as a team gets it. Returns the tarball's path.
 */
export async function packAccord(dir: string): Promise<string> {
  const packed = await execa('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT });
  const [first] = JSON.parse(packed.stdout) as { filename: string }[];
  if (!first) throw new Error(`npm pack named no tarball: ${packed.stdout}`);
  return path.join(dir, first.filename);
}

/** `npm install` of `specs` in `project`, from npm's cache where it can, as quietly as npm gets. */
export async function npmInstall(project: string, specs: readonly string[] = []): Promise<void> {
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], { cwd: project });
}
