import { canIDeploy } from '../broker/client/can-i-deploy.js';
import { isAccordError } from '../errors/index.js';
import type { Check, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { PublishTarget } from './publish-run.js';

const TITLE = 'Can I deploy (the broker\'s matrix)';

/**
 * `can-i-deploy`, after `--publish`: asks the broker whether each of the repository's pacticipants
 * can be deployed at the version just published — to `toEnvironment`, else against the other
 * pacticipants' latest versions. For a consumer-only repository this is where its pacts meet the
 * provider's contract: the broker checked them against it when they were published
 * (bi-directional), and a pact reading a field the contract lacks makes the answer no. An
 * unknown answer is no, as in the official CLI.
 */
export async function runCanIDeployStep(target: PublishTarget, pacticipants: readonly string[], options: { toEnvironment?: string | undefined } = {}): Promise<GateStep> {
  const started = performance.now();
  const checks: Check[] = [];
  for (const pacticipant of pacticipants) {
    const name = `${pacticipant} ${target.version} can be deployed${options.toEnvironment ? ` to ${options.toEnvironment}` : ''}`;
    try {
      const result = await canIDeploy(target.client, { selectors: [{ pacticipant, version: target.version }], toEnvironment: options.toEnvironment });
      const failed = result.response.matrix.filter((row) => !row.ignored && row.verificationResult?.success === false).map((row) => `${row.consumer.name} ${row.consumer.version?.number ?? '?'} → ${row.provider.name} ${row.provider.version?.number ?? '?'}${row.verificationType ? ` (${row.verificationType})` : ''}`);
      const answer = result.deployable === true ? 'yes' : result.deployable === false ? 'no' : 'unknown';
      checks.push({ id: pacticipant, name, status: result.ok ? 'pass' : 'fail', message: `${answer}: ${result.response.summary.reason}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}` });
    } catch (error) {
      if (!isAccordError(error)) throw error;
      checks.push({ id: pacticipant, name, status: 'fail', message: error.message });
    }
  }
  return {
    id: 'can-i-deploy',
    title: TITLE,
    status: checks.length === 0 ? 'skip' : statusOf(checks),
    durationMs: Math.round(performance.now() - started),
    checks,
    evidence: [{ label: 'broker matrix', href: `${target.client.baseUrl}/matrix` }],
    details: { version: target.version, ...(options.toEnvironment ? { toEnvironment: options.toEnvironment } : {}), ...(checks.length === 0 ? { reason: 'nothing was published' } : {}) },
  };
}
