import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { Command } from 'commander';
import { COMMANDS } from '../../../src/cli/commands.js';

// The README and the guide are read on a fresh clone: they must not send a reader to files a
// clone lacks, and what they say about --config must be what the commands do.

describe('README and docs/guide.md', () => {
  it('point at no file a clone does not have', async () => {
    for (const file of ['README.md', 'docs/guide.md']) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.to.match(/\.\.\/shared|design §|reference §/);
    }
  });

  it('name exactly the commands that take no --config', async () => {
    // Every command's real definition: each module registered, as `accord NAME` does for one.
    const program = new Command('accord');
    for (const entry of Object.values(COMMANDS)) (await entry.load()).register(program);
    const leaves = (command: Command, path: string[]): [string, Command][] =>
      command.commands.length === 0 ? [[path.join(' '), command]] : command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
    const without = leaves(program, [])
      .filter(([, command]) => !command.options.some((option) => option.long === '--config'))
      .map(([name]) => name)
      .sort();
    expect(without).to.deep.equal(['can-i-deploy', 'create-environment', 'env', 'publish', 'publish-provider-contract', 'record-deployment', 'record-release', 'stub serve']);
    const readme = await readFile('README.md', 'utf8');
    const sentence = /the broker client commands \(([^)]*)\)\s+and `accord env` read none and take\s+none/.exec(readme)?.[1] ?? '';
    expect(sentence.match(/`[\w-]+`/g)?.map((name) => name.slice(1, -1)).sort()).to.deep.equal(without.filter((name) => name !== 'env' && name !== 'stub serve'));
    expect(readme).to.include('`accord stub serve CONTRACT` reads only the contract it is given');
  });
});
