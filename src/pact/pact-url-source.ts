import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrokerClient, createOrUpdateVersion, verificationResultBody } from '../broker/client/index.js';
import type { BrokerClient, HalLink, HalResource } from '../broker/client/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { runVerificationLive } from './run-verify.js';
import type { RunVerificationLiveOptions } from './run-verify.js';
import type { VerifiedInteraction, VerifyResult } from './verify-result.js';

/** The one pact a webhook named (`--pact-url` / `PACT_URL`), fetched into a temporary file. */
export interface PactFromUrl {
  /** The pact file to verify (the broker's links stripped). */
  readonly file: string;
  readonly consumer: string;
  readonly provider: string;
  /** The pact's content version (sha), as the broker names it. */
  readonly sha: string | undefined;
  /** Where the verification result goes (`pb:publish-verification-results`). */
  readonly publishHref: string | undefined;
  readonly client: BrokerClient;
  /** Removes the temporary file. */
  remove(): Promise<void>;
}

const hrefOf = (link: HalLink | HalLink[] | undefined): HalLink | undefined => (Array.isArray(link) ? link[0] : link);

/**
 * The broker a pact URL belongs to: the given broker URL, which the pact URL must be on (the
 * broker's token is never sent elsewhere), else everything before the URL's `/pacts/provider/`.
 */
