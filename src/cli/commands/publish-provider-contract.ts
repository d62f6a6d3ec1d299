import type { Command } from 'commander';
import { Option } from 'commander';
import { createBrokerClient, publishProviderContract } from '../../broker/client/index.js';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';

interface PublishProviderContractCliOptions {
  format: 'text' | 'json';
  output?: 'text' | 'json';
  provider: string;
  providerAppVersion: string;
  branch?: string;
  tag: string[];
  specification: string;
  contentType?: string;
  verificationSuccess?: boolean;
  verificationExitCode?: string;
  verificationResults?: string;
  verificationResultsContentType?: string;
  verificationResultsFormat?: string;
  verifier?: string;
  verifierVersion?: string;
  buildUrl?: string;
  brokerUrl?: string;
  brokerBaseUrl?: string;
  brokerToken?: string;
}

/** `accord publish-provider-contract`: `pactflow publish-provider-contract`'s options, against PactFlow or Accord's broker. */
export function register(program: Command): void {
  program
    .command('publish-provider-contract')
    .description('publish a provider\'s OpenAPI contract and its self-verification result (bi-directional contract testing; the options of pactflow publish-provider-contract)')
    .argument('<contract-file>', 'the OpenAPI document (YAML or JSON)')
    .requiredOption('--provider <name>', 'the provider name')
    .requiredOption('-a, --provider-app-version <version>', 'the provider application version')
    .option('--branch <branch>', 'repository branch of the provider version')
    .option('-t, --tag <tag>', 'tag for the provider version (repeatable, or comma separated)', (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)], [] as string[])
    .option('--specification <spec>', 'the contract specification', 'oas')
    .option('--content-type <type>', 'the content type, e.g. application/yaml (default: from the file extension)')
    .option('--verification-success', 'the self verification passed')
    .option('--no-verification-success', 'the self verification failed')
    .option('--verification-exit-code <n>', 'the exit code of the verification process (instead of --[no-]verification-success)')
    .option('--verification-results <file>', 'the output of the verification process')
    .option('--verification-results-content-type <type>', 'the content type of the verification output, e.g. text/plain')
    .option('--verification-results-format <format>', 'the format of the verification output, e.g. junit, text')
    .option('--verifier <name>', 'the tool used to verify the provider contract')
    .option('--verifier-version <version>', 'the version of that tool')
    .option('--build-url <url>', 'the build that created the provider contract')
    .addOption(new Option('-b, --broker-base-url <url>', 'Pact Broker base URL (same as --broker-url)'))
    .addOption(new Option('--broker-url <url>', 'Pact Broker base URL').env('PACT_BROKER_BASE_URL'))
    .addOption(new Option('-k, --broker-token <token>', 'Pact Broker bearer token').env('PACT_BROKER_TOKEN'))
    .addOption(new Option('-o, --output <format>', 'output format (same as --format)').choices(['text', 'json']))
    .addOption(formatOption(['text', 'json']))
    .action(defineAction(async (file: string, options: PublishProviderContractCliOptions) => run(file, options)));
}

/** `--verification-exit-code` wins when given (0 is success), as in pactflow's CLI; one of the two is required. */
function verificationSuccess(options: PublishProviderContractCliOptions): boolean {
  if (options.verificationExitCode !== undefined) {
    const code = Number(options.verificationExitCode);
    if (!Number.isInteger(code) || code < 0) throw new AccordError(ErrorCodes.USAGE, `--verification-exit-code must be a non-negative integer, got ${JSON.stringify(options.verificationExitCode)}`);
    return code === 0;
  }
  if (options.verificationSuccess === undefined) throw new AccordError(ErrorCodes.USAGE, 'say whether the self verification passed: --verification-success, --no-verification-success or --verification-exit-code N');
  return options.verificationSuccess;
}

async function run(file: string, options: PublishProviderContractCliOptions): Promise<number> {
  const success = verificationSuccess(options);
  const client = createBrokerClient({ baseUrl: options.brokerBaseUrl ?? options.brokerUrl, token: options.brokerToken });
  const result = await publishProviderContract(client, {
    file,
    provider: options.provider,
    providerVersion: options.providerAppVersion,
    branch: options.branch,
    tags: options.tag,
    specification: options.specification,
    contentType: options.contentType,
    verificationSuccess: success,
    verificationResults: options.verificationResults,
    verificationResultsContentType: options.verificationResultsContentType,
    verificationResultsFormat: options.verificationResultsFormat,
    verifier: options.verifier,
    verifierVersion: options.verifierVersion,
    buildUrl: options.buildUrl,
  });
  if ((options.output ?? options.format) === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(`Published the provider contract ${file} for ${result.provider} version ${result.providerVersion}\n`);
    for (const notice of result.notices) process.stdout.write(`  ${notice.text}\n`);
  }
  return ExitCodes.OK;
}
