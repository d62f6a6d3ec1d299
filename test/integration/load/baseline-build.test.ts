import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { execa } from 'execa';
import { chooseBaseline, prepareBaselineBuild } from '../../../src/load/index.js';
import { AccordError } from '../../../src/errors/index.js';

/** A throwaway repository: a project in `app/` whose build writes `built.txt` (or runs `script`). */
async function repository(script = "node -e \"require('fs').writeFileSync('built.txt', 'v1')\""): Promise<{ dir: string; commit: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-baseline-repo-'));
  const git = (...args: string[]) => execa('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  await git('init', '-q', '-b', 'main');
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { build: script } }));
  await writeFile(join(dir, 'app', 'service.js'), 'console.log("v1")\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'v1');
  return { dir, commit: (await git('rev-parse', 'HEAD')).stdout.trim() };
}

const worktrees = async (dir: string) => (await execa('git', ['-C', dir, 'worktree', 'list'])).stdout.trim().split('\n').length;

describe('baseline build (git worktree, cached by commit)', function () {
  this.timeout(60_000);
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('picks the merge base with main by default, a named ref when given, and the recorded file without git or with none', async () => {
    const { dir, commit } = await repository();
    made.push(dir);
    expect(await chooseBaseline(join(dir, 'app'), {})).to.deep.equal({ kind: 'build', ref: 'merge-base(HEAD, main)', commit, why: 'merge-base' });
    expect(await chooseBaseline(join(dir, 'app'), { profileRef: 'main' })).to.include({ kind: 'build', commit, why: 'load.yaml' });
    expect(await chooseBaseline(join(dir, 'app'), { optionRef: 'none', profileRef: 'main' })).to.deep.equal({ kind: 'recorded', why: '--baseline-ref none' });
    const plain = await mkdtemp(join(tmpdir(), 'accord-no-git-'));
    made.push(plain);
    expect(await chooseBaseline(plain, {})).to.deep.equal({ kind: 'recorded', why: 'not a git repository' });
  });

  it('refuses a ref that does not resolve or looks like an option, in one line', async () => {
    const { dir } = await repository();
    made.push(dir);
    for (const [ref, text] of [
      ['no-such-branch', /^--baseline-ref no-such-branch: no such git revision in /],
      ['--upload-pack=touch /tmp/x', /^--baseline-ref "--upload-pack=touch \/tmp\/x": not a git revision/],
    ] as const) {
      const error = await chooseBaseline(join(dir, 'app'), { optionRef: ref }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AccordError);
      expect((error as AccordError).code).to.equal('ACCORD_GIT_REF_INVALID');
      expect((error as Error).message).to.match(text);
      expect((error as Error).message).not.to.include('\n');
    }
  });

  it('builds the commit once in a temporary worktree, keeps the build by commit and leaves no worktree', async () => {
    const { dir, commit } = await repository();
    const cacheDir = await mkdtemp(join(tmpdir(), 'accord-baseline-cache-'));
    made.push(dir, cacheDir);
    // The candidate's tree has moved on: the baseline build is the commit's, not the working tree's.
    await writeFile(join(dir, 'app', 'service.js'), 'console.log("v2")\n');
    const first = await prepareBaselineBuild({ root: join(dir, 'app'), commit, cacheDir });
    expect(first).to.include({ commit, cached: false, projectRoot: join(cacheDir, commit, 'app') });
    expect(await readFile(join(first.projectRoot, 'built.txt'), 'utf8')).to.equal('v1');
    expect(await readFile(join(first.projectRoot, 'service.js'), 'utf8')).to.equal('console.log("v1")\n');
    expect(await worktrees(dir)).to.equal(1);
    const second = await prepareBaselineBuild({ root: join(dir, 'app'), commit, cacheDir });
    expect(second).to.include({ cached: true, projectRoot: first.projectRoot });
  });

  it('fails a broken build in one line and removes the worktree', async () => {
    const { dir, commit } = await repository('node -e "process.stderr.write(\'syntax error in main.ts\\n\'); process.exit(3)"');
    const cacheDir = await mkdtemp(join(tmpdir(), 'accord-baseline-cache-'));
    made.push(dir, cacheDir);
    const error = await prepareBaselineBuild({ root: join(dir, 'app'), commit, cacheDir }).catch((e: unknown) => e);
    expect((error as AccordError).code).to.equal('ACCORD_BASELINE_BUILD_FAILED');
    expect((error as Error).message).to.equal('the baseline build (npm run build in the worktree) failed: syntax error in main.ts');
    expect(await worktrees(dir)).to.equal(1);
    expect(await readdir(cacheDir)).to.deep.equal([]);
  });

  it('on SIGTERM stops the build and removes the worktree within 5 s', async () => {
    // The build leaves a marker, then hangs; the process is told to stop while it hangs.
    const { dir, commit } = await repository("node -e \"require('fs').writeFileSync(process.env.MARKER, String(process.pid)); setInterval(() => {}, 1000)\"");
    const cacheDir = await mkdtemp(join(tmpdir(), 'accord-baseline-cache-'));
    made.push(dir, cacheDir);
    const marker = join(cacheDir, '..', `marker-${process.pid}-${Date.now()}`);
    const script = `import { runCleanups } from './src/env/index.ts'; import { prepareBaselineBuild } from './src/load/index.ts';
process.on('SIGTERM', () => { void runCleanups().then(() => process.exit(143)); });
await prepareBaselineBuild({ root: ${JSON.stringify(join(dir, 'app'))}, commit: '${commit}', cacheDir: ${JSON.stringify(cacheDir)} });`;
    const child = execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false, env: { MARKER: marker } });
    const deadline = Date.now() + 30_000;
    let buildPid = '';
    while (Date.now() < deadline && buildPid === '') {
      buildPid = await readFile(marker, 'utf8').catch(() => '');
      await delay(100);
    }
    expect(buildPid).not.to.equal('');
    expect(await worktrees(dir)).to.equal(2);
    const stopped = Date.now();
    child.kill('SIGTERM');
    await child;
    expect(Date.now() - stopped).to.be.lessThan(5000);
    expect(await worktrees(dir)).to.equal(1);
    const alive = await readFile(`/proc/${buildPid}/stat`, 'utf8').then((stat) => !/\) Z /.test(stat), () => false);
    expect(alive).to.equal(false);
    await rm(marker, { force: true });
  });
});
