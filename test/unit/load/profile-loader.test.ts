import { EXAMPLE_ROOT } from '../../support/accord.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { describeProfile, isProfileFile, listProfiles, loadProfile, profileDurationMs, targetRateOf } from '../../../src/load/index.js';

const fixtures = 'test/fixtures/load';

async function problemsOf(work: () => Promise<unknown>): Promise<{ code: string; message: string; details: string }> {
  try {
    await work();
  } catch (error) {
    if (!isAccordError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details ?? '' };
  }
  throw new Error('expected the profile to be rejected');
}

// The A/B rounds' policy when load.yaml leaves it out: up to 6 pairs of 5 s rounds, a ±15 % band (±50 % for the tails).
const AB_DEFAULTS = { rounds: 6, minRounds: 3, roundMs: 5000, pairedTolerance: 0.15, pairedTailTolerance: 0.5 };

describe('loadProfile', () => {
  it('loads the smoke profile: ~30 s, ramp-up / sustain / ramp-down, the seed thresholds and 500/s target', async () => {
    const smoke = await loadProfile('smoke', { cwd: EXAMPLE_ROOT });
    expect(smoke.stages.map((stage) => stage.name)).to.deep.equal(['ramp-up', 'sustain', 'ramp-down']);
    expect(profileDurationMs(smoke)).to.be.within(25_000, 35_000);
    expect(smoke.stages.map((stage) => stage.target)).to.deep.equal([200, 200, 0]);
    expect(targetRateOf(smoke)).to.equal(500);
    expect(smoke.thresholds).to.include({ stage: 'sustain', p50Ms: 100, p95Ms: 500, p99Ms: 1000, minRate: 100, maxErrorRate: 0.001 });
    expect(smoke.limits).to.include({ cpuPercent: 80, memoryBytes: 2e9, diskBytesPerSecond: 50e6 });
    expect(smoke.baseline).to.deep.equal({ tolerance: 1, minDeltaMs: 25, medianTolerance: 1, medianMinDeltaMs: 0.5, cpuShareTolerance: 0.15, ...AB_DEFAULTS });
    expect(smoke.mix.map((request) => request.name)).to.deep.equal(['POST /orders', 'GET /orders/{id}', 'DELETE /orders/{id}']);
    expect(smoke.data.sku).to.have.length(64);
    expect(smoke.seedSql).to.include('INSERT INTO items');
    expect(smoke.warmupRequests).to.equal(200);
  });

  it('loads the full profile: 5 min ramp-up, 15 min sustain, 5 min ramp-down at 500/s', async () => {
    const full = await loadProfile('full', { cwd: EXAMPLE_ROOT });
    expect(full.stages).to.deep.equal([
      { name: 'ramp-up', durationMs: 300_000, target: 500 },
      { name: 'sustain', durationMs: 900_000, target: 500 },
      { name: 'ramp-down', durationMs: 300_000, target: 0 },
    ]);
    expect(full.baseline).to.deep.equal({ tolerance: 0.25, minDeltaMs: 5, medianTolerance: 0.15, medianMinDeltaMs: 0.5, cpuShareTolerance: 0.15, ...AB_DEFAULTS });
  });

  it('lists the profiles of load.yaml', async () => {
    expect(await listProfiles({ cwd: EXAMPLE_ROOT })).to.deep.equal(['smoke', 'full']);
  });

  it('rejects an unknown profile naming the known ones', async () => {
    const error = await problemsOf(() => loadProfile('soak', { cwd: EXAMPLE_ROOT }));
    expect(error.code).to.equal('ACCORD_PROFILE_UNKNOWN');
    expect(error.message).to.equal('unknown load profile "soak": expected one of smoke, full (from config/integration/load.yaml) or a path to a profile YAML file');
  });

  it('lists every problem of a malformed load.yaml with file:line, schema and meaning alike', async () => {
    const error = await problemsOf(() => loadProfile('smoke', { configDir: `${fixtures}/malformed-profile` }));
    expect(error.code).to.equal('ACCORD_PROFILE_INVALID');
    expect(error.message).to.equal('test/fixtures/load/malformed-profile/load.yaml has 11 problems:');
    const file = 'test/fixtures/load/malformed-profile/load.yaml';
    for (const expected of [
      `${file}:3: defaults.connections: expected a whole number of connections from 1 to 10000, got "many" (string)`,
      `${file}:5: defaults.thresholds.p99: expected a latency like 100ms or 1s`,
      `${file}:9: profiles.smoke.stages[0].duration: expected a duration like 250ms, 30s, 5m or 1m30s, got "10 seconds" (string)`,
      `${file}:10: profiles.smoke.stages[1].target: expected an arrival rate in requests per second (>= 0, at most 100000), got -5 (number)`,
      `${file}:10: profiles.smoke.stages[1].duration: expected a duration above 0, got "0s"`,
      `${file}:12: profiles.smoke.mix[0].method: expected one of "GET"`,
      `${file}:13: profiles.smoke.mix[0].path: expected a path starting with /, got "orders" (string)`,
      `${file}:14: profiles.smoke.trheshold: unknown key (did you mean "thresholds"?)`,
      `${file}:17: profiles.broken.stages: thresholds are evaluated over stage "sustain", which profile "broken" does not have (stages: warm)`,
      `${file}:19: profiles.broken.mix[0]: placeholder {{take:orders}} reads pool "orders", but no request captures it`,
      `${file}:21: profiles.broken.mix[1]: unknown placeholder {{sku}}`,
    ]) {
      expect(error.details).to.include(expected);
    }
  });

  it('loads a profile file, filling the seed defaults', async () => {
    expect(isProfileFile(`${fixtures}/tiny-profile/profile.yaml`)).to.equal(true);
    expect(isProfileFile('smoke')).to.equal(false);
    const tiny = await loadProfile(`${fixtures}/tiny-profile/profile.yaml`);
    expect(tiny.name).to.equal('profile');
    expect(tiny.stages).to.have.length(3);
    expect(tiny.thresholds).to.include({ stage: 'sustain', p99Ms: 1000, minRate: 50, targetRate: 100 });
    expect(tiny.mix[0]).to.deep.include({ name: 'POST /things', weight: 2, expect: [201], capture: { things: 'id' } });
    expect(tiny.mix[1]?.name).to.equal('GET /things/{id}');
    expect(tiny.connections).to.equal(64);
  });

  it('lists every problem of a malformed profile file', async () => {
    const error = await problemsOf(() => loadProfile(`${fixtures}/malformed-profile-file/profile.yaml`));
    expect(error.code).to.equal('ACCORD_PROFILE_INVALID');
    expect(error.details).to.include('profile.yaml:6: mix[0].weight: expected a positive weight, got 0 (number)');
    expect(error.details).to.include('profile.yaml:8: limits.memory: expected a size like 2GB');
  });

  it("a profile file inherits load.yaml's defaults (mix, seed, thresholds) like a named profile, and says where each value came from", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-profile-'));
    try {
      const file = join(dir, 'stages-only.yaml');
      await writeFile(file, 'stages:\n  - { name: sustain, duration: 2s, target: 10 }\nthresholds:\n  p95: 250ms\n');
      const profile = await loadProfile(file, { cwd: EXAMPLE_ROOT });
      const smoke = await loadProfile('smoke', { cwd: EXAMPLE_ROOT });
      expect(profile.mix).to.deep.equal(smoke.mix);
      expect(profile.seedSql).to.equal(smoke.seedSql);
      expect(profile.data).to.deep.equal(smoke.data);
      expect(profile.thresholds).to.include({ p95Ms: 250, p99Ms: 1000, targetRate: 500 });
      const from = Object.fromEntries(describeProfile(profile).map((entry) => [entry.key, entry.from]));
      expect(from).to.include({
        stages: relative(EXAMPLE_ROOT, file),
        'thresholds.p95': relative(EXAMPLE_ROOT, file),
        mix: 'config/integration/load.yaml defaults',
        seed: 'config/integration/load.yaml defaults',
        'thresholds.p99': 'config/integration/load.yaml defaults',
        startRate: 'built-in default',
      });

      // Without a load.yaml there is nothing to inherit: the built-in defaults, and no mix is an error.
      const empty = join(dir, 'config');
      const error = await problemsOf(() => loadProfile(file, { configDir: empty }));
      expect(error.code).to.equal('ACCORD_PROFILE_INVALID');
      expect(error.message).to.include('has no `mix` (neither its own nor from `defaults`)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when a profile file does not exist', async () => {
    const error = await problemsOf(() => loadProfile(`${fixtures}/nowhere/profile.yaml`));
    expect(error.code).to.equal('ACCORD_FILE_NOT_FOUND');
    expect(error.message).to.include('load profile file test/fixtures/load/nowhere/profile.yaml not found');
  });
});
