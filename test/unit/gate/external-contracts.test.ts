import { relative, resolve } from 'node:path';
import { EXAMPLE_ROOT, REPO_ROOT } from '../../support/accord.js';
import { expect } from 'chai';
import { checkExternalPoint } from '../../../src/gate/external-contracts-step.js';
import { buildChecklist } from '../../../src/gate/index.js';
import type { Check, GateStep } from '../../../src/report/model.js';
import { statusOf } from '../../../src/report/model.js';

// Recordings the payments stub wrote (accord stub serve --record): an authorize and a void A sends,
// and in the second one an authorize without `currency`, which the vendor's contract requires.
const FIXTURES = 'test/fixtures/gate';
const root = EXAMPLE_ROOT;
// How the step, working in the example's folder, names the repository's fixtures.
const SHOWN = relative(root, resolve(REPO_ROOT, FIXTURES));
const point = (fixture: string) => ({ service: 'payments-stub', recorded: resolve(REPO_ROOT, FIXTURES, fixture, 'payments-stub.jsonl'), contract: undefined });
const run = { root, started: true, since: undefined };

const step = (id: string, checks: readonly Check[]): GateStep => ({ id, title: id, status: statusOf(checks), durationMs: 1, checks, evidence: [] });
const pass = (id: string): Check => ({ id, name: id, status: 'pass', message: 'ok' });
/** The checklist's Contracts item for a run whose consumer tests and verification passed. */
function contractTestsItem(external: GateStep | undefined) {
  const steps = [step('consumer-tests', [pass('t')]), step('verify', [pass('a request for an item')]), ...(external ? [external] : [])];
  return buildChecklist({ steps, scenarios: [] }).find((item) => item.item === 'Contract tests passing for all integration points');
}

describe('gate: external-contracts (the stubs\' recorded traffic against the vendor contract)', () => {
  it('a recording that matches payments.yaml is one passing check, and the Contracts item is ticked', async () => {
    const checks = await checkExternalPoint(point('recorded-compatible'), run);
    expect(checks).to.deep.equal([
      { id: 'payments-stub', name: "payments-stub's traffic matches the vendor's contract", status: 'pass', message: `2 exchanges in ${SHOWN}/recorded-compatible/payments-stub.jsonl, every one compatible with the contract it names` },
    ]);
    const item = contractTestsItem(step('external-contracts', checks));
    expect(item?.ok).to.equal(true);
    expect(item?.reason).to.equal('consumer-tests: pass, verify: pass, external-contracts: pass');
    expect(item?.evidence.map((e) => e.href)).to.deep.equal(['#step-consumer-tests', '#step-verify', '#step-external-contracts']);
  });

  it('a recorded authorize without a required field fails, and the crossed item names the field, the operation and the line', async () => {
    const checks = await checkExternalPoint(point('recorded-missing-field'), run);
    expect(checks.map((check) => [check.id, check.status])).to.deep.equal([['payments-stub/request.body.incompatible#1', 'fail']]);
    expect(checks[0]?.message).to.equal(`authorizePayment (POST /payments): request body \`currency\` is required (at ${SHOWN}/recorded-missing-field/payments-stub.jsonl:3)`);
    const item = contractTestsItem(step('external-contracts', checks));
    expect(item?.ok).to.equal(false);
    expect(item?.reason).to.match(/^consumer-tests: pass, verify: pass, external-contracts: fail \(authorizePayment \(POST \/payments\): request body `currency` is required/);
  });

  it('crosses the item when the check did not run, even with the consumer tests and verification passed', () => {
    const item = contractTestsItem(undefined);
    expect(item?.ok).to.equal(false);
    expect(item?.reason).to.equal('consumer-tests: pass, verify: pass, external-contracts: not run');
    const skipped = contractTestsItem({ ...step('external-contracts', []), details: { reason: 'not selected (--only/--skip)' } });
    expect(skipped?.ok).to.equal(false);
  });

  it('no evidence is a failure: a stub this run did not start, a missing file, an older file', async () => {
    const [notStarted] = await checkExternalPoint(point('recorded-compatible'), { ...run, started: false });
    expect(notStarted).to.include({ status: 'fail', message: 'payments-stub was not started by this run: there is no traffic of this run to check' });
    const [missing] = await checkExternalPoint(point('no-such-fixture'), run);
    expect(missing).to.include({ status: 'fail', message: `${SHOWN}/no-such-fixture/payments-stub.jsonl does not exist: is it the --record file of payments-stub's command?` });
    const [stale] = await checkExternalPoint(point('recorded-compatible'), { ...run, since: Date.now() + 60_000 });
    expect(stale?.status).to.equal('fail');
    expect(stale?.message).to.include("was last written before this run's environment started");
  });
});
