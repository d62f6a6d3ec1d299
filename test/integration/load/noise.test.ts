import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { execa } from 'execa';
import { readProcStat } from '../../../src/load/proc-stats.js';

const NOISE = 'scripts/noise.mjs';

// A zombie has exited: it waits only for the container's init to reap it.
const alive = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/\) Z /.test(stat);
};

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await delay(100);
  }
  return condition();
}

describe('scripts/noise.mjs', function () {
  this.timeout(30_000);

  it('keeps one CPU busy and stops by itself after --seconds', async () => {
    const run = execa('node', [NOISE, '--cpus', '1', '--seconds', '3', '--busy-loop'], { reject: false });
    const pid = run.pid as number;
    await delay(800);
    const before = await readProcStat(pid);
    await delay(1000);
    const after = await readProcStat(pid);
    // Ticks are 1/100 s: one busy core over one second is about 100 on an idle machine; shared with
    // a load average of 8 on two cores it still gets a fair share, far above an idle process's 0-1.
    expect((after?.ownTicks ?? 0) - (before?.ownTicks ?? 0)).to.be.greaterThan(15);
    const result = await run;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.match(/^noise: 1 CPU busy \(busy-loop\), pid \d+$/);
  });

  it('dies with its parent', async () => {
    // The parent starts the tool, prints its pid and exits without stopping it.
    const parent = await execa('node', ['-e', `const c = require('node:child_process').spawn(process.execPath, ['${NOISE}', '--cpus', '1', '--busy-loop'], { stdio: 'ignore', detached: true }); console.log(c.pid); setTimeout(() => process.exit(0), 500);`]);
    const pid = Number(parent.stdout.trim());
    expect(pid).to.be.greaterThan(0);
    const gone = await until(async () => !(await alive(pid)), 5000);
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).to.equal(true);
  });

  it('refuses a CPU count the machine does not have, in one line with exit 2', async () => {
    const result = await execa('node', [NOISE, '--cpus', '999'], { reject: false });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.match(/^noise: --cpus must be a whole number from 1 to \d+, got 999/);
  });
});