export function brokerBaseOf(pactUrl: string, brokerUrl: string | undefined): string {
  let url: URL;
  try {
    url = new URL(pactUrl);
  } catch {
    throw new AccordError(ErrorCodes.USAGE, `--pact-url: expected the http(s) URL of a pact on a Pact Broker, got ${JSON.stringify(pactUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AccordError(ErrorCodes.USAGE, `--pact-url: expected an http(s) URL, got ${JSON.stringify(pactUrl)}`);
  if (brokerUrl) {
    const base = brokerUrl.replace(/\/+$/, '');
    if (!`${url.origin}${url.pathname}`.startsWith(`${base}/`)) {
      throw new AccordError(ErrorCodes.USAGE, `--pact-url ${url.origin}${url.pathname} is not on the Pact Broker ${base} (--broker-url / PACT_BROKER_BASE_URL): its token is sent to that broker only`);
    }
    return base;
  }
  const at = url.pathname.indexOf('/pacts/provider/');
  if (at < 0) throw new AccordError(ErrorCodes.USAGE, `--pact-url: expected a pact URL of a Pact Broker (…/pacts/provider/…), got ${JSON.stringify(pactUrl)}`);
  return `${url.origin}${url.pathname.slice(0, at)}`;
}

/** Fetches the pact at `pactUrl` from its broker and writes it where the file-based verification reads it. */
export async function fetchPactFromUrl(pactUrl: string, options: { brokerUrl?: string | undefined; token?: string | undefined }): Promise<PactFromUrl> {
  const client = createBrokerClient({ baseUrl: brokerBaseOf(pactUrl, options.brokerUrl), token: options.token });
  const pact = await client.get<HalResource & { consumer?: { name?: unknown }; provider?: { name?: unknown } }>(pactUrl);
  const consumer = typeof pact.consumer?.name === 'string' ? pact.consumer.name : undefined;
  const provider = typeof pact.provider?.name === 'string' ? pact.provider.name : undefined;
  if (!consumer || !provider) throw new AccordError(ErrorCodes.PACT_INVALID, `--pact-url ${pactUrl}: the broker's answer is not a pact (no consumer and provider names)`);
  const { _links: links, createdAt: _createdAt, notices: _notices, ...content } = pact;
  const dir = await mkdtemp(join(tmpdir(), 'accord-pact-url-'));
  const file = join(dir, 'pact.json');
  await writeFile(file, JSON.stringify(content));
  return {
    file,
    consumer,
    provider,
    sha: hrefOf(links?.['pb:pact-version'])?.name ?? /\/pact-version\/([^/]+)/.exec(pactUrl)?.[1],
    publishHref: hrefOf(links?.['pb:publish-verification-results'])?.href,
    client,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Whether the pact is pending for this provider build, asked the way selectors ask: the broker's
 * pacts for verification with pending status and work-in-progress pacts; a pact it lists as
 * pending is pending, one it does not list (already verified) is not.
 */
export async function isPactPending(pact: PactFromUrl, build: { branch?: string | undefined }): Promise<boolean> {
  if (!pact.sha) return false;
  const href = await pact.client.relation('pb:provider-pacts-for-verification', { provider: pact.provider });
  const listed = await pact.client.post<HalResource>(href, {
    consumerVersionSelectors: [{ consumer: pact.consumer, mainBranch: true }, { consumer: pact.consumer, deployedOrReleased: true }],
    includePendingStatus: true,
    includeWipPactsSince: '1970-01-01',
    ...(build.branch ? { providerVersionBranch: build.branch } : {}),
  });
  const entries = Array.isArray(listed._embedded?.pacts) ? (listed._embedded.pacts as HalResource[]) : [];
  const entry = entries.find((candidate) => (hrefOf(candidate._links?.self)?.href ?? '').includes(`/pact-version/${pact.sha}`));
  return (entry?.verificationProperties as { pending?: unknown } | undefined)?.pending === true;
}

/** Publishes the verdict for this one pact to its `pb:publish-verification-results` link (the provider version and branch recorded first). */
export async function publishPactUrlResult(
  pact: PactFromUrl,
  options: { providerVersion: string; branch?: string | undefined; buildUrl?: string | undefined; ok: boolean; interactions: readonly VerifiedInteraction[] },
): Promise<void> {
  if (!pact.publishHref) throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `the pact from --pact-url has no "pb:publish-verification-results" link: the broker cannot take its verification result`);
  await createOrUpdateVersion(pact.client, { pacticipant: pact.provider, version: options.providerVersion, branch: options.branch });
  await pact.client.post(pact.publishHref, verificationResultBody({ success: options.ok, providerVersion: options.providerVersion, buildUrl: options.buildUrl, results: options.interactions }));
}

/** What {@link runPactUrlVerification} adds to the verification's result. */
export interface PactUrlVerifyResult extends VerifyResult {
  /** The pact failed but is pending for this provider build, so the run passes (`--include-pending`). */
  readonly pending: boolean;
}

/**
 * `accord verify --pact-url URL`: verifies only the pact at URL (what a webhook's
 * `${pactbroker.pactUrl}` names) against the live provider and, with `publish`, publishes the
 * verdict for exactly that pact. With `includePending`, a failure of a pact still pending for the
 * provider's branch does not fail the run (its failed result is still published).
 */
export async function runPactUrlVerification(pactUrl: string, options: RunVerificationLiveOptions): Promise<PactUrlVerifyResult> {
  const env = options.env ?? process.env;
  const pact = await fetchPactFromUrl(pactUrl, { brokerUrl: options.brokerUrl || env.PACT_BROKER_BASE_URL, token: options.brokerToken || env.PACT_BROKER_TOKEN || undefined });
  try {
    const { publish, includePending, fromBroker: _fromBroker, consumerVersionSelectors: _selectors, includeWipPactsSince: _wip, ...rest } = options;
    const result = await runVerificationLive({ ...rest, pacts: pact.file });
    const pending = !result.ok && includePending === true && (await isPactPending(pact, { branch: publish?.branch }));
    if (publish) await publishPactUrlResult(pact, { ...publish, ok: result.ok, interactions: result.interactions });
    return {
      ...result,
      ok: result.ok || pending,
      pending,
      published: publish ? { brokerUrl: pact.client.baseUrl, providerVersion: publish.providerVersion, branch: publish.branch } : undefined,
    };
  } finally {
    await pact.remove();
  }
}
