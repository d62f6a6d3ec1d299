import { expect } from 'chai';
import { toVerifyStep } from '../../../src/pact/index.js';
import type { VerifyResult } from '../../../src/pact/index.js';

const RESULT: VerifyResult = {
  ok: false,
  provider: 'service-b',
  interactions: [
    { description: 'a request for an item', providerStates: ['an item exists'], ok: true, mismatches: [], consumer: 'service-a', stateSetupMs: 3 },
    { description: 'a reservation', providerStates: [], ok: false, mismatches: [{ attribute: 'body', location: '$.stock', message: 'Expected a number' }], consumer: 'service-a', stateSetupMs: 2 },
  ],
  verifierOutput: '',
  published: undefined,
  timings: { verifyMs: 1500 },
};

describe('toVerifyStep', () => {
  it('one check per interaction; a mismatch fails it with where and what', () => {
    const step = toVerifyStep(RESULT, { pactFiles: ['examples/orders/pacts/service-a-service-b.json'] });
    expect(step).to.include({ id: 'verify', status: 'fail', durationMs: 1500 });
    expect(step.checks.map((check) => check.status)).to.deep.equal(['pass', 'fail']);
    expect(step.checks[1]?.message).to.equal('body $.stock: Expected a number');
    expect(step.evidence).to.deep.equal([{ label: 'pact', href: 'examples/orders/pacts/service-a-service-b.json' }]);
  });

  it('a verification of no interaction fails (nothing verified proves nothing)', () => {
    expect(toVerifyStep({ ...RESULT, ok: true, interactions: [] }).status).to.equal('fail');
  });
});
