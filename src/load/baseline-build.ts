import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { onCleanup } from '../env/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** Which baseline a load verdict is weighed against, and why that one. */
export type BaselineChoice =
  | { readonly kind: 'build'; readonly ref: string; readonly commit: string; readonly why: 'option' | 'load.yaml' | 'merge-base' }
  | { readonly kind: 'recorded'; readonly why: string };

/** Branches tried, in order, as "the main branch" for the default merge base. */
const MAIN_BRANCHES = ['main', 'master', 'origin/main', 'origin/master'];

/**
 * Picks the baseline: `--baseline-ref` (`none` for the recorded file), else load.yaml's
 * `baseline.ref`, else the merge base of HEAD with the main branch when `root` is in a git
 * repository that has one, else the recorded file. A named ref that does not resolve is bad input
 * (thrown before anything starts); a missing repository or main branch only falls back.
 */
export async function chooseBaseline(root: string, options: { optionRef?: string | undefined; profileRef?: string | undefined }): Promise<BaselineChoice> {
  if (options.optionRef === 'none') return { kind: 'recorded', why: '--baseline-ref none' };
  const named = options.optionRef ?? options.profileRef;
  const top = await gitTop(root);
  if (named !== undefined) {
    const source = options.optionRef !== undefined ? '--baseline-ref' : 'load.yaml baseline.ref';
    if (!/^[A-Za-z0-9_./@^~{}][A-Za-z0-9_./@^~{}-]*$/.test(named)) throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${source} ${JSON.stringify(named)}: not a git revision (letters, digits, _ . / @ ^ ~ - and no leading -)`);
    if (!top) throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${source} ${named}: ${root} is not in a git repository`);
    const commit = await commitOf(top, named);
    if (!commit) throw new AccordError(ErrorCodes.GIT_REF_INVALID, `${source} ${named}: no such git revision in ${top}`);
    return { kind: 'build', ref: named, commit, why: options.optionRef !== undefined ? 'option' : 'load.yaml' };
  }
  if (!top) return { kind: 'recorded', why: 'not a git repository' };
  for (const branch of MAIN_BRANCHES) {
    if (!(await commitOf(top, branch))) continue;
    const base = await execa('git', ['-C', top, 'merge-base', 'HEAD', branch], { reject: false });
    if (base.exitCode === 0 && base.stdout.trim() !== '') return { kind: 'build', ref: `merge-base(HEAD, ${branch})`, commit: base.stdout.trim(), why: 'merge-base' };
  }
  return { kind: 'recorded', why: 'the repository has no main branch' };
}

/** The baseline build, ready to run: the project at the baseline commit, built. */
export interface PreparedBaselineBuild {
  readonly commit: string;
  /** The project's root in the build (where its config dir and package.json are). */
  readonly projectRoot: string;
  /** True when the build came from the cache (built by an earlier run at this commit). */
  readonly cached: boolean;
  readonly buildMs: number;
}

/** Options of {@link prepareBaselineBuild}. */
export interface PrepareBaselineBuildOptions {
  /** The candidate's project root (inside a git repository). */
  readonly root: string;
  readonly commit: string;
  /** Where builds are kept by commit. @default `<nearest node_modules>/.cache/accord/baseline-builds` */
  readonly cacheDir?: string;
  readonly signal?: AbortSignal;
}

/**
 * The project at `commit`, built once and kept by commit: the commit is checked out in a
 * temporary `git worktree`, the project's own `npm run build` (from that commit's package.json,
 * when it has one) runs there with the candidate's installed dependencies, and the built project
 * is moved into the cache; the worktree is removed at once, and on SIGINT/SIGTERM by the cleanup
 * registry. The baseline runs with the candidate's node_modules: a dependency upgrade is not what
 * this comparison measures.
 */
