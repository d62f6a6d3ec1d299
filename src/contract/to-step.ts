import type { Check, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { CheckPactsResult } from './check-pacts.js';
import type { DiffResult } from './diff-contracts.js';
import { formatConsumer, requiredByText } from './render.js';
import type { LintResult } from './lint.js';

/** What every adapter may be told besides the result itself. */
export interface StepTiming {
  /** How long the step took. @default 0 */
  readonly durationMs?: number;
}

/** `accord contract lint`'s result as the gate's `contract-lint` step: one check per finding, one passing check when there is none. */
export function toLintStep(result: LintResult, options: StepTiming = {}): GateStep {
  const checks: Check[] = result.findings.map((finding, index) => ({
    id: `${finding.rule}#${index + 1}`,
    name: finding.rule,
    status: finding.level === 'error' ? 'fail' : 'warn',
    message: finding.message,
    location: {
      file: finding.file,
      ...(finding.line === null ? {} : { line: finding.line }),
      ...(finding.column === null ? {} : { column: finding.column }),
      pointer: finding.pointer.replace(/^#/, ''),
    },
  }));
  if (checks.length === 0) checks.push({ id: 'valid', name: 'valid OpenAPI document', status: 'pass', message: `${result.file}: OpenAPI ${result.openapi}, no findings`, location: { file: result.file } });
  return { id: 'contract-lint', title: 'Contract lint', status: statusOf(checks), durationMs: options.durationMs ?? 0, checks, evidence: [{ label: 'contract', href: result.file }], details: { file: result.file, openapi: result.openapi } };
}

/** Options of {@link toDiffStep}: the two versions compared, as the user named them. */
export interface DiffStepOptions extends StepTiming {
  readonly base: string;
  readonly revision: string;
}

/**
 * `accord contract diff`'s result as the `contract-diff` step: the policy verdict is one check;
 * every change is another, failing only when it is breaking and the policy said no.
 */
export function toDiffStep(result: DiffResult, options: DiffStepOptions): GateStep {
  const { base, revision } = result.version;
  const affected = result.consumers?.affected.map(formatConsumer).join(', ') ?? '';
  const named = requiredByText(result);
  const policyMessage =
    result.policy === 'semver'
      ? `${result.breaking ? 'breaking changes' : 'no breaking change'}; required bump ${result.requiredBump}; version ${base} → ${revision}${result.version.ok ? '' : ` is not enough${named === '' ? '' : ` (required by: ${named})`}`}`
      : result.policy === 'consumers'
        ? `${!result.breaking ? 'no breaking change' : affected === '' ? 'breaking, no current consumer affected' : `breaking changes affect ${affected}`}; required bump ${result.requiredBump}`
        : `${result.breaking ? 'breaking changes are not allowed' : 'no breaking change'}`;
  const checks: Check[] = [{ id: `policy.${result.policy}`, name: `${result.policy} policy`, status: result.ok ? 'pass' : 'fail', message: policyMessage }];
  result.changes.forEach((change, index) => {
    // Under the consumers policy only a breaking change a consumer touches fails.
    const blocking = result.policy === 'consumers' && change.consumers !== undefined ? change.consumers.length > 0 : !result.ok;
    const status = change.level === 'error' ? (blocking ? 'fail' : 'warn') : change.level === 'warning' ? 'warn' : 'pass';
    const touched = change.consumers === undefined ? '' : ` (consumers: ${change.consumers.length === 0 ? 'none' : change.consumers.map(formatConsumer).join(', ')})`;
    checks.push({
      id: `${change.id}#${index + 1}`,
      name: change.operation === null ? change.id : `${change.id} (${change.operation})`,
      status,
      message: `${change.message}${touched}`,
      location: { file: options.revision, pointer: change.location.replace(/^#/, '') },
    });
  });
  return {
    id: 'contract-diff',
    title: 'Contract diff against the baseline',
    status: statusOf(checks),
    durationMs: options.durationMs ?? 0,
    checks,
    evidence: [
      { label: 'baseline', href: options.base },
      { label: 'revision', href: options.revision },
    ],
    details: { base: options.base, revision: options.revision, breaking: result.breaking, requiredBump: result.requiredBump, version: result.version, policy: result.policy, changes: result.changes.length, ...(result.consumers === undefined ? {} : { consumers: result.consumers }) },
  };
}

/** Options of {@link toCheckPactsStep}. */
export interface CheckPactsStepOptions extends StepTiming {
  /** The contract the pacts were checked against. */
  readonly contract: string;
  /** The pact directory or file. */
  readonly pacts: string;
}

/** `accord contract check-pacts`' result as the `pacts-vs-contract` step: one check per finding, one passing check when there is none. */
export function toCheckPactsStep(result: CheckPactsResult, options: CheckPactsStepOptions): GateStep {
  const checks: Check[] = result.findings.map((finding, index) => ({
    id: `${finding.code}#${index + 1}`,
    name: `${finding.interaction || finding.pact}: ${finding.code}`,
    status: finding.level === 'error' ? 'fail' : 'warn',
    message: `${finding.message} (at ${finding.location})`,
    location: { file: finding.pact },
  }));
  if (checks.length === 0) checks.push({ id: 'compatible', name: 'every interaction matches the contract', status: 'pass', message: `every pact in ${options.pacts} is compatible with ${options.contract}` });
  return {
    id: 'pacts-vs-contract',
    title: 'Pacts against the contract',
    status: statusOf(checks),
    durationMs: options.durationMs ?? 0,
    checks,
    evidence: [
      { label: 'pacts', href: options.pacts },
      { label: 'contract', href: options.contract },
    ],
  };
}
