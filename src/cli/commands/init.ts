import { Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../config/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';

interface InitOptions {
  role: 'provider' | 'consumer' | 'both';
  config: string;
  format: 'text' | 'json';
}

/** `accord init`: a starting config for an existing repository. */
export function register(program: Command): void {
  program
    .command('init')
    .description('write a starting config into this repository from what it holds (package.json scripts, OpenAPI/AsyncAPI files, pacts, migrations); never overwrites a file')
    .addOption(new Option('--role <role>', 'which side of the pacts this repository is on').choices(['provider', 'consumer', 'both']).makeOptionMandatory())
    .addOption(new Option('--config <dir>', 'where the config goes').default(DEFAULT_CONFIG_DIR))
    .addOption(formatOption(['text', 'json']))
    .action(defineAction(async (options: InitOptions) => init(options)));
}

async function init(options: InitOptions): Promise<number> {
  const { initRepository } = await import('../../init/index.js');
  const result = await initRepository({ role: options.role, configDir: options.config });
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ written: result.written, guessed: result.guessed, todo: result.todo }, null, 2)}\n`);
    return 0;
  }
  const lines = [result.written.length > 0 ? `accord init: wrote ${result.written.join(', ')}` : 'accord init: nothing to write (every file is already there, as it would be written)'];
  if (result.guessed.length > 0) lines.push('', 'guessed:', ...result.guessed.map((line) => `  - ${line}`));
  if (result.todo.length > 0) lines.push('', 'left to fill in or check:', ...result.todo.map((line) => `  - ${line}`));
  lines.push('', 'then: accord gate');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
