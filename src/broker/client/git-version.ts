import { execa } from 'execa';
import { AccordError, ErrorCodes } from '../../errors/index.js';

/** The version and branch a run is published as, from git: the short commit sha and the checked-out branch. */
export async function gitVersion(cwd = process.cwd()): Promise<{ version: string; branch: string | undefined }> {
  const git = (...args: string[]) => execa('git', args, { cwd, reject: false });
  const sha = await git('rev-parse', '--short=12', 'HEAD');
  if (sha.exitCode !== 0) throw new AccordError(ErrorCodes.USAGE, `cannot take the version from git in ${cwd} (${String(sha.stderr).trim() || 'not a repository'}): pass --version V`);
  const branch = await git('rev-parse', '--abbrev-ref', 'HEAD');
  const name = String(branch.stdout).trim();
  // A detached HEAD (CI checkouts) has no branch name.
  return { version: String(sha.stdout).trim(), branch: branch.exitCode === 0 && name !== 'HEAD' ? name : undefined };
}
