import type { Command } from 'commander';
import { Option } from 'commander';
import { redact } from '../../config/index.js';
import { AccordError, ErrorCodes, ExitCodes } from '../../errors/index.js';
import { renderVerifyJunit, renderVerifyText, runVerificationLive, toVerifyJson } from '../../pact/index.js';
import type { RunVerificationLiveOptions } from '../../pact/index.js';
import { runPactUrlVerification } from '../../pact/pact-url-source.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { progressLine } from '../progress-line.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface VerifyOptions {
  config: string;
  format: 'text' | 'json' | 'junit';
  pacts?: string;
  states?: string;
  messages?: string;
  asyncapi?: string;
  provider?: string;
  contract?: string;
  publish?: boolean;
  providerVersion?: string;
  branch?: string;
  buildUrl?: string;
  verbose?: boolean;
  fromBroker?: boolean;
  brokerUrl?: string;
  brokerToken?: string;
  consumerVersionSelector: string[];
  consumerVersionTag: string[];
  consumerVersionBranch: string[];
  includePending?: boolean;
  includeWipPactsSince?: string;
  providerBaseUrl?: string;
  databaseUrl?: string;
  redisUrl?: string;
  pactUrl?: string;
  freePorts?: boolean;
}

const repeat = (value: string, previous: string[]): string[] => [...previous, value];

/** `accord verify`: provider verification of the pacts against the live provider service. */
export function register(program: Command): void {
  const command = program
    .command('verify')
    .description('verify the pacts against a live provider on a migrated database (starts and stops everything it needs)')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--pacts <path>', 'pact directory or file (default: the config\'s pacts.dir)')
    .option('--states <module>', 'module that default-exports defineProviderStates(...) (default: pacts.yaml verify.states)')
    .option('--provider <name>', 'provider name in the pacts and service in the environment (default: pacts.yaml verify.provider)')
    .option('--contract <file>', 'OpenAPI contract every response is checked against (default: the config\'s contracts.path)')
    .option('--messages <module>', 'module that default-exports defineMessageProviders(...), for the message pacts (default: pacts.yaml verify.messages)')
    .option('--asyncapi <file>', 'AsyncAPI document every built message is checked against (default: pacts.yaml verify.asyncApi)')
    .option('--publish', 'publish the results to the Pact Broker (--broker-url or PACT_BROKER_BASE_URL; pacts are then read from it)')
    .option('--provider-version <version>', 'the provider version the results are published for (with --publish)')
    .option('--branch <name>', 'the provider branch the results are published for (with --publish)')
    .option('--build-url <url>', 'the CI build to link the published results to (with --publish)')
    .option('--verbose', 'also print the pact verifier\'s own report (text format)')
    .option('--free-ports', 'start the provider on a free port, not the configured one (for a provider that listens where PORT says)')
    .option('--provider-base-url <url>', 'verify this already running provider instead of starting one; its states use the database of the accord up running here that serves it, else --database-url')
    .option('--database-url <url>', 'with --provider-base-url: the provider\'s database, which the provider states write')
    .option('--redis-url <url>', 'with --provider-base-url: the provider\'s Redis, whose cache keys are cleared between interactions')
    .option('--from-broker', 'verify the pacts the broker gives (see the selector options) without publishing results')
    .option('--consumer-version-selector <json>', 'a consumer version selector as JSON, e.g. \'{"branch":"main"}\' (repeatable; default: main branches and deployed or released versions)', repeat, [])
    .option('--consumer-version-tag <tag>', 'the latest consumer version with this tag (repeatable)', repeat, [])
    .option('--consumer-version-branch <branch>', 'the latest consumer version from this branch (repeatable)', repeat, [])
    .option('--include-pending', 'pending pacts (not yet verified by this provider) do not fail the verification')
    .option('--include-wip-pacts-since <date>', 'also verify work-in-progress pacts published since this date (YYYY-MM-DD)')
    .addOption(new Option('--pact-url <url>', 'verify only the pact at this broker URL (what a webhook\'s ${pactbroker.pactUrl} names); with --publish its result goes to that pact').env('PACT_URL'))
    .action(defineAction(async (options: VerifyOptions, command: Command) => verify(options, command.getOptionValueSource('brokerUrl') === 'cli')));
  addBrokerConnectionOptions(command);
}

