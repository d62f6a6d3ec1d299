import type { Command } from 'commander';

type CommandModule = { register(program: Command): void };

/**
 * Every `accord` subcommand, in the order `accord --help` lists them. Each lives in its own
 * module under ./commands/, named after the command, and exports `register(program)`.
 * Modules load lazily: a command pulls in pact-core, fastify or vega, and loading all of
 * them costs seconds of CPU that `accord contract lint` should not pay.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  up: () => import('./commands/up.js'),
  down: () => import('./commands/down.js'),
  env: () => import('./commands/env.js'),
  contract: () => import('./commands/contract.js'),
  verify: () => import('./commands/verify.js'),
  schema: () => import('./commands/schema.js'),
  scenarios: () => import('./commands/scenarios.js'),
  load: () => import('./commands/load.js'),
  gate: () => import('./commands/gate.js'),
  broker: () => import('./commands/broker.js'),
  publish: () => import('./commands/publish.js'),
  'publish-provider-contract': () => import('./commands/publish-provider-contract.js'),
  'can-i-deploy': () => import('./commands/can-i-deploy.js'),
  'record-deployment': () => import('./commands/record-deployment.js'),
  'record-release': () => import('./commands/record-release.js'),
  'create-environment': () => import('./commands/create-environment.js'),
  stub: () => import('./commands/stub.js'),
  docs: () => import('./commands/docs.js'),
};

/**
 * Registers the command named by the first non-option argument, or all of them when there is
 * none or it is unknown (so `--help` and commander's "unknown command" message see every one).
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const requested = args.find((arg) => !arg.startsWith('-'));
  const names = requested !== undefined && requested in COMMANDS ? [requested] : Object.keys(COMMANDS);
  for (const name of names) {
    const load = COMMANDS[name];
    if (load) (await load()).register(program);
  }
}
