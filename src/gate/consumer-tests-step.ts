import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Check, GateStep } from '../report/model.js';
import { notApplicableStep, statusOf } from '../report/model.js';
import type { GateContext } from './context.js';
import { shown } from './contract-steps.js';

interface MochaJsonTest {
  readonly fullTitle: string;
  readonly duration?: number;
  readonly err?: { readonly message?: string };
}

interface MochaJsonReport {
  readonly tests: readonly MochaJsonTest[];
  readonly pending: readonly MochaJsonTest[];
}

/**
 * `consumer-tests`: the consumer's Pact tests as a child process (they rewrite the pact files the
 * later steps read). A mocha command gets the JSON reporter written to a file, so each test is a
 * check; any other command is judged by its exit code alone.
 */
export async function runConsumerTests(ctx: GateContext): Promise<GateStep> {
  const command = ctx.gate.consumerTests.command;
  const title = 'Consumer Pact tests';
  if (!command) return notApplicableStep('consumer-tests', title, 'gate.yaml names no consumerTests.command: this repository has no consumer side');
  // Split like the environment's service commands: on whitespace, no shell.
  const [program = '', ...args] = command.trim().split(/\s+/);
  const isMocha = /(^|\/)mocha$/.test(program);
  const reportFile = join(ctx.reportDir, 'consumer-tests.json');
  await mkdir(ctx.reportDir, { recursive: true });
  await rm(reportFile, { force: true });
  const extra = isMocha ? ['--reporter', 'json', '--reporter-option', `output=${reportFile}`] : [];
  const run = await execa(program, [...args, ...extra], {
    cwd: ctx.gate.consumerTests.cwd,
    preferLocal: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    cancelSignal: ctx.signal,
    env: { FORCE_COLOR: '0', PACT_DO_NOT_TRACK: 'true' },
  });
  const checks: Check[] = [];
  if (isMocha) {
    const report = await readFile(reportFile, 'utf8').then((text) => JSON.parse(text) as MochaJsonReport, () => undefined);
    for (const test of report?.tests ?? []) {
      const pending = report?.pending.some((p) => p.fullTitle === test.fullTitle) ?? false;
      const failed = test.err !== undefined && Object.keys(test.err).length > 0;
      checks.push({ id: test.fullTitle, name: test.fullTitle, status: failed ? 'fail' : pending ? 'skip' : 'pass', message: failed ? firstLines(test.err?.message ?? 'failed') : `passed${test.duration === undefined ? '' : ` in ${test.duration} ms`}` });
    }
  }
  const exitOk = run.exitCode === 0 && !run.isCanceled;
  if (!exitOk || checks.length === 0) {
    const tail = String(run.all ?? '').split('\n').filter((line) => line.trim() !== '').slice(-3).join(' | ');
    checks.push({ id: 'exit', name: `${command} exits 0`, status: exitOk ? 'pass' : 'fail', message: exitOk ? 'exited 0' : `exited ${run.exitCode ?? run.signal ?? 'without a code'}${tail ? `: ${tail}` : ''}` });
  }
  return {
    id: 'consumer-tests',
    title,
    status: statusOf(checks),
    durationMs: 0,
    checks,
    evidence: [{ label: 'pacts', href: shown(ctx, ctx.config.pacts.dir) }, ...(isMocha ? [{ label: 'mocha report', href: shown(ctx, reportFile) }] : [])],
    details: { command },
  };
}

/** Pact's failure messages put the reason on the lines after "Test failed for the following reasons:": keep a few, on one line. */
function firstLines(message: string, count = 4): string {
  return message.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, count).join(' ');
}
