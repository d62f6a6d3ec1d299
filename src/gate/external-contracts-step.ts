import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PactFinding } from '../contract/index.js';
import { isAccordError } from '../errors/index.js';
import type { Check, Evidence, GateStep } from '../report/model.js';
import { notApplicableStep, statusOf } from '../report/model.js';
import { checkExchanges, readRecording, RECORDING_FLUSH_MS } from '../stub/index.js';
import type { GateContext } from './context.js';
import { shown } from './contract-steps.js';
import type { ExternalPoint } from './gate-config.js';

const TITLE = 'External contracts (the stubs\' recorded traffic)';

/** What {@link checkExternalPoint} knows about the run besides the point itself. */
export interface ExternalRun {
  /** The repository root: relative paths in findings and evidence start here. */
  readonly root: string;
  /** True when this run's environment started the point's stub. */
  readonly started: boolean;
  /** When this run's environment started (epoch ms): an older recording is not this run's traffic. */
  readonly since: number | undefined;
}

/**
 * `external-contracts`: the traffic each stub of gate.yaml's `external` recorded during this run
 * (the scenarios' and the load pass's) against the vendor's contract, as
 * `accord contract check-pacts --recorded` checks it. A point without such traffic is a failure:
 * no evidence, no pass.
 */
export async function runExternalContractsStep(ctx: GateContext): Promise<GateStep> {
  if (ctx.gate.external.length === 0) return notApplicableStep('external-contracts', TITLE, 'gate.yaml lists no external service');
  // The stubs append their recordings in batches: past one period every answered request is in the file.
  await sleep(2 * RECORDING_FLUSH_MS);
  const checks: Check[] = [];
  const evidence: Evidence[] = [];
  for (const point of ctx.gate.external) {
    checks.push(...(await checkExternalPoint(point, { root: ctx.root, started: ctx.environment?.services.has(point.service) ?? false, since: ctx.environmentStartedAt })));
    evidence.push({ label: `${point.service} recording`, href: shown(ctx, point.recorded) });
  }
  return { id: 'external-contracts', title: TITLE, status: statusOf(checks), durationMs: 0, checks, evidence, details: { points: ctx.gate.external.map((point) => point.service) } };
}

/**
 * One external point's checks: a failing check for each distinct way the recorded requests (or
 * the stub's example answers) break the contract, naming the operation, the field and the first
 * line of the recording; one passing check when every exchange matches.
 */
export async function checkExternalPoint(point: ExternalPoint, run: ExternalRun): Promise<Check[]> {
  const recorded = shown(run, point.recorded);
  const failed = (message: string): Check[] => [{ id: point.service, name: `${point.service}'s traffic matches the vendor's contract`, status: 'fail', message, location: { file: recorded } }];
  if (!run.started) return failed(`${point.service} was not started by this run: there is no traffic of this run to check`);
  const file = await stat(point.recorded).catch(() => undefined);
  if (!file) return failed(`${recorded} does not exist: is it the --record file of ${point.service}'s command?`);
  // The stub empties its recording when it starts: an older file was written by someone else.
  if (run.since !== undefined && file.mtimeMs < run.since) return failed(`${recorded} was last written before this run's environment started: is it the --record file of ${point.service}'s command?`);
  let result;
  let exchanges: number;
  try {
    // Read once: the check and the count of exchanges both come from it.
    const recording = await readRecording(recorded, run.root);
    exchanges = recording.length;
    result = await checkExchanges(recording, { recorded, cwd: run.root, ...(point.contract === undefined ? {} : { contract: shown(run, point.contract) }) });
  } catch (error) {
    if (!isAccordError(error)) throw error;
    return failed(error.message);
  }
  if (result.findings.some((finding) => finding.code === 'recording.empty')) return failed(`${point.service} recorded no exchange: nothing this run sent it is evidence`);
  const groups = new Map<string, PactFinding[]>();
  for (const finding of result.findings) {
    const key = `${finding.level}\0${finding.code}\0${finding.interaction}\0${finding.message}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  if (groups.size === 0) {
    return [{ id: point.service, name: `${point.service}'s traffic matches the vendor's contract`, status: 'pass', message: `${exchanges} exchange${exchanges === 1 ? '' : 's'} in ${recorded}, every one compatible with ${point.contract === undefined ? 'the contract it names' : shown(run, point.contract)}` }];
  }
  // A load pass repeats one mistake in thousands of exchanges: one check per distinct mistake.
  return [...groups.values()].map((findings, index) => {
    const first = findings[0] as PactFinding;
    const more = findings.length > 1 ? `, and ${findings.length - 1} more exchange${findings.length === 2 ? '' : 's'}` : '';
    return { id: `${point.service}/${first.code}#${index + 1}`, name: `${first.interaction}: ${first.code}`, status: first.level === 'error' ? 'fail' : 'warn', message: `${first.interaction}: ${first.message} (at ${first.location}${more})`, location: { file: recorded } };
  });
}
