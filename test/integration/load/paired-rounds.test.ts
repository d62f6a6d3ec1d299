import { expect } from 'chai';
import type { StartedEnvironment } from '../../../src/env/index.js';
import { loadProfile, runLoad, runPairedRounds } from '../../../src/load/index.js';
import type { LoadProfile, PairedComparison } from '../../../src/load/index.js';
import { pairedChecks } from '../../../src/load/paired-step.js';
import { startFixtureServer } from '../../fixtures/load/start-server.js';
import type { FixtureServer } from '../../fixtures/load/start-server.js';

// The A/B rounds against two real server processes, one answering 20 ms later than the other:
// a slower candidate is a regression, a faster one an improvement, never the other way round.
// (The builds' environments are stand-ins: each round drives its server directly.)

describe('paired A/B rounds against fixture servers', function () {
  this.timeout(120_000);
  let fast: FixtureServer;
  let slow: FixtureServer;
  let profile: LoadProfile;

  before(async () => {
    [fast, slow] = await Promise.all([startFixtureServer(), startFixtureServer(['--delay', '20'])]);
    const tiny = await loadProfile('test/fixtures/load/tiny-profile/profile.yaml');
    profile = { ...tiny, thresholds: { ...tiny.thresholds, stage: 'sustain' }, baseline: { ...tiny.baseline, rounds: 4, minRounds: 3, roundMs: 1500 } };
  });
  after(async () => {
    await Promise.all([fast, slow].map((server) => server.stop()));
  });

  /** Runs the sitting with `baseline` and `candidate` as the two builds' servers. */
  async function sitting(baseline: FixtureServer, candidate: FixtureServer): Promise<PairedComparison> {
    const as = (server: FixtureServer) => ({ server }) as unknown as StartedEnvironment;
    const resets: string[] = [];
    const comparison = await runPairedRounds({
      profile,
      baseline: as(baseline),
      candidate: as(candidate),
      resetData: async (environment) => {
        resets.push((environment as unknown as { server: FixtureServer }).server.url);
      },
      runRound: (environment, round) => {
        const { server } = environment as unknown as { server: FixtureServer };
        return runLoad({ profile: round, target: server.url, resources: [{ name: 'fixture', pid: server.pid, role: 'service' }] });
      },
    });
    expect(resets).to.have.length(comparison.rounds.length);
    return comparison;
  }

  it('calls a candidate 20 ms slower per request a regression of its median, and fails its check', async () => {
    const comparison = await sitting(fast, slow);
    const p50 = comparison.verdict.measures.find((measure) => measure.id === 'round.p50');
    expect(p50?.outcome).to.equal('regression');
    expect(p50?.low).to.be.greaterThan(1.15);
    expect(comparison.verdict.outcome).to.equal('regression');
    expect(pairedChecks(comparison, 'fast').find((check) => check.id === 'ab.round.p50')?.status).to.equal('fail');
  });

  it('calls the same 20 ms gained an improvement, never a regression', async () => {
    const comparison = await sitting(slow, fast);
    const p50 = comparison.verdict.measures.find((measure) => measure.id === 'round.p50');
    expect(p50?.outcome).to.equal('improvement');
    expect(p50?.high).to.be.lessThan(1 / 1.15);
    expect(pairedChecks(comparison, 'slow').find((check) => check.id === 'ab.round.p50')?.status).to.equal('pass');
  });
});
