import type { Command } from 'commander';
import { createBrokerClient, createEnvironment } from '../../broker/client/index.js';
import { ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface CreateEnvironmentOptions {
  format: 'text' | 'json';
  name: string;
  displayName?: string;
  production?: boolean;
  contactName?: string;
  contactEmailAddress?: string;
  brokerUrl?: string;
  brokerToken?: string;
}

/** `accord create-environment`: create an environment in a Pact Broker. */
export function register(program: Command): void {
  const command = program
    .command('create-environment')
    .description('create an environment in a Pact Broker')
    .requiredOption('--name <name>', 'the environment name (no spaces), e.g. uat')
    .option('--display-name <name>', 'a display name, e.g. "User Acceptance Test"')
    .option('--production', 'mark it as a production environment')
    .option('--contact-name <name>', 'who to contact about it')
    .option('--contact-email-address <email>', 'the contact\'s email address')
    .addOption(formatOption(['text', 'json']));
  addBrokerConnectionOptions(command).action(defineAction(async (options: CreateEnvironmentOptions) => run(options)));
}

async function run(options: CreateEnvironmentOptions): Promise<number> {
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const contacts = options.contactName ? [{ name: options.contactName, ...(options.contactEmailAddress ? { details: { emailAddress: options.contactEmailAddress } } : {}) }] : [];
  const result = await createEnvironment(client, { name: options.name, displayName: options.displayName, production: options.production ?? false, contacts });
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`Created environment ${result.name} (uuid ${result.uuid})\n`);
  return ExitCodes.OK;
}
