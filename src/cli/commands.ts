import type { Command } from 'commander';
import { register as registerUp } from './commands/up.js';
import { register as registerDown } from './commands/down.js';
import { register as registerVerify } from './commands/verify.js';
import { register as registerLoad } from './commands/load.js';
import { register as registerScenarios } from './commands/scenarios.js';

/**
 * Every `accord` subcommand, in the order `accord --help` lists them.
 * Each lives in its own module under ./commands/ and exports `register(program)`.
 */
export function registerCommands(program: Command): void {
  registerUp(program);
  registerDown(program);
  registerVerify(program);
  registerLoad(program);
  registerScenarios(program);
}
