import type { Command } from 'commander';
import { createBrokerClient, recordDeployment } from '../../broker/client/index.js';
import { ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface RecordDeploymentOptions {
  format: 'text' | 'json';
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance?: string;
  brokerUrl?: string;
  brokerToken?: string;
}

/** `accord record-deployment`: record that a version is deployed to an environment. */
export function register(program: Command): void {
  const command = program
    .command('record-deployment')
    .description('record a deployment in a Pact Broker (the previous deployment of that application instance becomes undeployed)')
    .requiredOption('-a, --pacticipant <name>', 'the application')
    .requiredOption('-e, --version <version>', 'the version deployed')
    .requiredOption('--environment <name>', 'the environment it was deployed to')
    .option('--application-instance <name>', 'one of several instances deployed side by side')
    .addOption(formatOption(['text', 'json']));
  addBrokerConnectionOptions(command).action(defineAction(async (options: RecordDeploymentOptions) => run(options)));
}

async function run(options: RecordDeploymentOptions): Promise<number> {
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const result = await recordDeployment(client, { pacticipant: options.pacticipant, version: options.version, environment: options.environment, applicationInstance: options.applicationInstance });
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`Recorded deployment of ${result.pacticipant} version ${result.version} to ${result.environment}${result.applicationInstance ? ` (application instance ${result.applicationInstance})` : ''}\n`);
  return ExitCodes.OK;
}
