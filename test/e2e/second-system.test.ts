import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { accord, REPO_ROOT } from '../support/accord.js';

/**
 * A second system, shaped unlike the example (test/fixtures/second-system): a ledger and a
 * notifier, plain JavaScript, one table, other names and free ports, and a catalog of two
 * scenarios of its own that imports only `accord`. The CLI runs in the fixture's folder (its
 * project root); the config is a temp copy whose logs go to a temp dir, so nothing is written
 * into the fixture.
 */
const SYSTEM = join(REPO_ROOT, 'test/fixtures/second-system');

interface GateReport {
  ok: boolean;
  steps: Array<{ id: string; status: string; checks: Array<{ id: string; status: string; message: string }>; details?: { reason?: string } }>;
}

describe('a second system: its own catalog through accord gate (e2e)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-second-system-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A copy of the fixture's config in `dir/<name>`: logs in the temp dir, `notifierEnv` added to the notifier's env, scenarios.yaml kept or left out. */
  async function config(name: string, options: { notifierEnv?: Record<string, string>; catalog?: boolean } = {}): Promise<string> {
    const target = join(dir, name);
    await mkdir(target, { recursive: true });
    const env = Object.entries(options.notifierEnv ?? {}).map(([key, value]) => `      ${key}: ${value}`);
    const yaml = (await readFile(join(SYSTEM, 'config/integration/environment.yaml'), 'utf8'))
      .replace(/^ {2}dir: reports\/logs$/m, `  dir: ${join(dir, 'logs', name)}`)
      .replace(/^( {4}health: \/health)\n(?= {2}ledger:)/m, env.length > 0 ? `$1\n    env:\n${env.join('\n')}\n` : '$1\n');
    await writeFile(join(target, 'environment.yaml'), yaml);
    if (options.catalog ?? true) await copyFile(join(SYSTEM, 'config/integration/scenarios.yaml'), join(target, 'scenarios.yaml'));
    return target;
  }

  const gate = async (configDir: string) => {
    const result = await accord(['gate', '--only', 'scenarios', '--config', configDir, '--report-dir', join(configDir, 'reports'), '--format', 'json'], { cwd: SYSTEM });
    return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as GateReport, stderr: result.stderr };
  };

  it('lists its catalog: each scenario with its title and what it proves', async () => {
    const result = await accord(['scenarios', '--list', '--format', 'json', '--config', await config('list')], { cwd: SYSTEM });
    expect(result.exitCode, result.stderr).to.equal(0);
    const listed = JSON.parse(result.stdout) as { catalog: string; scenarios: Array<{ name: string; title: string; proves: string[] }> };
    expect(listed.catalog).to.equal('scenarios/index.ts');
    expect(listed.scenarios.map((s) => [s.name, s.proves])).to.deep.equal([
      ['entry-notified', ['end-to-end', 'data-consistency']],
      ['notifier-down', ['error-handling']],
    ]);
  });

  it('passes the gate: its scenarios step runs both scenarios and every check passes', async () => {
    const { exitCode, report, stderr } = await gate(await config('intact'));
    expect(exitCode, stderr).to.equal(0);
    const step = report.steps.find((s) => s.id === 'scenarios');
    expect(step?.status).to.equal('pass');
    expect(step?.checks.filter((c) => c.status !== 'pass')).to.deep.equal([]);
    expect(new Set(step?.checks.map((c) => c.id.split('/')[0]))).to.deep.equal(new Set(['entry-notified', 'notifier-down']));
    expect(step?.checks.find((c) => c.id === 'notifier-down/every faulted process is back and healthy')?.message).to.equal('no fault was left to undo; postgres, redis, notifier, ledger healthy');
  });

  it('fails the gate when one of its checks is broken: the notifier keeps no note (NOTIFIER_BREAK=drop)', async () => {
    const { exitCode, report } = await gate(await config('broken', { notifierEnv: { NOTIFIER_BREAK: 'drop' } }));
    expect(exitCode).to.equal(1);
    const step = report.steps.find((s) => s.id === 'scenarios');
    expect(step?.status).to.equal('fail');
    const failed = step?.checks.filter((c) => c.status === 'fail') ?? [];
    expect(failed.map((c) => c.id)).to.deep.equal(['entry-notified/the notifier holds a note for the entry']);
    expect(failed[0]?.message).to.match(/^the notifier logged no note\.stored for the booking; it holds notes for entries \[\]$/);
  });

  it('without a catalog: the gate marks the scenarios step not applicable, accord scenarios says so in one line', async () => {
    const configDir = await config('no-catalog', { catalog: false });
    const scenarios = await accord(['scenarios', '--config', configDir], { cwd: SYSTEM });
    expect(scenarios.exitCode).to.equal(2);
    expect(scenarios.stderr.trim()).to.match(/^accord: .*no-catalog\/scenarios\.yaml: catalog: required key is missing \(the module whose default export is the team's scenario catalog/);
    expect(scenarios.stderr.trim().split('\n')).to.have.length(1);
    const { exitCode, report } = await gate(configDir);
    expect(exitCode).to.equal(0);
    const step = report.steps.find((s) => s.id === 'scenarios');
    expect(step?.status).to.equal('skip');
    expect(step?.details?.reason).to.match(/^not applicable: .*scenarios\.yaml names no scenario catalog/);
  });
});
