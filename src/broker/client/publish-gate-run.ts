import type { GateStep } from '../../report/model.js';
import { createBrokerClient } from './broker-client.js';
import type { BrokerClient } from './broker-client.js';
import { createOrUpdateVersion } from './environment-commands.js';
import { publishEvidence, stepEvidence } from './publish-evidence.js';
import type { PublishedEvidence } from './publish-evidence.js';
import { publishPacts } from './publish-pacts.js';
import type { PublishPactsResult } from './publish-pacts.js';
import { publishProviderContract } from './publish-provider-contract.js';
import type { PublishedProviderContract } from './publish-provider-contract.js';

/** Options for {@link publishGateRun}. */
export interface PublishGateRunOptions {
  /** @default process.env.PACT_BROKER_BASE_URL */
  brokerUrl?: string | undefined;
  /** @default process.env.PACT_BROKER_TOKEN */
  token?: string | undefined;
  /** The version every pacticipant of the repository is published as (e.g. the git sha). */
  version: string;
  branch?: string | undefined;
  buildUrl?: string | undefined;
  /** The gate's steps, passed or failed: a failing run is published too. */
  steps: readonly GateStep[];
  /** Pact files or directories (the consumer tests' output); none for a provider-only repository. */
  pacts: readonly string[];
  /** The provider's OpenAPI contract, published for bi-directional checks. */
  providerContract?: { provider: string; file: string } | undefined;
  /** The repository's pacticipants that get the evidence. @default every consumer and provider of the pacts */
  pacticipants?: readonly string[] | undefined;
  /** Where each step's report can be read, by step id. */
  reportUrls?: Readonly<Record<string, string>> | undefined;
  /** Injected by tests and by callers that already hold a client. @default createBrokerClient(brokerUrl, token) */
  client?: BrokerClient | undefined;
}

/** What one gate run put into the broker. */
export interface PublishGateRunResult {
  ok: true;
  version: string;
  branch: string | undefined;
  pacts: PublishPactsResult;
  verifications: Array<{ consumer: string; provider: string; success: boolean }>;
  providerContract: PublishedProviderContract | undefined;
  evidence: PublishedEvidence[];
}

// A step that did not fail counts as a successful self-verification or provider verification.
const succeeded = (step: GateStep | undefined) => step !== undefined && step.status !== 'fail' && step.status !== 'skip';

/**
 * Publishes one gate run to a Pact Broker: the pacts (as the consumers' version), the provider
 * verification results from the `verify` step, the provider's OpenAPI contract with its
 * self-verification, then every step's evidence for every pacticipant of the repository. The
 * broker's own rules apply (a republished version with other content is a 409: use a new version).
 */
export async function publishGateRun(options: PublishGateRunOptions): Promise<PublishGateRunResult> {
  const client = options.client ?? createBrokerClient({ baseUrl: options.brokerUrl, token: options.token });
  const { version, branch } = options;
  // A provider-only repository publishes no pacts (its consumers do): only its contract and evidence.
  const pacts: PublishPactsResult = options.pacts.length === 0 ? { ok: true, consumerVersion: version, published: [] } : await publishPacts(client, { paths: options.pacts, consumerVersion: version, branch, buildUrl: options.buildUrl });
  const pairs = [...new Map(pacts.published.map((p) => [`${p.consumer}\u0000${p.provider}`, { consumer: p.consumer, provider: p.provider }])).values()];
  const pacticipants = options.pacticipants ?? [...new Set(pairs.flatMap((p) => [p.consumer, p.provider]))];
  // Providers have no version yet (only consumers publish pacts): evidence needs one.
  for (const pacticipant of pacticipants) await createOrUpdateVersion(client, { pacticipant, version, branch });

  const byId = new Map(options.steps.map((step) => [step.id, step]));
  const verify = byId.get('verify');
  const verifications: PublishGateRunResult['verifications'] = [];
  if (verify && verify.status !== 'skip') {
    for (const { consumer, provider } of pairs) {
      const pactUrl = await client.relation('pb:publish-pact', { provider, consumer, consumerApplicationVersion: version });
      const pact = await client.get(pactUrl);
      const link = pact._links?.['pb:publish-verification-results'];
      const href = Array.isArray(link) ? link[0]?.href : link?.href;
      if (!href) continue;
      const success = succeeded(verify);
      await client.post(href, {
        success,
        providerApplicationVersion: version,
        ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
        testResults: verify.checks.map((check) => ({
          interactionDescription: check.name,
          success: check.status !== 'fail',
          ...(check.status === 'fail' ? { mismatches: [{ attribute: 'body', description: check.message }] } : {}),
        })),
        verifiedBy: { implementation: 'accord gate' },
      });
      verifications.push({ consumer, provider, success });
    }
  }

  let providerContract: PublishedProviderContract | undefined;
  if (options.providerContract) {
    const selfCheck = byId.get('verify') ?? byId.get('contract-lint');
    providerContract = await publishProviderContract(client, {
      file: options.providerContract.file,
      provider: options.providerContract.provider,
      providerVersion: version,
      branch,
      buildUrl: options.buildUrl,
      verificationSuccess: succeeded(selfCheck),
      verifier: 'accord',
    });
  }

  const records = options.steps.map((step) => stepEvidence(step, options.reportUrls?.[step.id]));
  const evidence: PublishedEvidence[] = [];
  if (records.length > 0) {
    for (const pacticipant of pacticipants) evidence.push(await publishEvidence(client, { pacticipant, version, evidence: records }));
  }
  return { ok: true, version, branch, pacts, verifications, providerContract, evidence };
}
