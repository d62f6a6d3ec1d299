import { cp, lstat, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { AcceptanceReport } from '../../src/report/model.js';
import { EXAMPLE_ROOT } from '../support/accord.js';
import { npmInstall, packAccord } from '../support/pack.js';

// What the copy leaves behind: Accord's own runs and installs, not the example's sources.
const NOT_COPIED = new Set(['node_modules', 'reports', '.accord']);

/**
 * The example system as a team's repository: a copy of examples/orders outside this checkout,
 * with Accord installed from the packed tarball (no link back here), whose `accord gate` must
 * pass. Its states, message providers and scenario catalog import only `accord`; its services
 * are the JavaScript it built (examples/orders/dist, as `npm run build` there makes it).
 */
describe('the example system, with Accord installed from the tarball', function () {
  this.timeout(900_000);
  let dir: string;
  let copy: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'accord-example-tarball-'));
    const tarball = await packAccord(dir);
    copy = path.join(dir, 'orders');
    await cp(EXAMPLE_ROOT, copy, { recursive: true, filter: (source) => !NOT_COPIED.has(path.basename(source)) || path.dirname(source) !== EXAMPLE_ROOT });
    await npmInstall(copy, ['--save-dev', tarball]);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs Accord as a package of its own, not a link into this checkout', async () => {
    const installed = path.join(copy, 'node_modules', 'accord');
    expect((await lstat(installed)).isSymbolicLink()).to.equal(false);
    expect(await realpath(installed)).to.equal(installed);
    const manifest = JSON.parse(await readFile(path.join(copy, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies.accord).to.match(/\.tgz$/);
  });

  it('passes `accord gate` end to end, every step from the installed package', async () => {
    const reportDir = path.join(dir, 'report');
    const result = await execa('npx', ['--no', 'accord', 'gate', '--report-dir', reportDir], { cwd: copy, reject: false, all: true, env: { CI: 'true', NO_COLOR: '1' } });
    expect(result.exitCode, String(result.all).split('\n').slice(-40).join('\n')).to.equal(0);
    const report = JSON.parse(await readFile(path.join(reportDir, 'acceptance.json'), 'utf8')) as AcceptanceReport;
    expect(report.ok).to.equal(true);
    const failed = report.steps.filter((step) => step.status === 'fail').map((step) => step.id);
    expect(failed).to.deep.equal([]);
    // The steps that need the example's own code ran, from the installed package. The load pass
    // may end `warn` (a first pass failed on latency alone and the repeat passed: a busy machine).
    for (const id of ['consumer-tests', 'verify', 'scenarios']) expect(report.steps.find((step) => step.id === id)?.status, id).to.equal('pass');
    expect(report.steps.find((step) => step.id === 'load')?.status).to.be.oneOf(['pass', 'warn']);
  });
});
