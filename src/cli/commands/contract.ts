import path from 'node:path';
import { type Command, Option } from 'commander';
import { contractPathOf, DEFAULT_CONFIG, loadConfig, pacticipantOf, redact } from '../../config/index.js';
import {
  checkPacts,
  createPositionLookup,
  DIFF_POLICIES,
  diffContracts,
  isGitSpec,
  lintContract,
  readContractSource,
  renderDiffGithub,
  renderDiffMarkdown,
  renderDiffText,
  renderLintText,
  renderPactsText,
} from '../../contract/index.js';
import type { DiffPolicy } from '../../contract/index.js';
import { AccordError, ErrorCodes, ExitCodes, isAccordError } from '../../errors/index.js';
import { contractUsage, diffWithConsumers, parseConsumerSource, renderUsageHtml, renderUsageMarkdown, renderUsageText } from '../../usage/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface ContractSettings {
  /** The contract path, relative to the working directory; undefined when the config names none. */
  contract: string | undefined;
  /** Where the missing contract would be configured, for the one-line error. */
  require: () => string;
  pacts: string;
  policy: DiffPolicy;
  /** `contracts.consumers`, relative to the working directory when it is a directory. */
  consumers: string | undefined;
  /** `pacts.yaml` verify.provider: the provider whose pacts the broker gives. */
  provider: string | undefined;
  /** `contracts.refs.allowHosts`: hosts whose http(s) URLs a `$ref` may name. */
  allowRefHosts: readonly string[];
}

/** `--consumers`, `--provider` and the broker's URL and token, shared by diff and usage. */
interface ConsumerOptions {
  consumers?: string;
  provider?: string;
  brokerUrl?: string;
  brokerToken?: string;
}

interface UsageOptions extends ConsumerOptions {
  config: string;
  format: 'text' | 'json' | 'markdown' | 'html';
  allowRefHost?: string[];
}

interface LintOptions {
  config: string;
  format: 'text' | 'json';
  allowRefHost?: string[];
}

interface DiffOptions extends ConsumerOptions {
  config: string;
  format: 'text' | 'json' | 'markdown' | 'github';
  policy?: DiffPolicy;
  allowRefHost?: string[];
}

interface CheckPactsOptions {
  allowRefHost?: string[];
  config: string;
  format: 'text' | 'json';
  pacts?: string;
  contract?: string;
  recorded?: string;
}

