import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { accord } from '../support/accord.js';

interface JsonReport {
  ok: boolean;
  scenarios: Array<{ name: string; ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> }>;
}

/** The fast-retries fixture with its logs in `dir` and lines added to a service's env (the guarantee broken on purpose). */
async function configWith(dir: string, name: string, extra: readonly string[] = [], extraA: readonly string[] = []): Promise<string> {
  const target = join(dir, name);
  await mkdir(target, { recursive: true });
  const yaml = (await readFile('test/fixtures/scenarios/fast-retries/environment.yaml', 'utf8'))
    .replace(/^logs:\n {2}dir: .*$/m, `logs:\n  dir: ${join(dir, 'logs', name)}`)
    .replace(/^( {6}DEAD_LETTER_STREAM: .*)$/m, ['$1', ...extra.map((line) => `      ${line}`)].join('\n'))
    .replace(/^( {6}ORDER_EVENTS_STREAM: .*)\n(?= {2}service-c:)/m, `${['$1', ...extraA.map((line) => `      ${line}`)].join('\n')}\n`);
  await writeFile(join(target, 'environment.yaml'), yaml);
  await copyFile('test/fixtures/scenarios/fast-retries/scenarios.yaml', join(target, 'scenarios.yaml'));
  return target;
}

async function runJson(config: string, only: string): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const result = await accord(['scenarios', '--config', config, '--only', only, '--format', 'json']);
  // An error (exit 2) is named by its output, so a failure here says why the run did not judge.
  expect(result.exitCode, `${result.stderr}\n${result.stdout}`.slice(-4000)).to.equal(1);
  return { exitCode: result.exitCode ?? -1, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

// The four stream scenarios passing on the real A → Redis Stream → C → PostgreSQL (with the
// dead-letter and mid-batch kill evidence) is proven by the suite's whole gate run
// (gate-publish.test.ts); here each fails when the guarantee it checks is switched off.
describe('accord scenarios: the stream scenarios (e2e)', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-stream-scenarios-e2e-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails c-down, naming the duplicated event, when C runs with idempotency switched off', async () => {
    const { exitCode, report } = await runJson(await configWith(dir, 'no-idempotency', ['SERVICE_C_TEST_BREAK: idempotency']), 'c-down');
    expect(exitCode).to.equal(1);
    const failed = report.scenarios[0]?.checks.filter((c) => !c.ok) ?? [];
    expect(failed.map((c) => c.name)).to.deep.equal(['C, restarted, processes every event exactly once, a redelivered one too (row count and checksum)']);
    expect(failed[0]?.detail).to.match(/^6 shipment row\(s\) for 5 event\(s\); checksum [0-9a-f]{12} vs published [0-9a-f]{12}; duplicated event\(s\): [0-9a-f-]{36} ×2$/);
  });

  it('fails poison-message when C runs without its dead-letter stream: the stream stalls behind the bad entry', async () => {
    const { exitCode, report } = await runJson(await configWith(dir, 'no-dead-letter', ['SERVICE_C_TEST_BREAK: dead-letter']), 'poison-message');
    expect(exitCode).to.equal(1);
    const failed = report.scenarios[0]?.checks.filter((c) => !c.ok) ?? [];
    expect(failed.map((c) => c.name)).to.include.members(['each bad entry is on the dead-letter stream with its reason', "the rest flow on: A's events behind them are each shipped once"]);
    expect(failed.find((c) => c.name.startsWith('the rest flow on'))?.detail).to.match(/^the stream stalled behind the bad entries: 0 shipment row\(s\) for 3 event\(s\).*never shipped: /);
  });

  it('fails redis-paused when A lets a write land after it answered 503: an event for an order whose stock B gave back', async () => {
    const { exitCode, report } = await runJson(await configWith(dir, 'late-write', [], ['SERVICE_A_TEST_BREAK: late-write']), 'redis-paused');
    expect(exitCode).to.equal(1);
    const failed = report.scenarios[0]?.checks.filter((c) => !c.ok) ?? [];
    expect(failed.map((c) => c.name)).to.include('every order has its event and every event its order');
    expect(failed.find((c) => c.name === 'every order has its event and every event its order')?.detail).to.match(/event [0-9a-f-]{36} announces order [0-9a-f-]{36}, whose reservation [0-9a-f-]{36} B does not hold/);
  });
});
