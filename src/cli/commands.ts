import type { Command } from 'commander';

/**
 * Every `accord` subcommand, in the order `accord --help` lists them.
 * Each lives in its own module under ./commands/ and exports `register(program)`.
 */
export function registerCommands(program: Command): void {
  void program;
}
