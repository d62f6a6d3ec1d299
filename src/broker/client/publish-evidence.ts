import { createHash } from 'node:crypto';
import type { GateStep } from '../../report/model.js';
import type { BrokerClient } from './broker-client.js';

/** One step's evidence as the client sends it. */
export interface EvidenceInput {
  step: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  summary: string;
  /** `sha256:<hex>`. */
  reportDigest: string;
  reportUrl?: string | undefined;
}

/** Options for {@link publishEvidence}. */
export interface PublishEvidenceOptions {
  pacticipant: string;
  version: string;
  evidence: readonly EvidenceInput[];
}

/** What the broker recorded. */
export interface PublishedEvidence {
  ok: true;
  pacticipant: string;
  version: string;
  steps: string[];
  notices: Array<{ type: string; text: string }>;
}

/** Publishes a version's evidence in one request through the index's `accord:evidence` relation (all recorded, or none). */
export async function publishEvidence(client: BrokerClient, options: PublishEvidenceOptions): Promise<PublishedEvidence> {
  const href = await client.relation('accord:evidence', { pacticipant: options.pacticipant, version: options.version });
  const evidence = options.evidence.map((e) => ({ step: e.step, status: e.status, summary: e.summary, reportDigest: e.reportDigest, ...(e.reportUrl ? { reportUrl: e.reportUrl } : {}) }));
  const response = await client.post<{ notices?: Array<{ type: string; text: string }> }>(href, { evidence });
  return { ok: true, pacticipant: options.pacticipant, version: options.version, steps: evidence.map((e) => e.step), notices: response.notices ?? [] };
}

const SUMMARY_LIMIT = 2000;

/**
 * A gate step summarized as evidence: its status, one line (checks passed, then the first
 * failures' messages) and the digest of the whole step as JSON, so the full report a summary
 * came from can be told apart from any other.
 */
export function stepEvidence(step: GateStep, reportUrl?: string): EvidenceInput {
  const failing = step.checks.filter((check) => check.status === 'fail');
  const passed = step.checks.filter((check) => check.status === 'pass' || check.status === 'warn').length;
  const counts = step.checks.length === 0 ? 'no checks' : `${passed}/${step.checks.length} checks passed`;
  const detail = failing.slice(0, 3).map((check) => `${check.name}: ${check.message}`).join('; ');
  const more = failing.length > 3 ? ` (+${failing.length - 3} more)` : '';
  const summary = `${step.title}: ${step.status}, ${counts}${detail ? `; ${detail}${more}` : ''}`;
  return {
    step: step.id,
    status: step.status,
    summary: summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT - 1)}…` : summary,
    reportDigest: `sha256:${createHash('sha256').update(JSON.stringify(step)).digest('hex')}`,
    ...(reportUrl ? { reportUrl } : {}),
  };
}
