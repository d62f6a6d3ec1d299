import { relative } from 'node:path';
import type { Command } from 'commander';
import { redact } from '../../config/index.js';
import { ExitCodes } from '../../errors/index.js';
// Files, not the gate barrel: it would load every step's dependencies before options are checked.
import { publishAndAsk } from '../../gate/after-publish.js';
import { plainProgress, ttyProgress } from '../../gate/progress.js';
import { preparePublish } from '../../gate/publish-run.js';
import { renderGateJunit, renderGateText, writeGateReport } from '../../gate/render.js';
import { runGate } from '../../gate/run-gate.js';
import { GATE_STEP_IDS } from '../../gate/steps.js';
import type { AcceptanceReport } from '../../report/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { addBrokerConnectionOptions } from '../broker-options.js';

interface GateOptions {
  config: string;
  freePorts?: boolean;
  format: 'text' | 'json' | 'junit';
  baseline?: string;
  profile?: string;
  baselineRef?: string;
  only: string[];
  skip: string[];
  failFast?: boolean;
  reportDir: string;
  publish?: boolean;
  brokerUrl?: string;
  brokerToken?: string;
  version?: string;
  branch?: string;
}

/** `accord gate`: every acceptance gate in order on one environment, one report. */
export function register(program: Command): void {
  const command = program
    .command('gate')
    .description(`every acceptance gate in order on one environment (${GATE_STEP_IDS.join(' → ')}); reports in --report-dir`)
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--baseline <git:REF|FILE>', "what the working contract is diffed against (default: contracts.yaml baseline, git:HEAD)")
    .option('--profile <smoke|full|FILE>', 'the load profile (default: gate.yaml load.profile, smoke)')
    .option('--baseline-ref <REF>', "the git revision whose build the load step measures beside the candidate in alternating rounds; none: the recorded docs/performance-baseline.json (default: load.yaml baseline.ref, else the merge base with the main branch)")
    .option('--only <steps>', 'run only these steps (comma-separated, repeatable)', collect, [])
    .option('--skip <steps>', 'leave these steps out (comma-separated, repeatable)', collect, [])
    .option('--fail-fast', 'stop at the first failed step (default: only the steps that depend on it are skipped)')
    .option('--free-ports', 'start the services on free ports, not their configured ones (for services that listen where PORT says)')
    .option('--report-dir <dir>', 'where acceptance.* and the run\'s evidence go', 'reports')
    .option('--publish', 'publish the run to a Pact Broker: pacts, verification results, the provider contract, every step\'s evidence (a failed run too)')
    .option('--version <version>', 'the version the run is published as (default: the git commit, short sha)')
    .option('--branch <branch>', 'the branch the run is published from (default: the checked-out git branch)');
  addBrokerConnectionOptions(command).action(defineAction(async (options: GateOptions) => gate(options)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((name) => name.trim()).filter(Boolean)];
}

async function gate(options: GateOptions): Promise<number> {
  // Bad publish input (no broker, a refused token, no version) is known before any step starts.
  const target = await preparePublish({ publish: options.publish ?? false, brokerUrl: options.brokerUrl, brokerToken: options.brokerToken, version: options.version, branch: options.branch });
  // Ctrl-C reaches main.ts's handler (teardown, exit 130); the signal stops a running child step promptly.
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const interactive = process.stderr.isTTY === true && !process.env.CI;
  let view: ReturnType<typeof plainProgress> | undefined;
  const result = await runGate({
    configDir: options.config,
    reportDir: options.reportDir,
    only: options.only,
    skip: options.skip,
    failFast: options.failFast ?? false,
    freePorts: options.freePorts ?? false,
    signal: abort.signal,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.baselineRef ? { baselineRef: options.baselineRef } : {}),
    // gate.yaml's verify.fromBroker reads the pacts from the same broker --publish talks to.
    broker: { url: options.brokerUrl, token: options.brokerToken },
    ...(target ? { publishVerification: { providerVersion: target.version, branch: target.branch } } : {}),
    onProgress: (progress) => {
      // The view starts with the first step: bad input is answered before any progress is drawn.
      view ??= interactive ? ttyProgress(process.stderr) : plainProgress(process.stderr);
      view.onProgress(progress);
    },
  });
  await view?.done();
  let report: AcceptanceReport = result.report;
  if (target && !result.internalError) {
    report = await publishAndAsk(target, result, { configDir: options.config });
  }
  const written = await writeGateReport(report, options.reportDir);
  const rendered = options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : options.format === 'junit' ? renderGateJunit(report) : renderGateText(report);
  process.stdout.write(redact(rendered));
  const published = report.steps.find((step) => step.id === 'publish')?.checks[0];
  if (options.format === 'text' && published) process.stdout.write(redact(`${published.status === 'fail' ? 'not published' : 'published'}: ${published.message}\n`));
  if (options.format === 'text') process.stdout.write(`reports: ${written.files.map((file) => relative(process.cwd(), file) || file).join(', ')}\n`);
  if (result.internalError) {
    process.stderr.write(`accord: internal error (please report it)\n${result.internalError.stack ?? result.internalError.message}\n`);
    return ExitCodes.INTERNAL;
  }
  return report.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}
