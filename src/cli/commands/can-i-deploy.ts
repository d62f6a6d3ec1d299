import type { Command } from 'commander';
import { Option } from 'commander';
import { canIDeploy, createBrokerClient } from '../../broker/client/index.js';
import { EVIDENCE_STEPS, parseRequiredSteps } from '../../broker/evidence/steps.js';
import type { CanIDeployResult, PacticipantSelector } from '../../broker/client/index.js';
import { AccordError, ErrorCodes, ExitCodes, isAccordError } from '../../errors/index.js';
import { renderTable } from '../../report/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';
import { parseNumberOption } from '../parse-number.js';

interface CanIDeployCliOptions {
  format: 'text' | 'json';
  toEnvironment?: string;
  to?: string;
  retryWhileUnknown: string;
  retryInterval: string;
  dryRun?: boolean;
  require?: string;
  brokerUrl?: string;
  brokerToken?: string;
}

type Subject = PacticipantSelector & { ignore?: boolean };

/** `accord can-i-deploy`: ask a Pact Broker's matrix whether versions can be deployed; exit 0 yes, 1 no or unknown. */
export function register(program: Command): void {
  // `-e`, `--latest`, `--branch`… apply to the `-a` (or `--ignore`) before them, as in `pact broker can-i-deploy`;
  // commander calls these parsers in command-line order, which is what keeps that pairing.
  const subjects: Subject[] = [];
  const last = (flag: string): Subject => {
    const subject = subjects.at(-1);
    if (!subject) throw new AccordError(ErrorCodes.USAGE, `${flag} must follow --pacticipant NAME (or --ignore NAME)`);
    return subject;
  };
  const command = program
    .command('can-i-deploy')
    .description('ask the Pact Broker matrix whether the given versions can be deployed (exit 0: yes, 1: no or unknown)')
    .addOption(new Option('-a, --pacticipant <name>', 'an application to deploy (repeatable)').argParser((name: string) => void subjects.push({ pacticipant: name })))
    .addOption(new Option('-e, --version <version>', 'the version of the preceding --pacticipant/--ignore').argParser((version: string) => void (last('--version').version = version)))
    .addOption(new Option('-l, --latest [tag]', 'the latest version of the preceding --pacticipant (with the tag when given)').argParser((tag: string | undefined) => void (last('--latest').latest = tag ?? true)))
    .addOption(new Option('--tag <tag>', 'a version with this tag').argParser((tag: string) => void (last('--tag').tag = tag)))
    .addOption(new Option('--branch <branch>', 'the latest version from this branch').argParser((branch: string) => void (last('--branch').branch = branch)))
    .addOption(new Option('--main-branch', 'the latest version from the main branch').argParser(() => void (last('--main-branch').mainBranch = true)))
    .addOption(new Option('--ignore <name>', 'leave this application out of the decision (repeatable)').argParser((name: string) => void subjects.push({ pacticipant: name, ignore: true })))
    .option('--to-environment <name>', 'the environment to deploy to')
    .option('--to <tag>', 'the tag of the environment to deploy to (legacy)')
    .option('--require <steps>', `gate steps whose evidence must pass for every version involved: ids (${EVIDENCE_STEPS.join(', ')}) separated by commas, or all (Accord's broker)`)
    .option('--retry-while-unknown <times>', 'ask again this many times while the answer is unknown', '0')
    .option('--retry-interval <seconds>', 'seconds between retries', '10')
    .addOption(new Option('--dry-run', 'always exit 0 (print what the answer would be)').env('PACT_BROKER_CAN_I_DEPLOY_DRY_RUN'))
    .addOption(formatOption(['text', 'json']));
  addBrokerConnectionOptions(command).action(
    defineAction(async (options: CanIDeployCliOptions) => {
      const envIgnores = (process.env.PACT_BROKER_CAN_I_DEPLOY_IGNORE ?? '').split(',').map((name) => name.trim()).filter(Boolean);
      return run(options, [...subjects, ...envIgnores.map((pacticipant) => ({ pacticipant, ignore: true }))]);
    }),
  );
}


