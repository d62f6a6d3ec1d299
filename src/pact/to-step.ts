import type { Check, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { VerifyResult } from './verify-result.js';

/** Options of {@link toVerifyStep}. */
export interface VerifyStepOptions {
  /** @default the result's own verification time */
  readonly durationMs?: number;
  /** The pact files verified, as evidence. */
  readonly pactFiles?: readonly string[];
}

/** `accord verify`'s result as the gate's `verify` step: one check per interaction, its mismatches (pact and contract conformance) as the message. */
export function toVerifyStep(result: VerifyResult, options: VerifyStepOptions = {}): GateStep {
  const checks: Check[] = result.interactions.map((interaction) => ({
    id: interaction.description,
    name: `${interaction.consumer ?? 'consumer'} → ${result.provider}: ${interaction.description}`,
    status: interaction.ok ? 'pass' : 'fail',
    message: interaction.ok
      ? `verified${interaction.providerStates.length > 0 ? ` given ${interaction.providerStates.join(', ')}` : ''}`
      : interaction.mismatches.map((mismatch) => `${mismatch.attribute} ${mismatch.location}: ${mismatch.message}`).join('; '),
  }));
  // A verification of nothing proves nothing.
  if (checks.length === 0) checks.push({ id: 'interactions', name: 'at least one interaction verified', status: 'fail', message: `no interaction of any pact was verified against ${result.provider}` });
  return {
    id: 'verify',
    title: `Provider verification of ${result.provider}`,
    status: statusOf(checks),
    durationMs: options.durationMs ?? result.timings.verifyMs ?? 0,
    checks,
    evidence: (options.pactFiles ?? []).map((file) => ({ label: 'pact', href: file })),
    details: { provider: result.provider, interactions: result.interactions.length, timings: result.timings, ...(result.published ? { published: result.published } : {}) },
  };
}
