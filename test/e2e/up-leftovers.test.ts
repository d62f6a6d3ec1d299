import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { ACCORD, cleanEnv, leftovers, privateTmpdir, removeDir, runAccord, upWorkspace } from './up-support.js';

// What `accord up` leaves when it cannot start (a bad seed file) or is killed outright
// (`kill -9`, then `accord down`): nothing, in both cases. Each run has a private TMPDIR.

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('accord up leaves nothing behind: a bad --seed, a kill -9 then down', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });

  it('--seed missing.sql: one line naming the file, exit 2, before anything starts', async () => {
    const ws = await upWorkspace();
    const tmp = await privateTmpdir();
    dirs.push(ws, tmp);
    const started = Date.now();
    const result = await runAccord(['up', '--free-ports', '--config', 'config', '--seed', 'missing.sql'], { cwd: ws, env: { TMPDIR: tmp } });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.deep.equal(['accord: cannot read the seed file missing.sql: ENOENT (pass --no-seed to start empty)']);
    // Nothing was started: no progress line, no temp dir, no process.
    expect(await leftovers(tmp)).to.deep.equal({ processes: [], files: [] });
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('kill -9 of a running up, then accord down: its processes and temp dirs are gone', async () => {
    const ws = await upWorkspace();
    const tmp = await privateTmpdir();
    dirs.push(ws, tmp);
    const up = execa(process.execPath, [ACCORD, 'up', '--free-ports', '--config', 'config', '--no-seed'], { cwd: ws, env: { ...cleanEnv(), TMPDIR: tmp }, extendEnv: false, reject: false });
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      up.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/ready in \d+ ms/.test(stdout)) resolve();
      });
      void up.then((result) => reject(new Error(`accord up exited (${result.exitCode}) before it was ready:\n${result.stderr}`)));
    });
    const before = await leftovers(tmp);
    expect(before.files.filter((name) => /^accord-(pg|redis)-/.test(name))).to.have.length(2);
    up.kill('SIGKILL');
    await up;
    // The dead up's children are still there.
    expect((await leftovers(tmp)).processes).to.not.deep.equal([]);

    const down = await runAccord(['down'], { cwd: ws, env: { TMPDIR: tmp } });
    expect(down.exitCode, down.stderr).to.equal(0);
    expect(down.stdout).to.match(/killed postgres \(pid \d+\)/);
    expect(down.stdout).to.match(/removed \S+accord-pg-\S+ left behind/);
    expect(down.stdout).to.match(/removed \S+accord-redis-\S+ left behind/);
    let rest = await leftovers(tmp);
    for (let tries = 0; rest.processes.length > 0 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rest = await leftovers(tmp);
    }
    expect(rest).to.deep.equal({ processes: [], files: [] });
    expect(await exists(join(ws, '.accord/up.json'))).to.equal(false);
  });
});
