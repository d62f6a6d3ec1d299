import type { BrokerClient, HalLink, HalResource } from './broker-client.js';
import { createOrUpdateVersion } from './environment-commands.js';

/** One verified interaction as published: Accord's whole verdict, contract conformance included. */
export interface VerificationTestResult {
  readonly description: string;
  readonly ok: boolean;
  readonly mismatches: readonly { readonly attribute: string; readonly location: string; readonly message: string }[];
}

/** Options for {@link publishVerificationResults}. */
export interface PublishVerificationOptions {
  /** The provider's pacticipant name. */
  readonly provider: string;
  readonly providerVersion: string;
  readonly branch?: string | undefined;
  readonly buildUrl?: string | undefined;
  /** The selectors the verifier was given: the same pacts are asked for again. */
  readonly consumerVersionSelectors: readonly Record<string, unknown>[];
  readonly includePendingStatus?: boolean | undefined;
  readonly includeWipPactsSince?: string | undefined;
  /** Every interaction's result, in any order; matched to each pact by description. */
  readonly results: readonly VerificationTestResult[];
}

/** One pact's published result. */
export interface PublishedVerification {
  readonly consumer: string;
  readonly success: boolean;
}

/**
 * The body of a `pb:publish-verification-results` POST: the verdict, and each interaction with
 * its mismatches (the pact verifier's and the contract's) as the broker shows them.
 */
export function verificationResultBody(options: { success: boolean; providerVersion: string; buildUrl?: string | undefined; results: readonly VerificationTestResult[] }): Record<string, unknown> {
  return {
    success: options.success,
    providerApplicationVersion: options.providerVersion,
    ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
    testResults: options.results.map((result) => ({
      interactionDescription: result.description,
      success: result.ok,
      ...(result.ok ? {} : { mismatches: result.mismatches.map((mismatch) => ({ attribute: mismatch.attribute, description: `${mismatch.location ? `${mismatch.location}: ` : ''}${mismatch.message}` })) }),
    })),
    verifiedBy: { implementation: 'accord verify' },
  };
}

const hrefOf = (link: HalLink | HalLink[] | undefined): string | undefined => (Array.isArray(link) ? link[0]?.href : link?.href);

/**
 * Publishes a provider verification to the broker for every pact the selectors give: a pact
 * succeeds only when every one of its interactions passed Accord's checks (the pact verifier's and
 * the contract's), so what the broker (and `can-i-deploy`) sees is the verdict Accord printed.
 */
export async function publishVerificationResults(client: BrokerClient, options: PublishVerificationOptions): Promise<PublishedVerification[]> {
  await createOrUpdateVersion(client, { pacticipant: options.provider, version: options.providerVersion, branch: options.branch });
  const forVerification = await client.relation('pb:provider-pacts-for-verification', { provider: options.provider });
  const listed = await client.post(forVerification, {
    consumerVersionSelectors: options.consumerVersionSelectors,
    ...(options.includePendingStatus ? { includePendingStatus: true } : {}),
    ...(options.includeWipPactsSince ? { includeWipPactsSince: options.includeWipPactsSince } : {}),
    ...(options.branch ? { providerVersionBranch: options.branch } : {}),
  });
  const pacts = ((listed._embedded?.pacts ?? []) as HalResource[]).map((entry) => hrefOf(entry._links?.self)).filter((href): href is string => href !== undefined);
  const published: PublishedVerification[] = [];
  for (const href of pacts) {
    const pact = await client.get<HalResource & { consumer?: { name?: string }; interactions?: { description?: string }[] }>(href);
    const link = hrefOf(pact._links?.['pb:publish-verification-results']);
    if (!link) continue;
    const descriptions = new Set((pact.interactions ?? []).map((interaction) => interaction.description));
    const results = options.results.filter((result) => descriptions.has(result.description));
    const success = results.length > 0 && results.every((result) => result.ok);
    await client.post(link, verificationResultBody({ success, providerVersion: options.providerVersion, buildUrl: options.buildUrl, results }));
    published.push({ consumer: pact.consumer?.name ?? '(unknown consumer)', success });
  }
  return published;
}
