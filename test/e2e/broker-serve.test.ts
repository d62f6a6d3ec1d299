import { chmod, mkdtemp, rm } from 'node:fs/promises';
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
