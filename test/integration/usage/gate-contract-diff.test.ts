import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import type { GateContext } from '../../../src/gate/context.js';
import { runContractDiff } from '../../../src/gate/contract-steps.js';
import { EXAMPLE_ROOT } from '../../support/accord.js';

const CONTRACT = 'contracts/service-a-to-b.yaml';

// The gate's contract-diff step when contracts.yaml names the consumers: the consumers policy
// judges, and the usage page joins the report. A copy of the example, no process started.
describe('gate contract-diff with contracts.consumers', () => {
  let dir: string;

  /** The step on a copy whose working contract lost one field (`edit`), baseline the example's contract. */
  async function stepWithout(edit: (schemas: Record<string, any>) => void) {
    const document = parse(await readFile(join(EXAMPLE_ROOT, CONTRACT), 'utf8')) as { components: { schemas: Record<string, any> } };
    edit(document.components.schemas);
    await writeFile(join(dir, CONTRACT), stringify(document));
    const config = await loadConfig('config/integration', { root: dir, env: {} });
    const ctx = { config, root: dir, reportDir: join(dir, 'report'), baseline: 'released.yaml', broker: {} } as unknown as GateContext;
    return runContractDiff(ctx);
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-gate-usage-'));
    for (const part of ['config', 'contracts', 'pacts']) await cp(join(EXAMPLE_ROOT, part), join(dir, part), { recursive: true });
    await cp(join(EXAMPLE_ROOT, CONTRACT), join(dir, 'released.yaml'));
    await writeFile(join(dir, 'config/integration/contracts.yaml'), `path: ${CONTRACT}\nbaseline: released.yaml\nconsumers: pacts\n`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails on a field Service A reads, naming it, and writes the usage page into the report', async () => {
    const step = await stepWithout((schemas) => {
      delete schemas.Item.properties.priceCents;
      schemas.Item.required = schemas.Item.required.filter((name: string) => name !== 'priceCents');
    });
    expect(step.status).to.equal('fail');
    expect(step.checks[0]).to.deep.include({ id: 'policy.consumers', status: 'fail' });
    expect(step.checks[0]?.message).to.match(/^breaking changes affect service-a; required bump major$/);
    const removed = step.checks.find((check) => check.id.startsWith('response-required-property-removed'));
    expect(removed?.status).to.equal('fail');
    expect(removed?.message).to.contain('(consumers: service-a)');
    expect(step.evidence).to.deep.include({ label: 'contract usage', href: 'report/contract-usage.html' });
    const page = await readFile(join(dir, 'report/contract-usage.html'), 'utf8');
    // The page was made from the working contract: priceCents is gone from it.
    expect(page).to.contain('<h2>GET /items/{sku}</h2>');
    expect(page).to.not.contain('priceCents');
  });

  it('passes a breaking change no consumer reads, and says so', async () => {
    const step = await stepWithout((schemas) => {
      delete schemas.Health.properties.checks.properties.redis;
      schemas.Health.properties.checks.required = ['postgres'];
    });
    expect(step.checks[0]).to.deep.include({ id: 'policy.consumers', status: 'pass', message: 'breaking, no current consumer affected; required bump major' });
    const removed = step.checks.find((check) => check.id.startsWith('response-required-property-removed'));
    expect(removed?.status).to.equal('warn');
    expect(removed?.message).to.contain('(consumers: none)');
    expect(step.status).to.not.equal('fail');
  });
});
