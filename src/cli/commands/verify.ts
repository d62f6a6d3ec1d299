import type { Command } from 'commander';
import { redact } from '../../config/index.js';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import { renderVerifyJunit, renderVerifyText, runVerify, toVerifyJson } from '../../pact/index.js';
import type { RunVerifyOptions } from '../../pact/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';

interface VerifyOptions {
  config: string;
  format: 'text' | 'json' | 'junit';
  pacts?: string;
  states: string;
  messages: string;
  asyncapi: string;
  provider: string;
  contract?: string;
  publish?: boolean;
  providerVersion?: string;
  branch?: string;
  buildUrl?: string;
  verbose?: boolean;
}

/** `accord verify`: provider verification of the pacts against a live Service B. */
export function register(program: Command): void {
  program
    .command('verify')
    .description('verify the pacts against a live provider on a migrated database (starts and stops everything it needs)')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--pacts <path>', 'pact directory or file (default: the config\'s pacts.dir)')
    .option('--states <module>', 'module that default-exports defineProviderStates(...)', 'providers/service-b/test/states.ts')
    .option('--provider <name>', 'provider name in the pacts and service in the environment', 'service-b')
    .option('--contract <file>', 'OpenAPI contract every response is checked against (default: the config\'s contracts.path)')
    .option('--messages <module>', 'module that default-exports defineMessageProviders(...), for the message pacts', 'consumers/service-a/test/message-providers.ts')
    .option('--asyncapi <file>', 'AsyncAPI document every built message is checked against', 'contracts/order-events.asyncapi.yaml')
    .option('--publish', 'publish the results to the Pact Broker at PACT_BROKER_BASE_URL (pacts are then read from it)')
    .option('--provider-version <version>', 'the provider version the results are published for (with --publish)')
    .option('--branch <name>', 'the provider branch the results are published for (with --publish)')
    .option('--build-url <url>', 'the CI build to link the published results to (with --publish)')
    .option('--verbose', 'also print the pact verifier\'s own report (text format)')
    .action(defineAction(async (options: VerifyOptions) => verify(options)));
}

async function verify(options: VerifyOptions): Promise<number> {
  if (options.publish && !options.providerVersion) {
    throw new AccordError(ErrorCodes.USAGE, '--publish needs --provider-version <version>: the broker records results against a provider version');
  }
  if (!options.publish && (options.providerVersion || options.branch || options.buildUrl)) {
    throw new AccordError(ErrorCodes.USAGE, '--provider-version, --branch and --build-url only apply with --publish');
  }
  const progress = (line: string) => {
    // Plain lines on stderr keep stdout clean for --format json/junit.
    if (options.format === 'text') process.stderr.write(`accord: ${redact(line)}\n`);
  };
  const run: RunVerifyOptions = {
    configDir: options.config,
    states: options.states,
    provider: options.provider,
    messages: options.messages,
    asyncApi: options.asyncapi,
    onProgress: progress,
    ...(options.pacts ? { pacts: options.pacts } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    ...(options.publish && options.providerVersion
      ? { publish: { providerVersion: options.providerVersion, branch: options.branch, buildUrl: options.buildUrl } }
      : {}),
  };
  const result = await runVerify(run);

  if (options.format === 'json') {
    process.stdout.write(`${redact(JSON.stringify(toVerifyJson(result), null, 2))}\n`);
  } else if (options.format === 'junit') {
    process.stdout.write(redact(renderVerifyJunit(result)));
  } else {
    if (options.verbose) process.stdout.write(`${redact(result.verifierOutput)}\n\n`);
    process.stdout.write(redact(renderVerifyText(result)));
    const { environmentStartMs = 0, verifyMs = 0, environmentStopMs = 0 } = result.timings;
    process.stderr.write(`accord: environment start ${environmentStartMs} ms, verification ${verifyMs} ms, stop ${environmentStopMs} ms\n`);
  }
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}