/** `accord contract lint|diff|usage|check-pacts`: the OpenAPI contract's gates. */
export function register(program: Command): void {
  const contract = program.command('contract').description('lint the OpenAPI contract, diff two versions of it, say who uses what, check the pacts against it');

  contract
    .command('lint')
    .description('validate an OpenAPI 3.0/3.1 document (schema, $refs, operationIds, path parameters, examples) or an AsyncAPI 3.0 one')
    .argument('[file]', 'the OpenAPI or AsyncAPI document (default: the config\'s contracts.path)')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(allowRefHostOption())
    .action(defineAction(async (file: string | undefined, options: LintOptions, command: Command) => {
      const configured = await settings(options.config, command);
      const target = file ?? configured.require();
      const result = await lintContract(target, refHosts(options, configured));
      write(options.format === 'json' ? JSON.stringify(result, null, 2) : renderLintText(result));
      return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
    }));

  addConsumerOptions(contract
    .command('diff')
    .description('classify every change between two contract versions (oasdiff rule ids), check the semver bump, and (with --consumers) who each change touches')
    .argument('<base>', 'the older version: a file, or git:REF[:PATH] (the file as it was at REF)')
    .argument('<revision>', 'the newer version: a file, or git:REF[:PATH]')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'markdown', 'github']))
    .addOption(new Option('--policy <policy>', 'semver: breaking changes need a major bump; none: no breaking change at all; consumers: no breaking change a consumer\'s pact touches (default: the config\'s contracts.policy)').choices(DIFF_POLICIES))
    .addOption(allowRefHostOption()))
    .action(defineAction(async (base: string, revision: string, options: DiffOptions, command: Command) => {
      const configured = await settings(options.config, command);
      const policy = options.policy ?? configured.policy;
      // `diff git:HEAD FILE` reads FILE as it was at HEAD, like `git diff HEAD -- FILE`; with two git sides, the configured contract.
      const plainSide = [revision, base].find((spec) => !isGitSpec(spec));
      const defaultPath = plainSide ?? configured.contract;
      const diffOptions = { policy, ...refHosts(options, configured), ...(defaultPath === undefined ? {} : { defaultPath }) };
      // The consumers policy needs consumers: the configured ones, else the project's pacts.
      const consumers = options.consumers ?? configured.consumers ?? (policy === 'consumers' ? configured.pacts : undefined);
      const result = consumers === undefined
        ? await diffContracts(base, revision, diffOptions)
        : await diffWithConsumers(base, revision, { ...diffOptions, ...consumerOptions(options, configured, consumers) });
      if (options.format === 'json') write(JSON.stringify(result, null, 2));
      else if (options.format === 'markdown') write(renderDiffMarkdown(result, base, revision));
      else if (options.format === 'github') {
        const file = isGitSpec(revision) ? undefined : revision;
        const positions = file === undefined ? undefined : createPositionLookup((await readContractSource(file)).text);
        write(renderDiffGithub(result, file, positions));
      } else write(renderDiffText(result, base, revision));
      return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
    }));

  registerUsage(contract);

  contract
    .command('check-pacts')
    .description('check every interaction of every pact against the OpenAPI contract')
    .option('--pacts <path>', 'a pact file or a directory of them (default: the config\'s pacts.dir)')
    .option('--contract <file>', 'the OpenAPI contract (default: the config\'s contracts.path; with --recorded, the one the recording names)')
    .option('--recorded <file>', 'check a stub\'s recorded traffic (JSON lines from `accord stub serve --record`) instead of pact files')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(allowRefHostOption())
    .action(defineAction(async (options: CheckPactsOptions, command: Command) => {
      if (options.recorded !== undefined) {
        // A vendor's contract, not ours: the stub's recording says which one unless --contract does.
        const { checkRecorded } = await import('../../stub/index.js');
        const result = await checkRecorded({ recorded: options.recorded, ...(options.contract === undefined ? {} : { contract: options.contract }) });
        write(options.format === 'json' ? JSON.stringify(result, null, 2) : renderPactsText(result, options.contract ?? options.recorded));
        return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
      }
      const configured = await settings(options.config, command);
      const contractFile = options.contract ?? configured.require();
      const result = await checkPacts({ pacts: options.pacts ?? configured.pacts, contract: contractFile, ...refHosts(options, configured) });
      write(options.format === 'json' ? JSON.stringify(result, null, 2) : renderPactsText(result, contractFile));
      return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
    }));
}

/**
 * Contract path, pacts directory and policy from the config. Outside a project (no
 * `config/integration` and no explicit `--config`) the built-in defaults apply, so
 * `accord contract lint some.yaml` works anywhere; they name no contract, so a command that
 * needs one is then told to pass it.
 */