/** The selectors the options give, each checked: a typo is answered before anything starts. */
function selectorsOf(options: VerifyOptions): Record<string, unknown>[] {
  const selectors: Record<string, unknown>[] = options.consumerVersionSelector.map((text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new AccordError(ErrorCodes.USAGE, `--consumer-version-selector: expected a JSON object like '{"branch":"main"}', got ${JSON.stringify(text)} (${(error as Error).message})`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new AccordError(ErrorCodes.USAGE, `--consumer-version-selector: expected a JSON object like '{"branch":"main"}', got ${JSON.stringify(text)}`);
    }
    return parsed as Record<string, unknown>;
  });
  selectors.push(...options.consumerVersionTag.map((tag) => ({ tag, latest: true })));
  selectors.push(...options.consumerVersionBranch.map((branch) => ({ branch })));
  return selectors;
}

async function verify(options: VerifyOptions, brokerUrlGiven: boolean): Promise<number> {
  const selectors = selectorsOf(options);
  // An explicit --broker-url (not the environment's PACT_BROKER_BASE_URL) also means "read the pacts from it".
  const fromBroker = options.fromBroker === true || brokerUrlGiven;
  const brokerOnly = selectors.length > 0 || options.includePending || options.includeWipPactsSince !== undefined;
  if (brokerOnly && !fromBroker && !options.publish && !options.pactUrl) {
    throw new AccordError(ErrorCodes.USAGE, 'consumer version selectors, --include-pending and --include-wip-pacts-since choose pacts from a broker: add --from-broker (or --publish)');
  }
  if (options.pactUrl && (options.pacts || options.fromBroker || selectors.length > 0 || options.includeWipPactsSince !== undefined)) {
    throw new AccordError(ErrorCodes.USAGE, '--pact-url verifies the one pact it names: leave out --pacts, --from-broker, the consumer version selectors and --include-wip-pacts-since');
  }
  if ((fromBroker || options.publish) && options.pacts) throw new AccordError(ErrorCodes.USAGE, '--pacts reads pact files; --from-broker, --broker-url and --publish read them from the broker: give one or the other');
  if (!options.providerBaseUrl && (options.databaseUrl || options.redisUrl)) throw new AccordError(ErrorCodes.USAGE, '--database-url and --redis-url only apply with --provider-base-url (without it, accord starts its own)');
  if (options.includeWipPactsSince !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(options.includeWipPactsSince)) {
    throw new AccordError(ErrorCodes.USAGE, `--include-wip-pacts-since: expected a date like 2026-01-31, got ${JSON.stringify(options.includeWipPactsSince)}`);
  }
  if (options.publish && !options.providerVersion) {
    throw new AccordError(ErrorCodes.USAGE, '--publish needs --provider-version <version>: the broker records results against a provider version');
  }
  if (!options.publish && (options.providerVersion || options.branch || options.buildUrl)) {
    throw new AccordError(ErrorCodes.USAGE, '--provider-version, --branch and --build-url only apply with --publish');
  }
  const progress = progressLine(redact, options.format === 'text');
  const run: RunVerificationLiveOptions = {
    configDir: options.config,
    onProgress: progress,
    ...(options.states ? { states: options.states } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.messages ? { messages: options.messages } : {}),
    ...(options.asyncapi ? { asyncApi: options.asyncapi } : {}),
    ...(options.pacts ? { pacts: options.pacts } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    ...(fromBroker ? { fromBroker: true } : {}),
    ...(options.brokerUrl ? { brokerUrl: options.brokerUrl } : {}),
    ...(options.brokerToken ? { brokerToken: options.brokerToken } : {}),
    ...(selectors.length > 0 ? { consumerVersionSelectors: selectors } : {}),
    ...(options.includePending ? { includePending: true } : {}),
    ...(options.includeWipPactsSince ? { includeWipPactsSince: options.includeWipPactsSince } : {}),
    ...(options.providerBaseUrl ? { providerBaseUrl: options.providerBaseUrl } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.freePorts ? { freePorts: true } : {}),
    ...(options.publish && options.providerVersion
      ? { publish: { providerVersion: options.providerVersion, branch: options.branch, buildUrl: options.buildUrl } }
      : {}),
  };
  const result = options.pactUrl ? await runPactUrlVerification(options.pactUrl, run) : await runVerificationLive(run);
  if ('pending' in result && result.pending) {
    process.stderr.write(`accord: the pact failed but is pending for this provider (--include-pending): the build passes${options.publish ? '; the failed result is published' : ''}\n`);
  }

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
