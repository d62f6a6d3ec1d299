import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { DEFAULT_LIMITS, evaluateResourceLimits, memoryGrowth, summarizeResources } from '../../../src/load/index.js';
import type { ResourceSample } from '../../../src/load/index.js';
import { parseSmapsRollupPss, readProcMemory, readProcStat } from '../../../src/load/proc-stats.js';
import { startResourceSampler, treeMemory } from '../../../src/load/resource-sampler.js';

const ROLLUP = `56450b7bd000-7ffccaf31000 ---p 00000000 00:00 0                          [rollup]
Rss:              162000 kB
Pss:               41000 kB
Pss_Anon:          30000 kB
Shared_Clean:     120000 kB
`;

const sample = (t: number, memoryBytes: number, overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  t,
  cpuMachinePercent: 10,
  cpuCorePercent: 20,
  rssBytes: memoryBytes * 4,
  memoryBytes,
  memoryOf: 'pss',
  readBytesPerSecond: 0,
  writeBytesPerSecond: 0,
  processes: 5,
  ...overrides,
});

describe('memory counted once (PSS)', () => {
  it('reads Pss from smaps_rollup, and falls back to the RSS it is given where the file cannot be read', async () => {
    expect(parseSmapsRollupPss(ROLLUP)).to.equal(41000 * 1024);
    expect(parseSmapsRollupPss('Rss: 12 kB\n')).to.equal(undefined);
    expect(await readProcMemory(7, 999, async () => ROLLUP)).to.deep.equal({ bytes: 41000 * 1024, of: 'pss' });
    const denied = async (): Promise<string> => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(await readProcMemory(7, 999, denied)).to.deep.equal({ bytes: 999, of: 'rss' });
  });

  it('sums a tree and says when part of it is RSS', () => {
    expect(treeMemory([{ bytes: 10, of: 'pss' }, { bytes: 5, of: 'pss' }])).to.deep.equal({ bytes: 15, of: 'pss' });
    expect(treeMemory([{ bytes: 10, of: 'pss' }, { bytes: 5, of: 'rss' }])).to.deep.equal({ bytes: 15, of: 'mixed' });
    expect(treeMemory([{ bytes: 5, of: 'rss' }])).to.deep.equal({ bytes: 5, of: 'rss' });
  });

  it('gates the PSS peak, not the RSS sum, and names which it gated', () => {
    // The seed's full pass: 2.9 GB of RSS summed over Postgres's backends is far less once shared buffers count once.
    const recording = { intervalMs: 1000, cpus: 2, machine: [], series: [{ name: 'postgres', pid: 1, role: 'backing' as const, samples: [sample(3, 700e6), sample(4, 720e6, { rssBytes: 2.9e9 })] }] };
    const summaries = summarizeResources(recording, { startMs: 2000, endMs: 5000 });
    expect(summaries[0]).to.include({ memoryMaxBytes: 720e6, rssMaxBytes: 2.9e9, memoryOf: 'pss' });
    const check = evaluateResourceLimits(DEFAULT_LIMITS, summaries, 'sustain').find((c) => c.id === 'resource.memory.postgres');
    expect(check).to.include({ ok: true, actual: 720e6, description: 'postgres PSS < 2.00 GB' });
    const legacy = { ...recording, series: [{ ...recording.series[0], samples: [{ t: 3, cpuMachinePercent: 1, cpuCorePercent: 2, rssBytes: 2.9e9, readBytesPerSecond: 0, writeBytesPerSecond: 0, processes: 5 }] }] } as typeof recording;
    const old = evaluateResourceLimits(DEFAULT_LIMITS, summarizeResources(legacy, { startMs: 2000, endMs: 5000 }), 'sustain').find((c) => c.id === 'resource.memory.postgres');
    expect(old).to.include({ ok: false, description: 'postgres RSS < 2.00 GB' });
  });

  it('tells a leak (a slope to the end) from a cache (a plateau) and from flat memory', () => {
    const points = (f: (t: number) => number) => Array.from({ length: 60 }, (_, t) => ({ t, bytes: f(t) }));
    expect(memoryGrowth(points((t) => 100e6 + t * 1e6)).trend).to.equal('growing');
    expect(memoryGrowth(points((t) => 100e6 + Math.min(t, 15) * 2e6)).trend).to.equal('plateau');
    expect(memoryGrowth(points((t) => 100e6 + (t % 2) * 0.2e6)).trend).to.equal('flat');
    const leak = memoryGrowth(points((t) => 100e6 + t * 1e6));
    expect(leak.growthBytes).to.equal(59e6);
    expect(leak.slopeBytesPerMinute).to.equal(60e6);
    expect(memoryGrowth([{ t: 0, bytes: 5 }]).trend).to.equal('flat');
  });

  it('measures a live process tree: PSS of a parent and its child stays below their RSS sum', async function () {
    this.timeout(20_000);
    // A parent and its child share pages (node's code and libraries), which a sum of RSS counts twice.
    // The tree is a child of ours, not mocha itself, whose other children come and go during a run.
    const parent = spawn(process.execPath, ['-e', "require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)"], { stdio: 'ignore', detached: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sampler = await startResourceSampler([{ name: 'tree', pid: parent.pid as number, role: 'service' }], { intervalMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 700));
      const recording = await sampler.stop();
      const last = recording.series[0]?.samples.at(-1);
      expect(last?.processes).to.equal(2);
      expect(last?.memoryOf).to.equal('pss');
      expect(last?.memoryBytes).to.be.greaterThan(5e6);
      expect(last?.memoryBytes).to.be.lessThan(last?.rssBytes ?? 0);
      const own = await readProcMemory(process.pid, (await readProcStat(process.pid))?.rssBytes ?? 0);
      expect(own.of).to.equal('pss');
    } finally {
      process.kill(-(parent.pid as number), 'SIGKILL');
      await once(parent, 'exit');
    }
  });
});
