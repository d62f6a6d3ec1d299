import type { VerifyMismatch } from './verify-result.js';

/** One interaction as the pact verifier reported it, in the order it ran. */
export interface ReportedInteraction {
  readonly description: string;
  readonly ok: boolean;
  readonly mismatches: readonly VerifyMismatch[];
}

/** The parts of the verifier's JSON report Accord uses. */
export interface VerifierReport {
  readonly ok: boolean;
  readonly interactions: readonly ReportedInteraction[];
  /** The human-readable report, ANSI colours removed. */
  readonly output: string;
}

interface RawMismatch {
  type?: string;
  path?: string;
  key?: string;
  parameter?: string;
  mismatch?: string;
  expected?: unknown;
  actual?: unknown;
}

interface RawError {
  interaction?: string;
  mismatch?: { type?: string; message?: string; mismatches?: RawMismatch[] };
}

interface RawReport {
  result?: boolean;
  output?: string[];
  errors?: RawError[];
  pendingErrors?: RawError[];
  interactionResults?: { description?: string; result?: string }[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;

/** Reads `pactffi_verifier_json`'s report (what pact-core's verify resolves or rejects with). */
export function parseVerifierReport(json: string): VerifierReport {
  const raw = JSON.parse(json) as RawReport;
  const errors = [...(raw.errors ?? []), ...(raw.pendingErrors ?? [])];
  const used = new Set<number>();
  const interactions = (raw.interactionResults ?? []).map((entry): ReportedInteraction => {
    const description = entry.description ?? '(no description)';
    const ok = entry.result === 'OK';
    if (ok) return { description, ok, mismatches: [] };
    // Errors are labelled "Verifying a pact between C and P [Given S] - <description>", in run order.
    const index = errors.findIndex((error, i) => !used.has(i) && (error.interaction ?? '').endsWith(` - ${description}`));
    if (index < 0) return { description, ok, mismatches: [{ attribute: 'error', location: '', message: `the verifier reported "${entry.result ?? 'no result'}" without details` }] };
    used.add(index);
    return { description, ok, mismatches: mismatchesOf(errors[index] as RawError) };
  });
  return {
    ok: raw.result === true,
    interactions,
    output: (raw.output ?? []).join('\n').replace(ANSI, ''),
  };
}

function mismatchesOf(error: RawError): VerifyMismatch[] {
  const detail = error.mismatch ?? {};
  if (detail.type !== 'mismatches') {
    return [{ attribute: 'error', location: '', message: oneLine(detail.message ?? 'the request failed') }];
  }
  return (detail.mismatches ?? []).map((mismatch) => {
    const message = oneLine(mismatch.mismatch ?? `expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`);
    switch (mismatch.type) {
      case 'StatusMismatch':
        return { attribute: 'status', location: 'status', message };
      case 'HeaderMismatch':
        return { attribute: 'header', location: mismatch.key ?? '', message };
      case 'QueryMismatch':
        return { attribute: 'query', location: mismatch.parameter ?? '', message };
      case 'BodyTypeMismatch':
        return { attribute: 'body', location: 'Content-Type', message };
      case 'BodyMismatch':
        return { attribute: 'body', location: mismatch.path ?? '$', message };
      case 'PathMismatch':
        return { attribute: 'path', location: 'path', message };
      case 'MethodMismatch':
        return { attribute: 'method', location: 'method', message };
      default:
        return { attribute: (mismatch.type ?? 'error').replace(/Mismatch$/, '').toLowerCase(), location: mismatch.path ?? '', message };
    }
  });
}

function oneLine(text: string): string {
  return text.replace(ANSI, '').replace(/\s+/g, ' ').trim();
}
