import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { ACCORD, REPO, accord, serveBroker } from './broker-support.js';

// `accord broker serve` on its default storage: an embedded PostgreSQL whose data dir persists.
describe('accord broker serve (persistent embedded storage)', function () {
  this.timeout(180_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-broker-serve-'));
    // The embedded server runs as `postgres` when we are root: it must reach its data dir.
    await chmod(dir, 0o755);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its state across a restart', async () => {
    const dataDir = join(dir, 'pgdata');
    const first = await serveBroker({ dataDir });
    try {
      const created = await accord(first.url, ['create-environment', '--name', 'uat']);
      expect(created.exitCode, created.all).to.equal(0);
    } finally {
      await first.stop();
    }
    const second = await serveBroker({ dataDir });
    try {
      const again = await accord(second.url, ['create-environment', '--name', 'uat']);
      expect(again.exitCode).to.equal(2);
      expect(again.stderr).to.include("Another environment with name 'uat' already exists");
    } finally {
      await second.stop();
    }
  });

  it('after a kill -9, the next broker serve stops the orphaned PostgreSQL of its data dir and starts, state kept', async () => {
    const dataDir = join(dir, 'pgdata-killed');
    const first = await serveBroker({ dataDir });
    const created = await accord(first.url, ['create-environment', '--name', 'uat']);
    expect(created.exitCode, created.all).to.equal(0);
    await first.kill9();
    // Nothing cleaned up after SIGKILL: the embedded PostgreSQL lives on, holding the data dir.
    const orphan = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    expect(orphan, 'the orphaned postmaster').to.be.above(0);
    const second = await serveBroker({ dataDir });
    try {
      // Gone, or a zombie nobody reaps (a container's init may not): either way no longer running.
      const state = (await readFile(`/proc/${orphan}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0];
      expect(state === undefined || state === 'Z', `the orphan was stopped (state ${state})`).to.equal(true);
      const again = await accord(second.url, ['create-environment', '--name', 'uat']);
      expect(again.exitCode).to.equal(2);
      expect(again.stderr).to.include("Another environment with name 'uat' already exists");
    } finally {
      await second.stop();
    }
  });

  it('refuses to start without a read-write token, saying which variable to set', async () => {
    const result = await execa('node', [ACCORD, 'broker', 'serve', '--port', '0', '--data-dir', join(dir, 'unused')], {
      cwd: REPO,
      reject: false,
      env: { ACCORD_BROKER_READ_WRITE_TOKEN: '', ACCORD_BROKER_READ_ONLY_TOKEN: '' },
    });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.include('the broker needs a read-write token: set ACCORD_BROKER_READ_WRITE_TOKEN');
  });
});
