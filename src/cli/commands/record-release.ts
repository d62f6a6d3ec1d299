import type { Command } from 'commander';
import { createBrokerClient, recordRelease } from '../../broker/client/index.js';
import { ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface RecordReleaseOptions {
  format: 'text' | 'json';
  pacticipant: string;
  version: string;
  environment: string;
  brokerUrl?: string;
  brokerToken?: string;
}

/** `accord record-release`: record that a version is released (and supported) in an environment. */
export function register(program: Command): void {
  const command = program
    .command('record-release')
    .description('record a release in a Pact Broker (earlier releases stay supported)')
    .requiredOption('-a, --pacticipant <name>', 'the application')
    .requiredOption('-e, --version <version>', 'the version released')
    .requiredOption('--environment <name>', 'the environment it was released to')
    .addOption(formatOption(['text', 'json']));
  addBrokerConnectionOptions(command).action(defineAction(async (options: RecordReleaseOptions) => run(options)));
}

async function run(options: RecordReleaseOptions): Promise<number> {
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const result = await recordRelease(client, { pacticipant: options.pacticipant, version: options.version, environment: options.environment });
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`Recorded release of ${result.pacticipant} version ${result.version} to ${result.environment}\n`);
  return ExitCodes.OK;
}
