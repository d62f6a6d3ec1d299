import { copyFile, mkdtemp } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

/** This checkout's root. */
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

let packed: Promise<string> | undefined;

/**
 * `npm pack` of this checkout (prepack builds dist/ and its declarations): the package exactly as
 * a team gets it, copied into `dir`. Returns the copy's path. The pack runs once per mocha process
 * (its build takes ~17 s); every file that installs the package installs the same tarball.
 */
export async function packAccord(dir: string): Promise<string> {
  packed ??= packOnce();
  const tarball = await packed;
  const copy = path.join(dir, path.basename(tarball));
  await copyFile(tarball, copy);
  return copy;
}

async function packOnce(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'accord-pack-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const result = await execa('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT });
  const [first] = JSON.parse(result.stdout) as { filename: string }[];
  if (!first) throw new Error(`npm pack named no tarball: ${result.stdout}`);
  return path.join(dir, first.filename);
}

/** `npm install` of `specs` in `project`, from npm's cache where it can, as quietly as npm gets. */
export async function npmInstall(project: string, specs: readonly string[] = []): Promise<void> {
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], { cwd: project });
}
