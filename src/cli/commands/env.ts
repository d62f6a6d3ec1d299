import type { Command } from 'commander';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';

interface EnvOptions {
  format: 'text' | 'json';
}

/** `accord env`: the running `accord up`'s real URLs (password included) as dotenv lines or JSON. */
export function register(program: Command): void {
  program
    .command('env')
    .description('print the real DATABASE_URL, REDIS_URL and service URLs of the `accord up` running in this directory (dotenv lines; unredacted)')
    .addOption(formatOption(['text', 'json']))
    .action(defineAction(async (options: EnvOptions) => env(options)));
}

async function env(options: EnvOptions): Promise<number> {
  // Loaded here, not at the top: every `accord` command registers `env`, few run it.
  const { isAlive, readUpState, UP_STATE_FILE } = await import('../../env/index.js');
  const state = await readUpState(process.cwd());
  if (!state || !isAlive(state.pid)) {
    throw new AccordError(ErrorCodes.ENV_NOT_RUNNING, `no accord up is running in this directory (no live ${UP_STATE_FILE}): start one with \`accord up\``);
  }
  if (!state.env) {
    throw new AccordError(ErrorCodes.ENV_NOT_RUNNING, `the accord up running here (pid ${state.pid}) was started by an older accord that does not record its URLs: restart it`);
  }
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(state.env, null, 2)}\n`);
  else process.stdout.write(Object.entries(state.env).map(([name, value]) => `${name}=${dotenvValue(value)}\n`).join(''));
  return ExitCodes.OK;
}

/** A value as dotenv (and `set -a; . file`) reads it back: quoted only when it has to be. */
function dotenvValue(value: string): string {
  return /^[\w@%+=:,./?&-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
