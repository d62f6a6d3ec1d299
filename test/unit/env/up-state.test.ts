import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { isAlive, readUpState, stopUp, UP_STATE_FILE } from '../../../src/env/index.js';
import type { UpState } from '../../../src/env/index.js';

// `accord down`'s side: reading the state file `accord up` left, and cleaning up after an `up` that died.

describe('up state and stopUp', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'accord-up-state-'));
    await mkdir(join(root, '.accord'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const writeState = (state: UpState) => writeFile(join(root, UP_STATE_FILE), JSON.stringify(state));
  const exists = (path: string) => stat(path).then(() => true, () => false);

  it('has nothing to stop without a state file, or with an unreadable one', async () => {
    expect(await stopUp(root)).to.include({ stopped: false, forced: false });
    await writeFile(join(root, UP_STATE_FILE), 'not json');
    expect(await readUpState(root)).to.equal(undefined);
  });

  it('kills the processes an `up` that died without cleaning up left behind, and removes its state file', async () => {
    const orphan = execa(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { reject: false });
    await new Promise((resolve) => orphan.once('spawn', resolve));
    const pid = orphan.pid ?? 0;
    // The `up` itself is gone: a PID that cannot exist.
    await writeState({ pid: 2 ** 22 + 1, startedAt: new Date().toISOString(), databaseName: 'accord_x', urls: {}, processes: [{ name: 'service-b', pid, command: 'node' }] });

    const result = await stopUp(root);
    expect(result.stopped).to.equal(false);
    expect(result.orphans).to.deep.equal([{ name: 'service-b', pid, command: 'node' }]);
    expect((await orphan).signal).to.equal('SIGKILL');
    expect(isAlive(pid)).to.equal(false);
    expect(await exists(join(root, UP_STATE_FILE))).to.equal(false);
  });

  it('never signals a recorded PID that now belongs to another program', async () => {
    const other = execa(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { reject: false });
    await new Promise((resolve) => other.once('spawn', resolve));
    try {
      await writeState({ pid: 2 ** 22 + 1, startedAt: '', databaseName: 'accord_x', urls: {}, processes: [{ name: 'redis', pid: other.pid ?? 0, command: 'redis-server' }] });
      expect((await stopUp(root)).orphans).to.deep.equal([]);
      expect(isAlive(other.pid ?? 0)).to.equal(true);
    } finally {
      other.kill('SIGKILL');
      await other;
    }
  });
});
