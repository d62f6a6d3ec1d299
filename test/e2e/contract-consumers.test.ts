import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { StartedPostgres } from '../../src/env/index.js';
import { accord, EXAMPLE_ROOT } from '../support/accord.js';
import { WRITE_TOKEN, brokerDatabase, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

// `accord contract diff --consumers` on a copy of the example: the contract between Service A
// and Service B, judged by Service A's pact from the pacts directory and from a served broker.

const CONTRACT = 'contracts/service-a-to-b.yaml';

/** The example's contract with one response field taken out of a schema (and of its `required`). */
async function withoutField(dir: string, name: string, schema: 'Item' | 'Health', field: string): Promise<string> {
  const text = await readFile(join(dir, CONTRACT), 'utf8');
  const lines = text.split('\n');
  const start = lines.indexOf(`    ${schema}:`);
  const indent = schema === 'Item' ? '        ' : '            ';
  const at = lines.findIndex((line, index) => index > start && line === `${indent}${field}:`);
  expect(at, `${schema}.${field} in the contract`).to.be.greaterThan(start);
  let end = at + 1;
  while ((lines[end] ?? '').startsWith(`${indent}  `)) end += 1;
  lines.splice(at, end - at);
  const edited = lines.join('\n').replace(new RegExp(`(required: \\[[^\\]]*?)(, ${field}|${field}, )`), '$1');
  expect(edited).to.not.equal(text);
  await writeFile(join(dir, name), edited);
  return name;
}

describe('contract diff --consumers: changes judged by who reads them (example copy)', function () {
  this.timeout(300_000);
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) => accord(args, { cwd: dir, env });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-consumers-'));
    for (const part of ['config', 'contracts', 'pacts']) await cp(join(EXAMPLE_ROOT, part), join(dir, part), { recursive: true });
    // Naming the consumers makes `consumers` the policy.
    await writeFile(join(dir, 'config/integration/contracts.yaml'), `path: ${CONTRACT}\nconsumers: pacts\n`);
    await withoutField(dir, 'no-price.yaml', 'Item', 'priceCents');
    await withoutField(dir, 'no-redis.yaml', 'Health', 'redis');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removing a response field Service A reads fails, naming service-a', async () => {
    const result = await run(['contract', 'diff', CONTRACT, 'no-price.yaml']);
    expect(result.exitCode, result.all).to.equal(1);
    expect(result.stdout).to.match(/response-required-property-removed\s+GET \/items\/\{sku\}\s+.*priceCents.*service-a/);
    expect(result.stdout).to.contain('consumers affected by breaking changes: service-a (response-required-property-removed (GET /items/{sku}))');
    expect(result.stdout).to.contain('policy consumers (no breaking change a consumer uses): FAIL');
  });

  it('removing one Service A does not read passes, reported as affecting no consumer; semver still asks for major', async () => {
    const result = await run(['contract', 'diff', CONTRACT, 'no-redis.yaml']);
    expect(result.exitCode, result.all).to.equal(0);
    expect(result.stdout).to.contain('breaking, no current consumer affected');
    expect(result.stdout).to.contain('consumers checked (pacts): service-a');
    expect(result.stdout).to.contain('required bump major, NOT ENOUGH');
    expect(result.stdout).to.contain('policy consumers (no breaking change a consumer uses): PASS');
    const json = await run(['contract', 'diff', CONTRACT, 'no-redis.yaml', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; changes: { id: string; consumers: unknown[] }[]; consumers: { checked: unknown[]; affected: unknown[] } };
    expect(parsed.ok).to.equal(true);
    expect(parsed.changes.filter((change) => change.id === 'response-required-property-removed').map((change) => change.consumers)).to.deep.equal([[], []]);
    expect(parsed.consumers.checked).to.deep.equal([{ consumer: 'service-a', version: null }]);
    // The same change under semver fails: the version did not move.
    const semver = await run(['contract', 'diff', CONTRACT, 'no-redis.yaml', '--policy', 'semver']);
    expect(semver.exitCode, semver.all).to.equal(1);
  });

  it('a SOURCE that is neither a directory nor a broker selection is one line, exit 2', async () => {
    const result = await run(['contract', 'diff', CONTRACT, 'no-redis.yaml', '--consumers', 'broker:']);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.contain('--consumers broker:');
  });

  describe('with the broker as SOURCE', () => {
    let postgres: StartedPostgres | undefined;
    let broker: ServedBroker | undefined;
    // Accord's broker lets only a read-write token POST pacts-for-verification, the selection this uses.
    const asBroker = (args: string[]) => run(args, { PACT_BROKER_BASE_URL: broker?.url ?? '', PACT_BROKER_TOKEN: WRITE_TOKEN });

    before(async () => {
      const database = await brokerDatabase('broker_e2e_consumers');
      postgres = database.postgres;
      broker = await serveBroker({ databaseUrl: database.url });
      // 1.0.0 of Service A did not read the price yet; 2.0.0 (the real pact) does.
      const pact = JSON.parse(await readFile(join(dir, 'pacts/service-a-service-b.json'), 'utf8')) as { interactions: { description: string; response: { body?: { content?: Record<string, unknown> } } }[] };
      for (const interaction of pact.interactions) delete interaction.response.body?.content?.priceCents;
      await writeFile(join(dir, 'old-pact.json'), JSON.stringify(pact));
      const steps = [
        ['publish', 'old-pact.json', '--consumer-app-version', '1.0.0', '--branch', 'main'],
        ['publish', 'pacts/service-a-service-b.json', '--consumer-app-version', '2.0.0', '--branch', 'main'],
        // The broker starts with a production environment. 2.0.0 went out and was rolled back: 1.0.0 is what production runs.
        ['record-deployment', '--pacticipant', 'service-a', '--version', '2.0.0', '--environment', 'production'],
        ['record-deployment', '--pacticipant', 'service-a', '--version', '1.0.0', '--environment', 'production'],
      ];
      for (const step of steps) {
        const done = await asBroker(step);
        expect(done.exitCode, `${step.join(' ')}\n${done.all}`).to.equal(0);
      }
    });
    after(async () => {
      await broker?.stop();
      await postgres?.stop();
    });

    it('a field only the version no longer in production reads passes for broker:production', async () => {
      const result = await asBroker(['contract', 'diff', CONTRACT, 'no-price.yaml', '--consumers', 'broker:production']);
      expect(result.exitCode, result.all).to.equal(0);
      // Only 1.0.0: the rolled-back 2.0.0 is not in production any more.
      expect(result.stdout).to.match(/^consumers checked \(broker: deployed or released in production\): service-a 1\.0\.0$/m);
      expect(result.stdout).to.contain('breaking, no current consumer affected');
    });

    it('and fails for the branch where the newer version reads it, naming that version', async () => {
      const result = await asBroker(['contract', 'diff', CONTRACT, 'no-price.yaml', '--consumers', 'broker:branch=main']);
      expect(result.exitCode, result.all).to.equal(1);
      expect(result.stdout).to.contain('consumers affected by breaking changes: service-a 2.0.0');
    });

    it('contract usage from the broker lists who reads each field and what nobody reads', async () => {
      const result = await asBroker(['contract', 'usage', '--consumers', 'broker:production', '--format', 'json']);
      expect(result.exitCode, result.all).to.equal(0);
      const report = JSON.parse(result.stdout) as { consumers: unknown[]; unused: { operations: string[]; fields: { operation: string; status: string; field: string }[] } };
      expect(report.consumers).to.deep.equal([{ consumer: 'service-a', version: '1.0.0' }]);
      expect(report.unused.operations).to.include('GET /health');
      expect(report.unused.fields).to.deep.include({ operation: 'GET /items/{sku}', status: '200', field: 'priceCents' });
    });
  });
});
