import { relative } from 'node:path';
import type { Command } from 'commander';
import { redact } from '../../config/index.js';
import { ExitCodes } from '../../errors/index.js';
import { GATE_STEP_IDS, plainProgress, renderGateJunit, renderGateText, runGate, ttyProgress, writeGateReport } from '../../gate/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';

interface GateOptions {
  config: string;
  format: 'text' | 'json' | 'junit';
  baseline?: string;
  profile?: string;
  only: string[];
  skip: string[];
  failFast?: boolean;
  reportDir: string;
}

/** `accord gate`: every acceptance gate in order on one environment, one report. */
export function register(program: Command): void {
  program
    .command('gate')
    .description(`every acceptance gate in order on one environment (${GATE_STEP_IDS.join(' → ')}); reports in --report-dir`)
    .addOption(configOption())
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--baseline <git:REF|FILE>', "what the working contract is diffed against (default: contracts.yaml baseline, git:HEAD)")
    .option('--profile <smoke|full|FILE>', 'the load profile (default: gate.yaml load.profile, smoke)')
    .option('--only <steps>', 'run only these steps (comma-separated, repeatable)', collect, [])
    .option('--skip <steps>', 'leave these steps out (comma-separated, repeatable)', collect, [])
    .option('--fail-fast', 'stop at the first failed step (default: only the steps that depend on it are skipped)')
    .option('--report-dir <dir>', 'where acceptance.* and the run\'s evidence go', 'reports')
    .action(defineAction(async (options: GateOptions) => gate(options)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((name) => name.trim()).filter(Boolean)];
}

async function gate(options: GateOptions): Promise<number> {
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
    signal: abort.signal,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    onProgress: (progress) => {
      // The view starts with the first step: bad input is answered before any progress is drawn.
      view ??= interactive ? ttyProgress(process.stderr) : plainProgress(process.stderr);
      view.onProgress(progress);
    },
  });
  await view?.done();
  const { report } = result;
  const written = await writeGateReport(report, options.reportDir);
  const rendered = options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : options.format === 'junit' ? renderGateJunit(report) : renderGateText(report);
  process.stdout.write(redact(rendered));
  if (options.format === 'text') process.stdout.write(`reports: ${written.files.map((file) => relative(process.cwd(), file) || file).join(', ')}\n`);
  if (result.internalError) {
    process.stderr.write(`accord: internal error (please report it)\n${result.internalError.stack ?? result.internalError.message}\n`);
    return ExitCodes.INTERNAL;
  }
  return report.ok ? ExitCodes.OK : ExitCodes.GATE_FAILED;
}