export async function prepareBaselineBuild(options: PrepareBaselineBuildOptions): Promise<PreparedBaselineBuild> {
  const root = resolve(options.root);
  const top = await gitTop(root);
  if (!top) throw new AccordError(ErrorCodes.BASELINE_BUILD_FAILED, `${root} is not in a git repository: no baseline build to make`);
  const sub = relative(top, root);
  const modules = await nearestNodeModules(root);
  const cacheDir = options.cacheDir ?? join(modules ?? join(tmpdir(), 'accord-node_modules'), '.cache', 'accord', 'baseline-builds');
  const built = join(cacheDir, options.commit);
  const started = Date.now();
  if (await exists(join(built, '.accord-built'))) return { commit: options.commit, projectRoot: join(built, sub), cached: true, buildMs: Date.now() - started };

  const worktree = await mkdtemp(join(tmpdir(), 'accord-baseline-'));
  // Aborted by a signal's teardown too: the build's whole process group goes before the worktree.
  const building = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, building.signal]) : building.signal;
  const remove = async () => {
    building.abort();
    await execa('git', ['-C', top, 'worktree', 'remove', '--force', worktree], { reject: false });
    await rm(worktree, { recursive: true, force: true });
    await execa('git', ['-C', top, 'worktree', 'prune'], { reject: false });
  };
  const unregister = onCleanup(`baseline worktree ${worktree}`, remove);
  try {
    await git(top, ['worktree', 'add', '--detach', '--force', worktree, options.commit], signal);
    const project = join(worktree, sub);
    // The candidate's installed dependencies, where the build and the services resolve them from.
    if (modules) await linkIfMissing(modules, join(worktree, relative(top, dirname(modules)), 'node_modules'));
    await build(project, signal);
    await mkdir(cacheDir, { recursive: true });
    const staging = `${built}.${process.pid}.tmp`;
    await rm(staging, { recursive: true, force: true });
    // The cache sits under node_modules/.cache, so the services resolve the same node_modules from it.
    // Only the project: a config names only files inside it.
    await cp(project, join(staging, sub), { recursive: true, filter: (source) => !/(^|\/)(\.git|node_modules)$/.test(source) });
    await writeStamp(join(staging, '.accord-built'), options.commit);
    await rename(staging, built).catch(async (error: NodeJS.ErrnoException) => {
      // Another run built the same commit first: theirs is as good as ours.
      await rm(staging, { recursive: true, force: true });
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    return { commit: options.commit, projectRoot: join(built, sub), cached: false, buildMs: Date.now() - started };
  } finally {
    unregister();
    await remove();
  }
}

async function build(project: string, signal: AbortSignal): Promise<void> {
  const manifest = await readFile(join(project, 'package.json'), 'utf8').catch(() => undefined);
  let scripts: Record<string, unknown>;
  try {
    scripts = manifest ? ((JSON.parse(manifest) as { scripts?: Record<string, unknown> }).scripts ?? {}) : {};
  } catch {
    throw new AccordError(ErrorCodes.BASELINE_BUILD_FAILED, `the baseline's package.json is not valid JSON: no build to run`);
  }
  if (typeof scripts.build !== 'string') return;
  signal.throwIfAborted();
  // Its own process group, so that an abort stops npm, its shell and the compiler alike.
  const child = execa('npm', ['run', 'build', '--silent'], { cwd: project, reject: false, all: true, detached: true });
  const stop = () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  signal.addEventListener('abort', stop, { once: true });
  const result = await child.finally(() => signal.removeEventListener('abort', stop));
  if (signal.aborted) throw new AccordError(ErrorCodes.INTERRUPTED, 'interrupted during the baseline build');
  if (result.exitCode !== 0) {
    const first = (result.all ?? '').split('\n').find((line) => line.trim() !== '') ?? `exit ${result.exitCode}`;
    throw new AccordError(ErrorCodes.BASELINE_BUILD_FAILED, `the baseline build (npm run build in the worktree) failed: ${first.trim()}`);
  }
}

async function git(top: string, args: string[], signal: AbortSignal | undefined): Promise<string> {
  const result = await execa('git', ['-C', top, ...args], { reject: false, ...(signal ? { cancelSignal: signal } : {}) });
  if (result.exitCode !== 0) throw new AccordError(ErrorCodes.BASELINE_BUILD_FAILED, `git ${args[0]} failed: ${(result.stderr || result.stdout).split('\n')[0]}`);
  return result.stdout.trim();
}

/** The repository's top directory, or undefined outside a git repository (or without git). */
async function gitTop(root: string): Promise<string | undefined> {
  const result = await execa('git', ['-C', root, 'rev-parse', '--show-toplevel'], { reject: false }).catch(() => undefined);
  return result?.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function commitOf(top: string, ref: string): Promise<string | undefined> {
  const result = await execa('git', ['-C', top, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function nearestNodeModules(from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    if (await exists(join(dir, 'node_modules'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return undefined;
  }
}

async function linkIfMissing(target: string, link: string): Promise<void> {
  if (await exists(link)) return;
  await mkdir(dirname(link), { recursive: true });
  await symlink(target, link, 'dir');
}

async function writeStamp(file: string, commit: string): Promise<void> {
  await writeFile(file, `${JSON.stringify({ commit, builtAt: new Date().toISOString() })}\n`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
