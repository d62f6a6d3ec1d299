import type { Command } from 'commander';

type CommandModule = { register(program: Command): void };

/** One `accord` subcommand as `accord --help` lists it, without loading its module. */
export interface CommandEntry {
  /** What the help's left column shows: the name, `[options]` when it has any, its arguments. */
  readonly term: string;
  /** The one-line summary in the list; the module's own description is what `accord NAME --help` shows. */
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

/**
 * Every `accord` subcommand, in the order `accord --help` lists them. Each lives in its own
 * module under ./commands/, named after the command, and exports `register(program)`.
 * Modules load lazily, one per run: a command pulls in pact-core, fastify or vega, and loading
 * all of them costs seconds of CPU that `accord --help` and `accord contract lint` should not
 * pay. The help list comes from this table alone (test/package/cli-commands.test.ts checks its
 * names and terms against the modules).
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  init: {
    term: 'init [options]',
    summary: 'write a starting config into this repository (--role provider|consumer|both) from what it holds; never overwrites a file',
    load: () => import('./commands/init.js'),
  },
  up: {
    term: 'up [options]',
    summary: 'start the environment (databases, caches, stubs, services); print their URLs and wait until Ctrl-C or `accord down`',
    load: () => import('./commands/up.js'),
  },
  down: { term: 'down [options]', summary: 'stop the environment an `accord up` in this directory started', load: () => import('./commands/down.js') },
  env: {
    term: 'env [options]',
    summary: 'print the real URLs of the `accord up` running in this directory (dotenv lines; unredacted)',
    load: () => import('./commands/env.js'),
  },
  contract: { term: 'contract', summary: 'lint the OpenAPI contract, diff two versions of it, check the pacts against it', load: () => import('./commands/contract.js') },
  verify: {
    term: 'verify [options]',
    summary: 'verify the pacts against a live provider on a migrated database (starts and stops everything it needs)',
    load: () => import('./commands/verify.js'),
  },
  schema: { term: 'schema', summary: 'database schema drift', load: () => import('./commands/schema.js') },
  scenarios: {
    term: 'scenarios [options]',
    summary: "start the environment and run the system's integration scenarios; traces go to reports/traces/",
    load: () => import('./commands/scenarios.js'),
  },
  load: {
    term: 'load [options]',
    summary: 'run a load profile against the system (starting the environment) or --target; gate on latency, rate, errors, resources and the baseline',
    load: () => import('./commands/load.js'),
  },
  gate: {
    term: 'gate [options]',
    summary: 'every acceptance gate in order on one environment (`accord gate --help` lists them); reports in --report-dir',
    load: () => import('./commands/gate.js'),
  },
  broker: { term: 'broker', summary: 'the Pact-Broker-compatible registry', load: () => import('./commands/broker.js') },
  publish: { term: 'publish [options] <paths...>', summary: 'publish pact files (or directories of them) to a Pact Broker', load: () => import('./commands/publish.js') },
  'publish-provider-contract': {
    term: 'publish-provider-contract [options] <contract-file>',
    summary: "publish a provider's OpenAPI contract and its self-verification result (bi-directional contract testing)",
    load: () => import('./commands/publish-provider-contract.js'),
  },
  'can-i-deploy': {
    term: 'can-i-deploy [options]',
    summary: 'ask the Pact Broker matrix whether the given versions can be deployed (exit 0: yes, 1: no or unknown)',
    load: () => import('./commands/can-i-deploy.js'),
  },
  'record-deployment': {
    term: 'record-deployment [options]',
    summary: 'record a deployment in a Pact Broker (the previous deployment of that application instance becomes undeployed)',
    load: () => import('./commands/record-deployment.js'),
  },
  'record-release': { term: 'record-release [options]', summary: 'record a release in a Pact Broker (earlier releases stay supported)', load: () => import('./commands/record-release.js') },
  'create-environment': { term: 'create-environment [options]', summary: 'create an environment in a Pact Broker', load: () => import('./commands/create-environment.js') },
  stub: { term: 'stub', summary: 'stubs of services that are not ours, served from their OpenAPI document', load: () => import('./commands/stub.js') },
  docs: {
    term: 'docs [options]',
    summary: 'regenerate the architecture, contract, performance-baseline and sequence docs; --check only compares (exit 1 naming each stale file)',
    load: () => import('./commands/docs.js'),
  },
};

/** The command a command line runs: its first non-option argument, or for `help NAME` the NAME. */
export function requestedCommand(args: readonly string[]): string | undefined {
  const positional = args.filter((arg) => !arg.startsWith('-'));
  const first = positional[0] === 'help' && positional.length > 1 ? positional[1] : positional[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/**
 * Registers the command the arguments name, loading its module and nothing else. With no known
 * command (`accord`, `accord --help`, a typo), every command is registered from the table as a
 * name and summary without its module: enough for the help list and for commander's "unknown
 * command" message and its suggestion.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const requested = requestedCommand(args);
  if (requested !== undefined) {
    (await COMMANDS[requested]!.load()).register(program);
    return;
  }
  const terms = new Map<string, string>();
  for (const [name, entry] of Object.entries(COMMANDS)) {
    terms.set(name, entry.term);
    program.command(name).description(entry.summary);
  }
  const help = program.createHelp();
  program.configureHelp({ subcommandTerm: (command) => terms.get(command.name()) ?? help.subcommandTerm(command) });
}
