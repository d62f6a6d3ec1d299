import { expect } from 'chai';
import { DEFAULT_LIMITS, evaluateResourceLimits, summarizeResources } from '../../../src/load/index.js';
import type { ResourceRecording, ResourceSample } from '../../../src/load/index.js';

const sample = (t: number, overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  t,
  cpuMachinePercent: 10,
  cpuCorePercent: 20,
  rssBytes: 100e6,
  readBytesPerSecond: 0,
  writeBytesPerSecond: 1e6,
  processes: 1,
  ...overrides,
});

const recording = (samples: ResourceSample[], role: 'service' | 'backing' | 'generator' = 'service'): ResourceRecording => ({
  intervalMs: 1000,
  cpus: 2,
  machine: [],
  series: [{ name: 'service-a', pid: 1, role, samples }],
});

const sustain = { startMs: 2000, endMs: 5000 };

describe('resource gates', () => {
  it('averages CPU over the threshold stage and takes peaks for memory and disk', () => {
    const samples = [sample(1, { cpuMachinePercent: 90 }), sample(2), sample(3, { cpuMachinePercent: 30, writeBytesPerSecond: 5e6 }), sample(4, { cpuMachinePercent: 20 }), sample(5, { cpuMachinePercent: 10 }), sample(6, { rssBytes: 300e6 })];
    const [summary] = summarizeResources(recording(samples), sustain);
    // Samples at t=3,4,5 cover the seconds 2-5; the 90 % warm-up second is outside.
    expect(summary?.cpuMachineMeanPercent).to.equal(20);
    expect(summary?.cpuMachineMaxPercent).to.equal(90);
    expect(summary?.rssMaxBytes).to.equal(300e6);
    expect(summary?.diskMaxBytesPerSecond).to.equal(5e6);
  });

  it('passes within the limits and fails each limit that is exceeded', () => {
    const ok = evaluateResourceLimits(DEFAULT_LIMITS, summarizeResources(recording([sample(3), sample(4)]), sustain), 'sustain');
    expect(ok.map((check) => [check.id, check.ok])).to.deep.equal([
      ['resource.cpu.service-a', true],
      ['resource.memory.service-a', true],
      ['resource.disk.service-a', true],
    ]);
    const hot = [sample(3, { cpuMachinePercent: 95, rssBytes: 3e9, writeBytesPerSecond: 80e6 })];
    const failed = evaluateResourceLimits(DEFAULT_LIMITS, summarizeResources(recording(hot), sustain), 'sustain');
    expect(failed.every((check) => !check.ok)).to.equal(true);
  });

  it('fails the memory limit when it is set below the RSS', () => {
    const checks = evaluateResourceLimits({ ...DEFAULT_LIMITS, memoryBytes: 50e6 }, summarizeResources(recording([sample(3)]), sustain), 'sustain');
    expect(checks.find((check) => check.id === 'resource.memory.service-a')?.ok).to.equal(false);
  });

  it('gates CPU as a share of one core when asked', () => {
    const checks = evaluateResourceLimits({ ...DEFAULT_LIMITS, cpuOf: 'core', cpuPercent: 15 }, summarizeResources(recording([sample(3)]), sustain), 'sustain');
    expect(checks.find((check) => check.id === 'resource.cpu.service-a')).to.include({ actual: 20, ok: false });
  });

  it('fails a process that yielded no sample, and never gates the generator', () => {
    expect(evaluateResourceLimits(DEFAULT_LIMITS, summarizeResources(recording([]), sustain), 'sustain').every((check) => !check.ok)).to.equal(true);
    expect(evaluateResourceLimits(DEFAULT_LIMITS, summarizeResources(recording([sample(3, { rssBytes: 9e9 })], 'generator'), sustain), 'sustain')).to.deep.equal([]);
  });
});
