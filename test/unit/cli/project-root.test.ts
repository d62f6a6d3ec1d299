import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { projectRootOf } from '../../../src/cli/project-root.js';
import { ErrorCodes, isAccordError } from '../../../src/errors/index.js';
import type { ErrorCode } from '../../../src/errors/index.js';

describe('projectRootOf (package.json accord.root)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-project-root-'));
    await mkdir(join(dir, 'systems', 'shop'), { recursive: true });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const withManifest = async (manifest: unknown) => {
    await writeFile(join(dir, 'package.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    return dir;
  };
  const errorOf = (cwd: string): unknown => {
    try {
      projectRootOf(cwd);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('works in the folder the root names, and stays put without one (or with no package.json at all)', async () => {
    expect(projectRootOf(await withManifest({ name: 'mono', accord: { root: 'systems/shop' } }))).to.equal(join(dir, 'systems', 'shop'));
    expect(projectRootOf(await withManifest({ name: 'mono' }))).to.equal(undefined);
    expect(projectRootOf(await withManifest({ name: 'mono', accord: { root: '.' } }))).to.equal(undefined);
    expect(projectRootOf(join(dir, 'systems'))).to.equal(undefined);
  });

  it('refuses a root outside the project, one that is not a folder, and one that is not a string, in one line', async () => {
    const cases: [unknown, ErrorCode, RegExp][] = [
      [{ accord: { root: '../elsewhere' } }, ErrorCodes.CONFIG_INVALID, /^package\.json: accord\.root "\.\.\/elsewhere" is outside this project$/],
      [{ accord: { root: '/etc' } }, ErrorCodes.CONFIG_INVALID, /^package\.json: accord\.root "\/etc" is outside this project$/],
      [{ accord: { root: 'systems/none' } }, ErrorCodes.FILE_NOT_FOUND, /^package\.json: accord\.root "systems\/none" is not a folder$/],
      [{ accord: { root: 42 } }, ErrorCodes.CONFIG_INVALID, /^package\.json: accord\.root must be a folder path \(a string\)$/],
    ];
    for (const [manifest, code, message] of cases) {
      const error = errorOf(await withManifest(manifest));
      expect(isAccordError(error, code), JSON.stringify(manifest)).to.equal(true);
      expect((error as Error).message).to.match(message);
    }
  });
});
