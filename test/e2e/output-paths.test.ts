import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { accord } from '../support/accord.js';

// Output paths are checked before any work: a bad one costs a moment, not a whole run.


describe('output paths are checked before any work starts', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-output-paths-'));
    file = join(dir, 'a-file');
    await writeFile(file, 'not a directory\n');
    await mkdir(join(dir, 'a-dir'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function refused(args: string[], message: string): Promise<void> {
    const started = Date.now();
    const run = await accord(args);
    expect(run.stderr).to.equal(`accord: ${message}`);
    expect(run.exitCode).to.equal(2);
    expect(run.stdout).to.equal('');
    // Nothing was started: the answer comes before an environment could have.
    expect(Date.now() - started).to.be.below(15_000);
  }

  it('scenarios --out naming a directory', async () => {
    await refused(['scenarios', '--out', join(dir, 'a-dir')], `--out ${join(dir, 'a-dir')}: is a directory, not a file`);
  });

  it('scenarios --out under a file', async () => {
    await refused(['scenarios', '--out', join(file, 'report.txt')], `--out ${join(file, 'report.txt')}: ${file} is a file, not a directory`);
  });

  it('load --report-dir naming a file', async () => {
    await refused(['load', '--report-dir', file], `--report-dir ${file}: is a file, not a directory`);
  });

  it('load --export k6 --out naming a directory', async () => {
    await refused(['load', '--export', 'k6', '--out', join(dir, 'a-dir')], `--out ${join(dir, 'a-dir')}: is a directory, not a file`);
  });

  it('load --export k6 with a --report-dir under a file', async () => {
    await refused(['load', '--export', 'k6', '--report-dir', join(file, 'k6')], `--report-dir ${join(file, 'k6')}: ${file} is a file, not a directory`);
  });

  it('load --update-baseline --baseline naming a directory', async () => {
    await refused(['load', '--update-baseline', '--baseline', join(dir, 'a-dir'), '--report-dir', join(dir, 'reports')], `--baseline ${join(dir, 'a-dir')}: is a directory, not a file`);
  });

  it('broker serve --data-dir naming a file', async () => {
    await refused(['broker', 'serve', '--data-dir', file], `--data-dir ${file}: is a file, not a directory`);
  });

  it('a path whose directories do not exist yet is fine (they are created)', async () => {
    const out = join(dir, 'new', 'deeper', 'smoke.k6.js');
    const run = await accord(['load', '--export', 'k6', '--out', out]);
    expect(run.exitCode).to.equal(0);
    expect(run.stdout).to.include('wrote k6 script for profile smoke');
  });
});
