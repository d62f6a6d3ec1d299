import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import SCENARIOS from '../../examples/orders/scenarios/index.js';
import { accord } from '../support/accord.js';

// The CLI as a user runs it, from the repository root, on the test configs (free ports, short retry timings).
const scenarios = (args: readonly string[]) => accord(['scenarios', ...args]);

interface JunitCase {
  name: string;
  failure?: { message: string };
}
interface JunitSuite {
  name: string;
  failures: string;
  testcase: JunitCase[];
}

/** A copy of a fixture config dir whose service logs go to a temp dir: another run on the machine must not share our log files. */
async function isolatedConfig(dir: string, fixture: string): Promise<string> {
  const target = join(dir, fixture);
  await mkdir(target, { recursive: true });
  const yaml = await readFile(join('test/fixtures/scenarios', fixture, 'environment.yaml'), 'utf8');
  await writeFile(join(target, 'environment.yaml'), yaml.replace(/^logs:\n {2}dir: .*$/m, `logs:\n  dir: ${join(dir, 'logs', fixture)}`));
  await copyFile(join('test/fixtures/scenarios', fixture, 'scenarios.yaml'), join(target, 'scenarios.yaml'));
  return target;
}

describe('accord scenarios (e2e)', function () {
  this.timeout(180_000);
  let dir: string;
  let fast: string;
  let noRetries: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-scenarios-e2e-'));
    fast = await isolatedConfig(dir, 'fast-retries');
    noRetries = await isolatedConfig(dir, 'no-retries');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // One scenario is enough to show what only the CLI does (the table, the summary line, the
  // progress on stderr, exit 0): every scenario of the catalog passing is proven by the suite's
  // whole gate run (gate-publish.test.ts), which runs the same catalog.
  it('runs the scenarios it is given, prints the table and exits 0', async () => {
    const result = await scenarios(['--config', fast, '--only', 'happy-path']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(0);
    expect(result.stdout).to.match(/│ scenario\s+│ checks passed │ time\s+│ result │/);
    expect(result.stdout).to.match(/│ happy-path\s+│ (\d+)\/\1\s+│ \d+\.\d\d s\s+│ ok\s+│/);
    expect(result.stdout).to.match(/\n1 of 1 scenarios passed in \d+\.\d\d s$/);
    expect(result.stderr).to.include('accord: scenario happy-path ok');
  });

  it("fails scenario 2's backoff checks when A's retry count is 0 in config, exits 1 and writes valid JUnit XML", async () => {
    const out = join(dir, 'junit.xml');
    const result = await scenarios(['--config', noRetries, '--only', 'b-unavailable', '--format', 'junit', '--out', out]);
    expect(result.exitCode, result.stderr).to.equal(1);
    // A run's service logs are its own: <logs dir>/runs/<run id>/<service>.log.
    const runs = await readdir(join(dir, 'logs/no-retries/runs'));
    expect(runs).to.have.length(1);
    expect(await readFile(join(dir, 'logs/no-retries/runs', runs[0] ?? '', 'service-a.log'), 'utf8')).to.include('"event":"upstream.exhausted"');
    const xml = await readFile(out, 'utf8');
    expect(XMLValidator.validate(xml)).to.equal(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as { testsuites: { testsuite: JunitSuite[] } };
    const [suite] = parsed.testsuites.testsuite;
    expect(suite?.name).to.equal('b-unavailable');
    const failed = suite?.testcase.filter((c) => c.failure !== undefined).map((c) => c.name);
    expect(failed).to.deep.equal(['A retried B the configured number of times', 'the gaps between attempts grow exponentially (backoff with jitter)']);
    expect(suite?.testcase.find((c) => c.name.startsWith('A retried'))?.failure?.message).to.equal('A is configured with 0 retries and made 1 attempt(s): an unavailable B is not retried at all');
  });

  it('rejects an unknown scenario name with one line and exit 2, before starting anything', async () => {
    const result = await scenarios(['--only', 'happy-path,no-such-scenario']);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      `accord: unknown scenario "no-such-scenario" in --only: expected one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    expect(result.stdout).to.equal('');
  });
});
