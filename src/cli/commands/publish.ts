import type { Command } from 'commander';
import { createBrokerClient, publishPacts } from '../../broker/client/index.js';
import { ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface PublishOptions {
  format: 'text' | 'json';
  consumerAppVersion: string;
  branch?: string;
  tag: string[];
  buildUrl?: string;
  merge?: boolean;
  brokerUrl?: string;
  brokerToken?: string;
}

/** `accord publish`: publish pact files to any Pact Broker API. */
export function register(program: Command): void {
  const command = program
    .command('publish')
    .description('publish pact files (or directories of them) to a Pact Broker')
    .argument('<paths...>', 'pact files or directories')
    .requiredOption('-a, --consumer-app-version <version>', 'the consumer version the pacts belong to (e.g. the git sha)')
    .option('--branch <branch>', 'the consumer version\'s git branch')
    .option('-t, --tag <tag>', 'a tag for the consumer version (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--build-url <url>', 'the CI build that produced the pacts')
    .option('--merge', 'merge with the pact already published for this version instead of refusing different content')
    .addOption(formatOption(['text', 'json']));
  addBrokerConnectionOptions(command).action(defineAction(async (paths: string[], options: PublishOptions) => publish(paths, options)));
}

async function publish(paths: string[], options: PublishOptions): Promise<number> {
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const result = await publishPacts(client, {
    paths,
    consumerVersion: options.consumerAppVersion,
    branch: options.branch,
    tags: options.tag,
    buildUrl: options.buildUrl,
    merge: options.merge ?? false,
  });
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    for (const pact of result.published) {
      process.stdout.write(`Published the pact between ${pact.consumer} (${result.consumerVersion}) and ${pact.provider} from ${pact.file}\n`);
      for (const notice of pact.notices) process.stdout.write(`  ${notice.text}\n`);
    }
  }
  return ExitCodes.OK;
}
