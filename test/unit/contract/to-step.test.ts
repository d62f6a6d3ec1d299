import { expect } from 'chai';
import { checkPacts, diffDocuments, lintContract, toCheckPactsStep, toDiffStep, toLintStep } from '../../../src/contract/index.js';
import { loadContract } from '../../../src/contract/index.js';

const FIXTURES = 'test/fixtures/contract';

describe('contract adapters to GateStep', () => {
  it('toLintStep: the shipped contract is one passing check; a broken one fails with file:line and pointer', async () => {
    const clean = toLintStep(await lintContract('examples/orders/contracts/service-a-to-b.yaml'), { durationMs: 12 });
    expect(clean).to.include({ id: 'contract-lint', status: 'pass', durationMs: 12 });
    expect(clean.checks).to.have.length(1);
    const broken = toLintStep(await lintContract(`${FIXTURES}/lint-findings/contract.yaml`));
    expect(broken.status).to.equal('fail');
    const failed = broken.checks.filter((check) => check.status === 'fail');
    expect(failed.length).to.be.greaterThan(0);
    expect(failed[0]?.location?.file).to.match(/lint-findings\/contract\.yaml$/);
    expect(failed[0]?.location?.line).to.be.a('number');
    expect(failed[0]?.location?.pointer).to.match(/^\//);
  });

  it('toDiffStep: a breaking change without a major bump fails the policy check and the change; with a major bump it only warns', async () => {
    const base = (await loadContract('examples/orders/contracts/service-a-to-b.yaml')).document;
    const broken = structuredClone(base) as Record<string, any>;
    const item = broken.components.schemas.Item;
    delete item.properties.stock;
    item.required = (item.required as string[]).filter((name) => name !== 'stock');
    const minor = toDiffStep(diffDocuments(base, { ...broken, info: { ...broken.info, version: '1.3.0' } }), { base: 'git:HEAD', revision: 'examples/orders/contracts/service-a-to-b.yaml' });
    expect(minor.id).to.equal('contract-diff');
    expect(minor.status).to.equal('fail');
    expect(minor.checks[0]).to.include({ id: 'policy.semver', status: 'fail' });
    expect(minor.checks.some((check) => check.status === 'fail' && check.id.startsWith('response-'))).to.equal(true);
    const major = toDiffStep(diffDocuments(base, { ...broken, info: { ...broken.info, version: '2.0.0' } }), { base: 'git:HEAD', revision: 'x.yaml' });
    expect(major.status).to.equal('warn');
    expect(major.checks[0]).to.include({ status: 'pass' });
  });

  it('toCheckPactsStep: the shipped pact passes; a pact expecting a field the contract lacks fails', async () => {
    const ok = toCheckPactsStep(await checkPacts({ pacts: 'examples/orders/pacts', contract: 'examples/orders/contracts/service-a-to-b.yaml' }), { pacts: 'examples/orders/pacts', contract: 'examples/orders/contracts/service-a-to-b.yaml' });
    expect(ok.id).to.equal('pacts-vs-contract');
    // Warnings (headers the contract does not declare) pass the gate; no check fails.
    expect(ok.status).to.be.oneOf(['pass', 'warn']);
    expect(ok.checks.filter((check) => check.status === 'fail')).to.deep.equal([]);
    const pacts = `${FIXTURES}/pact-breaks-contract`;
    const bad = toCheckPactsStep(await checkPacts({ pacts, contract: 'examples/orders/contracts/service-a-to-b.yaml' }), { pacts, contract: 'examples/orders/contracts/service-a-to-b.yaml' });
    expect(bad.status).to.equal('fail');
    expect(bad.checks.every((check) => check.message.length > 0)).to.equal(true);
  });
});
