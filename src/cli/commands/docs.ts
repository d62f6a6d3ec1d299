import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { generateDocs } from '../../docs/index.js';
import { ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';

interface DocsOptions {
  config: string;
  format: 'text' | 'json';
  check?: boolean;
}

/** `accord docs [--check]`: regenerate (or check) the documentation generated from the config, the contract and the recordings. */
export function register(program: Command): void {
  program
    .command('docs')
    .description('regenerate docs/architecture.md, contract.md, performance-baseline.md and the sequences/ pages; --check only compares (exit 1 naming each stale file)')
    .option('--check', 'write nothing; exit 1 when a generated file is stale')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .action(defineAction(async (options: DocsOptions) => run(options)));
}

async function run(options: DocsOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const result = await generateDocs(config, { check: options.check ?? false });
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const file of result.files) {
      if (file.status === 'stale') process.stdout.write(`stale: ${file.path} (run accord docs)\n`);
      else if (file.status === 'written') process.stdout.write(`wrote ${file.path}\n`);
    }
    const unchanged = result.files.filter((f) => f.status === 'unchanged').length;
    process.stdout.write(`${result.check ? 'checked' : 'generated'} ${result.files.length} files: ${unchanged} up to date${result.stale.length > 0 ? `, ${result.stale.length} stale` : ''}\n`);
  }
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}