async function settings(configDir: string, command: Command): Promise<ContractSettings> {
  const cwd = process.cwd();
  try {
    const config = await loadConfig(configDir, { root: cwd });
    const configured = config.contracts.path;
    const contract = configured === undefined ? undefined : path.relative(cwd, configured) || configured;
    return {
      contract,
      require: () => contract ?? contractPathOf(config, 'the OpenAPI contract to check; or pass it on the command line'),
      pacts: path.relative(cwd, config.pacts.dir) || config.pacts.dir,
      policy: config.contracts.policy,
      consumers: config.contracts.consumers === undefined || config.contracts.consumers.startsWith('broker') ? config.contracts.consumers : path.relative(cwd, config.contracts.consumers) || config.contracts.consumers,
      provider: pacticipantOf(config, config.pacts.verify.provider),
      allowRefHosts: config.contracts.refs.allowHosts,
    };
  } catch (error) {
    const explicit = command.getOptionValueSource('config') !== 'default';
    if (explicit || !isAccordError(error, ErrorCodes.FILE_NOT_FOUND)) throw error;
    const require = () => {
      throw new AccordError(ErrorCodes.USAGE, `no config directory ${configDir} here, so no contracts.path: pass the OpenAPI contract on the command line`);
    };
    return { contract: undefined, require, pacts: DEFAULT_CONFIG.pacts.dir, policy: DEFAULT_CONFIG.contracts.policy, consumers: undefined, provider: undefined, allowRefHosts: [] };
  }
}

/** `accord contract usage`: who uses each operation and response field. */
function registerUsage(contract: Command): void {
  addConsumerOptions(contract
    .command('usage')
    .description('for every operation and response field of the contract, which consumers use it (and in which interaction); what no consumer uses, listed apart')
    .argument('[contract]', 'the OpenAPI or AsyncAPI document (default: the config\'s contracts.path)')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'markdown', 'html']))
    .addOption(allowRefHostOption()))
    .action(defineAction(async (file: string | undefined, options: UsageOptions, command: Command) => {
      const configured = await settings(options.config, command);
      const consumers = options.consumers ?? configured.consumers ?? configured.pacts;
      // A wrong SOURCE is bad input before the contract is read.
      parseConsumerSource(consumers);
      const target = file ?? configured.require();
      const report = await contractUsage(target, { ...refHosts(options, configured), ...consumerOptions(options, configured, consumers) });
      const render = { json: (r: typeof report) => JSON.stringify(r, null, 2), markdown: renderUsageMarkdown, html: renderUsageHtml, text: renderUsageText }[options.format];
      write(render(report));
      return ExitCodes.OK;
    }));
}

/** `--consumers SOURCE`, `--provider NAME` and the broker's URL and token. */
function addConsumerOptions(command: Command): Command {
  command
    .option('--consumers <source>', 'judge each change by the consumers\' pacts: a pacts directory, broker, broker:ENVIRONMENT (versions deployed or released there) or broker:branch=NAME (default: the config\'s contracts.consumers)')
    .option('--provider <name>', 'the provider whose pacts count (default for the broker: pacts.yaml verify.provider; a directory: every pact in it)');
  return addBrokerConnectionOptions(command);
}

function consumerOptions(options: ConsumerOptions, configured: ContractSettings, consumers: string) {
  // The broker needs a provider to ask for; a directory is filtered only when --provider says so,
  // since pacts.yaml's provider is the HTTP one and a message contract's pacts name another.
  const provider = options.provider ?? (parseConsumerSource(consumers).kind === 'broker' ? configured.provider : undefined);
  return {
    consumers,
    ...(provider === undefined ? {} : { provider }),
    broker: { baseUrl: options.brokerUrl, token: options.brokerToken },
  };
}

/** `--allow-ref-host`: remote `$ref`s are refused unless their host is named here. */
function allowRefHostOption(): Option {
  return new Option('--allow-ref-host <host...>', 'let $refs fetch http(s) URLs from these hosts, besides contracts.yaml refs.allowHosts (none by default: a $ref may only name files inside the project)');
}

/** The hosts `--allow-ref-host` names and those of contracts.yaml's `refs.allowHosts`. */
function refHosts(options: { allowRefHost?: string[] }, configured: Pick<ContractSettings, 'allowRefHosts'>): { allowRefHosts?: string[] } {
  const hosts = [...configured.allowRefHosts, ...(options.allowRefHost ?? [])];
  return hosts.length === 0 ? {} : { allowRefHosts: hosts };
}

function write(text: string): void {
  // Redacted as verify's output is: a contract or pact may quote a token from the environment.
  const shown = redact(text);
  process.stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`);
}