async function run(options: CanIDeployCliOptions, subjects: Subject[]): Promise<number> {
  const selectors = subjects.filter((s) => !s.ignore);
  if (selectors.length === 0) throw new AccordError(ErrorCodes.USAGE, 'give at least one --pacticipant NAME (with --version V, --latest [TAG] or --branch B)');
  if (options.toEnvironment && options.to) throw new AccordError(ErrorCodes.USAGE, '--to-environment and --to cannot both be given');
  const required = options.require === undefined ? undefined : requiredSteps(options.require);
  const dryRun = options.dryRun === true || String(options.dryRun) === 'true';
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const asking = canIDeploy(client, {
    selectors,
    ignore: subjects.filter((s) => s.ignore).map((s) => ({ pacticipant: s.pacticipant, version: s.version })),
    toEnvironment: options.toEnvironment,
    to: options.to,
    require: required,
    // A dry run never waits (pact_broker-client#149).
    retryWhileUnknown: dryRun ? 0 : parseNumberOption('--retry-while-unknown', options.retryWhileUnknown, { min: 0 }),
    retryIntervalMs: parseNumberOption('--retry-interval', options.retryInterval, { min: 0 }) * 1000,
  });
  const result = dryRun ? await asking.catch((error: unknown) => dryRunFailure(error, options.format)) : await asking;
  if (result === undefined) return ExitCodes.OK;
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result.response, null, 2)}\n`);
  else process.stdout.write(renderText(result, dryRun));
  if (dryRun) return ExitCodes.OK;
  return result.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}

function requiredSteps(value: string): string[] {
  const { steps, unknown } = parseRequiredSteps(value);
  if (unknown.length > 0) throw new AccordError(ErrorCodes.USAGE, `--require: unknown step ${unknown.map((s) => JSON.stringify(s)).join(', ')} (known: ${EVIDENCE_STEPS.join(', ')}, or all)`);
  if (steps.length === 0) throw new AccordError(ErrorCodes.USAGE, `--require needs step ids separated by commas (${EVIDENCE_STEPS.join(', ')}) or all, got ${JSON.stringify(value)}`);
  return steps;
}

/**
 * A dry run promises exit 0, as `pact broker can-i-deploy --dry-run` does: when the broker
 * cannot be asked (unreachable, a wrong token), it says what it would have answered and exits 0.
 * Anything that is not a broker failure is rethrown.
 */
function dryRunFailure(error: unknown, format: 'text' | 'json'): undefined {
  if (!isAccordError(error) || (error.code !== ErrorCodes.BROKER_REQUEST_FAILED && error.code !== ErrorCodes.BROKER_UNAUTHORIZED)) throw error;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ dryRun: true, error: { code: error.code, message: error.message } }, null, 2)}\n`);
  } else {
    process.stdout.write(`${error.message}\n\nComputer says no ¯\\_(ツ)_/¯ (the broker could not be asked; without --dry-run this exits 2)\nDry run enabled: suppressing the failing exit code\n`);
  }
  return undefined;
}

/** The matrix table, the verification result links, the reasons and the verdict, like `pact broker can-i-deploy`. */
function renderText(result: CanIDeployResult, dryRun: boolean): string {
  const rows = result.response.matrix ?? [];
  const lines: string[] = [];
  if (rows.length > 0) {
    const links: string[] = [];
    const cells = rows.map((row) => {
      const href = row.verificationResult?._links?.self?.href;
      if (href) links.push(`${links.length + 1}. ${href} (${row.verificationResult?.success ? 'success' : 'failure'})`);
      return [
        row.consumer.name,
        row.consumer.version?.number ?? '???',
        row.provider.name,
        row.provider.version?.number ?? '???',
        row.verificationResult ? String(row.verificationResult.success) : '???',
        href ? String(links.length) : '',
        `${row.verificationType ?? 'CDCT'}${row.ignored ? ' (ignored)' : ''}`,
      ];
    });
    lines.push(renderTable(['CONSUMER', 'C.VERSION', 'PROVIDER', 'P.VERSION', 'SUCCESS?', 'RESULT#', 'TYPE'], cells, { style: 'boxed' }));
    if (links.length > 0) lines.push('', 'VERIFICATION RESULTS', '--------------------', ...links);
    lines.push('');
  }
  const evidence = result.response.evidence ?? [];
  if (evidence.length > 0) {
    const cells = evidence.map((entry) => [entry.pacticipant.name, entry.version.number, entry.step, entry.status ?? '???', entry.summary ?? '']);
    lines.push('EVIDENCE', renderTable(['PACTICIPANT', 'VERSION', 'STEP', 'EVIDENCE', 'SUMMARY'], cells, { style: 'boxed' }), '');
  }
  for (const reason of result.response.summary.reason.split('\n').filter(Boolean)) lines.push(reason);
  if (result.attempts > 1) lines.push(`(asked ${result.attempts} times while the answer was unknown)`);
  lines.push('', result.ok ? 'Computer says yes \\o/' : 'Computer says no ¯\\_(ツ)_/¯');
  if (dryRun && !result.ok) lines.push('Dry run enabled: suppressing the failing exit code');
  return `${lines.join('\n')}\n`;
}
