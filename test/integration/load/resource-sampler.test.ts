import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { startResourceSampler } from '../../../src/load/index.js';
import { REPO_ROOT } from '../../support/accord.js';

// Real processes, real /proc: a CPU burner whose work happens in a child (so only the tree sees
// it) and a writer that fsyncs 24 MB (so /proc/<pid>/io write_bytes moves).
const BURN_IN_CHILD = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 2500; while (Date.now() < end);'], { stdio: 'inherit' });
child.on('exit', () => setTimeout(() => process.exit(0), 800));
`;
const WRITE = (file: string) => `
const fs = require('node:fs');
setTimeout(() => {
  const fd = fs.openSync(${JSON.stringify(file)}, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  for (let i = 0; i < 24; i++) fs.writeSync(fd, chunk);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  setTimeout(() => process.exit(0), 1500);
}, 1200);
`;

describe('startResourceSampler against real processes', function () {
  this.timeout(20_000);
  let dir: string;
  before(async () => {
    // On disk, not in TMPDIR: npm test's TMPDIR may be a tmpfs, where writes are no disk writes.
    await mkdir(join(REPO_ROOT, 'reports'), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, 'reports', 'accord-sampler-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts the CPU of a process tree, RSS and disk writes per second', async () => {
    const burner = execa('node', ['-e', BURN_IN_CHILD]);
    const writer = execa('node', ['-e', WRITE(join(dir, 'blob'))]);
    const sampler = await startResourceSampler(
      [
        { name: 'burner', pid: burner.pid as number, role: 'service' },
        { name: 'burner-alone', pid: burner.pid as number, role: 'service', includeChildren: false },
        { name: 'writer', pid: writer.pid as number, role: 'backing' },
      ],
      { intervalMs: 500 },
    );
    await Promise.all([burner, writer]);
    const recording = await sampler.stop();
    const [tree, alone, written] = recording.series;
    expect(recording.cpus).to.be.at.least(1);
    const cpuSeconds = (samples: readonly { cpuCorePercent: number }[] = []) => samples.reduce((sum, sample) => sum + (sample.cpuCorePercent / 100) * 0.5, 0);
    expect(Math.max(...(tree?.samples ?? []).map((sample) => sample.processes))).to.equal(2);
    // The child spins for 2.5 s of wall time; even on a contended machine it gets a good part of
    // that (measured 0.5-2.4 s here), and only the tree (not the parent alone) sees it.
    expect(cpuSeconds(tree?.samples) - cpuSeconds(alone?.samples)).to.be.greaterThan(0.25);
    expect(tree?.samples[0]?.cpuMachinePercent).to.be.closeTo((tree?.samples[0]?.cpuCorePercent ?? 0) / recording.cpus, 0.01);
    expect(Math.max(...(written?.samples ?? []).map((sample) => sample.rssBytes))).to.be.greaterThan(5e6);
    // Rates are per interval; under load an interval runs longer than 500 ms, so weigh by its length.
    // The first interval's start is the sampler's first /proc scan, which t does not show (t = 0 is
    // the origin, just before that scan): the writer waits 1.2 s, so its bytes fall in later intervals.
    const bytesWritten = (written?.samples ?? []).reduce((sum, sample, index, all) => sum + sample.writeBytesPerSecond * (sample.t - (all[index - 1]?.t ?? 0)), 0);
    // 24 MiB (25.2 MB) were written; interval edges on a busy machine blur the weighting by ~25 %.
    expect(bytesWritten).to.be.within(18e6, 33e6);
  });

  it('stops cleanly when a target is gone from the start', async () => {
    const gone = execa('node', ['-e', '0']);
    await gone;
    const sampler = await startResourceSampler([{ name: 'gone', pid: gone.pid as number, role: 'service' }], { intervalMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const recording = await sampler.stop();
    expect(recording.series[0]?.samples).to.deep.equal([]);
  });
});
