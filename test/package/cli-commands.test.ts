import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { Command, Help } from 'commander';
import { COMMANDS, registerCommands, requestedCommand } from '../../src/cli/commands.js';

const COMMANDS_DIR = path.resolve(import.meta.dirname, '../../src/cli/commands');

/**
 * `accord --help` lists the commands from a static table, without loading their modules (that
 * costs seconds). The table must still say what the modules register.
 */
describe('the static command table (accord --help without loading commands)', function () {
  this.timeout(60_000);

  it('names every module under src/cli/commands/, and only those', async () => {
    const modules = (await readdir(COMMANDS_DIR)).filter((file) => file.endsWith('.ts')).map((file) => file.replace(/\.ts$/, ''));
    expect(Object.keys(COMMANDS).sort()).to.deep.equal(modules.sort());
  });

  it("gives each command the term (name, [options], arguments) its module's command shows", async () => {
    const help = new Help();
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const program = new Command('accord');
      (await entry.load()).register(program);
      expect(program.commands.map((command) => command.name()), name).to.deep.equal([name]);
      expect(entry.term, name).to.equal(help.subcommandTerm(program.commands[0]!));
      expect(entry.summary, name).to.match(/^[a-z`].*[^.]$/);
    }
  });

  it('loads the named command only; with none, lists them all from the table', async () => {
    expect(requestedCommand(['contract', 'lint', 'x.yaml'])).to.equal('contract');
    expect(requestedCommand(['help', 'gate'])).to.equal('gate');
    expect(requestedCommand(['--help'])).to.equal(undefined);
    expect(requestedCommand(['nosuch'])).to.equal(undefined);
    expect(requestedCommand(['toString'])).to.equal(undefined);

    const one = new Command('accord');
    await registerCommands(one, ['down', '--help']);
    expect(one.commands.map((command) => command.name())).to.deep.equal(['down']);

    const all = new Command('accord');
    await registerCommands(all, ['--help']);
    const text = all.helpInformation();
    for (const entry of Object.values(COMMANDS)) expect(text).to.include(`  ${entry.term} `);
  });
});
