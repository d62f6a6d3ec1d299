import { describeMissingVersion, describeSelector } from './describe-selector.js';
import type { Integration, MatrixDecision, MatrixQuery, MatrixReason, MatrixRow, ResolvedSelector } from './types.js';

/** Everything step 7 looks at. */
export interface DecisionInput {
  query: MatrixQuery;
  rows: readonly MatrixRow[];
  resolved: readonly ResolvedSelector[];
  integrations: readonly Integration[];
  /** Ignore selectors that name no existing pacticipant or version. */
  unresolvedIgnores: readonly string[];
  isIgnored: (pacticipantId: number, versionId: number | null) => boolean;
}

const VERSION_WARNING =
  'WARN: It is recommended to specify the version number (rather than the tag or branch) of the pacticipant you wish to deploy to avoid race conditions. Without a version number, this check will pass if a different version was built in the interim and has the same status.';
const ENVIRONMENT_WARNING =
  'WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this check will compare against the latest version of every other integrated application.';

/**
 * Step 7, the broker's `DeploymentStatusSummary#deployable?` in its exact order: false when a
 * specified version does not exist; else null when a considered row is unverified or a
 * required integration has no row; else true when every considered row succeeded (also with
 * none); else false.
 */
export function decide(input: DecisionInput): MatrixDecision {
  const { query, rows, resolved } = input;
  const considered = rows.filter((row) => !row.ignored);
  const specified = resolved.filter((r) => r.type === 'specified');
  const missingSpecified = specified.filter((r) => r.versionId === undefined && !(r.pacticipantId !== undefined && input.isIgnored(r.pacticipantId, null)));
  const missingRequired = input.integrations.filter(
    (integration) =>
      integration.required &&
      !input.isIgnored(integration.providerId, null) &&
      !input.isIgnored(integration.consumerId, null) &&
      !rows.some((row) => row.consumerId === integration.consumerId && row.providerId === integration.providerId),
  );

  const warnings: MatrixReason[] = [];
  if (!query.selectors.some((selector) => selector.version)) warnings.push({ type: 'warning', text: VERSION_WARNING });
  // `latest=true` alone is what clients send when no destination was chosen: still worth the warning.
  const destination = query.tag || query.environment || query.mainBranch;
  if (query.selectors.length === 1 && !destination) warnings.push({ type: 'warning', text: ENVIRONMENT_WARNING });
  for (const description of input.unresolvedIgnores) warnings.push({ type: 'warning', text: `WARN: Cannot ignore ${description}` });

  const errors: MatrixReason[] = missingSpecified.map((r) => ({ type: 'error', text: describeMissingVersion(r) }));
  const ignoredNotes: MatrixReason[] = [];
  for (const row of rows) {
    if (row.success === true) continue;
    const text =
      row.success === null
        ? `There is no verified pact between ${describeSide(resolved, row.consumerId, row.consumerVersionId, row.consumerVersionNumber, row.consumerName)} and ${describeSide(resolved, row.providerId, row.providerVersionId, row.providerVersionNumber, row.providerName)}`
        : `The verification for the pact between ${describeSide(resolved, row.consumerId, row.consumerVersionId, row.consumerVersionNumber, row.consumerName)} and ${describeSide(resolved, row.providerId, row.providerVersionId, row.providerVersionNumber, row.providerName)} failed`;
    if (row.ignored) ignoredNotes.push({ type: 'info', text: `Ignoring: ${text}` });
    else errors.push({ type: 'error', text });
  }
  for (const integration of missingRequired) {
    errors.push({ type: 'error', text: `There is no verified pact between ${describeSide(resolved, integration.consumerId, null, null, integration.consumerName)} and ${describeSide(resolved, integration.providerId, null, null, integration.providerName)}` });
  }

  const unknown = considered.filter((row) => row.success === null).length;
  const failed = considered.filter((row) => row.success === false).length;
  let deployable: boolean | null;
  if (missingSpecified.length > 0) deployable = false;
  else if (unknown > 0 || missingRequired.length > 0) deployable = null;
  else if (failed === 0) deployable = true;
  else deployable = false;

  const outcome: MatrixReason[] =
    errors.length > 0
      ? errors
      : [{ type: 'success', text: considered.length > 0 ? 'All required verification results are published and successful' : 'There are no missing dependencies' }];
  return {
    deployable,
    reasons: dedupe([...warnings, ...outcome, ...ignoredNotes]),
    success: considered.filter((row) => row.success === true).length,
    failed,
    unknown,
    ignored: query.ignore.length > 0 ? rows.length - considered.length : undefined,
  };
}

/** Which selector a row's side came from, in the broker's words. */
function describeSide(resolved: readonly ResolvedSelector[], pacticipantId: number, versionId: number | null, versionNumber: string | null, name: string): string {
  const own = resolved.filter((r) => r.pacticipantId === pacticipantId);
  const exact = versionId === null ? undefined : own.find((r) => r.versionId === versionId);
  if (exact) return describeSelector(exact);
  if (versionId === null) {
    const withoutVersion = own.find((r) => r.versionId === undefined);
    if (withoutVersion) return describeSelector(withoutVersion);
    if (own.length > 0) return own.map(describeSelector).join(' or ');
    return `any version of ${name}`;
  }
  return `version ${versionNumber ?? '?'} of ${name}`;
}

function dedupe(reasons: MatrixReason[]): MatrixReason[] {
  const seen = new Set<string>();
  return reasons.filter((reason) => !seen.has(reason.text) && seen.add(reason.text));
}
