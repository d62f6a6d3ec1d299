import { expect } from 'chai';
import { buildChecklist } from '../../../src/gate/index.js';
import { recordedBaselineCheck } from '../../../src/load/index.js';
import { describeBaseline } from '../../../src/load/paired-step.js';
import type { Check, GateStep } from '../../../src/report/model.js';

const BUILD = 'build of merge-base(HEAD, main) (9778c9a2102d, from the merge base with the main branch), measured beside the candidate in alternating rounds';

/** A load step weighed against a baseline build: thresholds, one A/B measure and the rounds' check. */
function loadStep(ab: Check['status']): GateStep {
  const check = (id: string, status: Check['status'] = 'pass'): Check => ({ id, name: id, status, message: `${id}: ${status}` });
  return {
    id: 'load',
    title: 'load',
    status: ab === 'fail' ? 'fail' : ab,
    durationMs: 1,
    checks: [check('latency.p99'), check('rate.min'), check('errors.rate'), check('resource.memory.postgres'), check('ab.round.p50', ab), check('ab.rounds')],
    evidence: [],
    details: { baseline: 'none', baselineBuild: BUILD },
  };
}

const item = (step: GateStep, name: string) => buildChecklist({ steps: [step], scenarios: [] }).find((entry) => entry.item === name);

describe('gate checklist with a baseline build (A/B rounds)', () => {
  it('ticks "No regression" only when every A/B measure was decided within the band, and names the build as the documented baseline', () => {
    expect(item(loadStep('pass'), 'No regression from baseline')?.ok).to.equal(true);
    expect(item(loadStep('pass'), 'Performance baseline documented')).to.include({ ok: true, reason: `the run was compared with ${BUILD}` });
  });

  it('crosses "No regression" on a regression and on an inconclusive measure, which is never a pass', () => {
    expect(item(loadStep('fail'), 'No regression from baseline')).to.include({ ok: false, reason: 'ab.round.p50: fail' });
    expect(item(loadStep('warn'), 'No regression from baseline')).to.include({ ok: false, reason: 'ab.round.p50: warn' });
  });
});

describe('which baseline the load verdict names', () => {
  it('says a build by its ref, commit and where the ref came from, and a recorded file with why no build was used', () => {
    const commit = '9778c9a2102d0a1b2c3d4e5f60718293a4b5c6d7';
    expect(describeBaseline({ kind: 'build', ref: 'merge-base(HEAD, main)', commit, why: 'merge-base' }, { commit, projectRoot: '/cache', cached: false, buildMs: 12_340 })).to.equal(
      'build of merge-base(HEAD, main) (9778c9a2102d, from the merge base with the main branch, built in 12.3 s), measured beside the candidate in alternating rounds',
    );
    expect(describeBaseline({ kind: 'build', ref: 'v1.2.0', commit, why: 'option' }, { commit, projectRoot: '/cache', cached: true, buildMs: 3 })).to.include('(9778c9a2102d, from --baseline-ref, build cached)');
    expect(recordedBaselineCheck({ kind: 'recorded', why: 'not a git repository' }, 'docs/performance-baseline.json')).to.include({
      id: 'baseline.kind',
      status: 'pass',
      message: 'recorded baseline docs/performance-baseline.json (not a git repository)',
    });
  });
});
