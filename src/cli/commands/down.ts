import type { Command } from 'commander';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { parseNumberOption } from '../parse-number.js';

interface DownOptions {
  config: string;
  format: 'text' | 'json';
  timeout: string;
}

/** `accord down`: stop an `accord up` started from this directory (in another terminal). */
export function register(program: Command): void {
  program
    .command('down')
    .description('stop the environment an `accord up` in this directory started')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .option('--timeout <ms>', 'how long `accord up` has to tear down before it is killed', '15000')
    .action(defineAction(async (options: DownOptions) => down(options)));
}

async function down(options: DownOptions): Promise<number> {
  // Loaded here, not at the top: every `accord` command registers `down`, few run it.
  const { stopUp } = await import('../../env/index.js');
  const result = await stopUp(process.cwd(), { timeoutMs: parseNumberOption('--timeout', options.timeout, { min: 1 }) });
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  if (!result.stopped && result.orphans.length === 0 && result.removedDirs.length === 0) {
    process.stdout.write('accord down: nothing to stop (no accord up is running here)\n');
    return 0;
  }
  if (result.stopped) {
    process.stdout.write(`accord down: stopped accord up (pid ${result.pid})${result.forced ? ' by SIGKILL after it ignored SIGTERM' : ''} in ${result.durationMs} ms\n`);
  }
  for (const orphan of result.orphans) {
    process.stdout.write(`accord down: killed ${orphan.name} (pid ${orphan.pid}) left behind by an accord up that did not clean up\n`);
  }
  for (const dir of result.removedDirs) {
    process.stdout.write(`accord down: removed ${dir} left behind by an accord up that did not clean up\n`);
  }
  return 0;
}
