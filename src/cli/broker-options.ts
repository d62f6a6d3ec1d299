import type { Command } from 'commander';
import { Option } from 'commander';

// Its own file so that a command taking these options does not load the broker server with them.

/** `--broker-url` and `--broker-token`, shared by every command that talks to a Pact Broker. */
export function addBrokerConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--broker-url <url>', 'Pact Broker base URL').env('PACT_BROKER_BASE_URL'))
    .addOption(new Option('--broker-token <token>', 'Pact Broker bearer token').env('PACT_BROKER_TOKEN'));
}
