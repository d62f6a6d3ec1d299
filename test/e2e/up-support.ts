import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { accord } from '../support/accord.js';

// Helpers for the `accord up` end-to-end tests: a private TMPDIR per run makes "nothing left
// behind" checkable on a machine where other test runs start their own Postgres and Redis.

export const REPO = resolve('.');
export const ACCORD = join(REPO, 'bin/accord.js');

/** A private temp dir for one `accord` run, sharing the Postgres template and the tsx cache. */
export async function privateTmpdir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-e2e-tmp-'));
  // The embedded server runs as `postgres` when we are root: it must reach its data dir in here.
  await chmod(dir, 0o755);
  const uid = process.geteuid?.() ?? userInfo().username;
  for (const shared of [`accord-pg14-template-${userInfo().username}`, `tsx-${uid}`]) {
    // On a fresh machine the shared caches do not exist yet: a dangling link would make their mkdir fail.
    await mkdir(join(tmpdir(), shared), { recursive: true, mode: 0o755 });
    await symlink(join(tmpdir(), shared), join(dir, shared)).catch(() => undefined);
  }
  return dir;
}

/** What a run left behind: processes carrying its TMPDIR, and files in it besides the shared links. */
export async function leftovers(privateTmp: string): Promise<{ processes: string[]; files: string[] }> {
  const processes: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (!environ.split('\0').includes(`TMPDIR=${privateTmp}`)) continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      // A zombie has no command line and holds nothing.
      if (cmdline) processes.push(`${entry}: ${cmdline}`);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  const files = (await readdir(privateTmp)).filter((name) => !name.startsWith('accord-pg14-template-') && !name.startsWith('tsx-'));
  return { processes, files };
}

/** A PATH with every program of the current PATH except `program` (links in a temp dir). */
export async function pathWithout(program: string): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-e2e-path-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const seen = new Set<string>();
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (name === program || seen.has(name)) continue;
      seen.add(name);
      await symlink(join(folder, name), join(bin, name));
    }
  }
  return { path: bin, dir };
}

/** Runs `accord ...args` to completion as a user would. */
export async function runAccord(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  return accord(args, { cwd: options.cwd ?? REPO, env: { ...cleanEnv(), ...options.env }, extendEnv: false, timeoutMs: options.timeoutMs ?? 120_000 });
}

/** The test runner's environment without settings that would redirect Accord (DATABASE_URL, REDIS_URL). */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'DATABASE_URL' && name !== 'REDIS_URL') env[name] = value;
  }
  return env;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * A working dir for `accord up` (its state file, its logs) with the example's environment: its
 * migrations, env file and seeds copied in (a config may name only files inside its project),
 * its services run from the example's folder.
 */
export async function upWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-e2e-ws-'));
  const example = join(REPO, 'examples/orders');
  const environment = parse(await readFile(join(example, 'config/integration/environment.yaml'), 'utf8')) as {
    services: Record<string, { cwd?: string }>;
    postgres: { migrations: string };
    envFile: string;
    logs: { dir: string };
  };
  for (const service of Object.values(environment.services)) service.cwd = example;
  for (const path of ['migrations', 'seeds', '.env.integration-test']) await cp(join(example, path), join(dir, path), { recursive: true });
  environment.postgres.migrations = 'migrations';
  environment.envFile = '.env.integration-test';
  environment.logs.dir = 'logs';
  // The workspace starts empty, as without environment.yaml's seed: a test that wants rows passes --seed.
  delete (environment as { seed?: unknown }).seed;
  delete (environment as { compose?: unknown }).compose;
  await mkdir(join(dir, 'config'));
  await writeFile(join(dir, 'config/environment.yaml'), stringify(environment));
  return dir;
}
