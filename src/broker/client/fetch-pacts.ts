import type { BrokerClient, HalLink, HalResource } from './broker-client.js';

/** A consumer version selector of the Pact Broker's pacts-for-verification API. */
export interface PactSelector {
  mainBranch?: boolean;
  branch?: string;
  environment?: string;
  deployedOrReleased?: boolean;
  latest?: boolean;
  consumer?: string;
}

/** One pact the broker selected: its consumer, the consumer versions it belongs to, its URL and content. */
export interface SelectedPact {
  consumer: string;
  /** Consumer version numbers this pact content belongs to (as the broker's notice lists them). */
  versions: string[];
  url: string;
  pact: unknown;
}

/**
 * The pacts of `provider` that `selectors` pick (none: the broker's defaults, i.e. the latest
 * from each consumer's main branch plus what is deployed or released), through
 * `POST /pacts/provider/{provider}/for-verification`, each fetched whole. Works against Accord's
 * broker and the Pact Broker alike.
 */
export async function fetchPactsForVerification(client: BrokerClient, provider: string, selectors: readonly PactSelector[] = []): Promise<SelectedPact[]> {
  const href = await client.relation('pb:provider-pacts-for-verification', { provider });
  const body = { includePendingStatus: false, ...(selectors.length === 0 ? {} : { consumerVersionSelectors: selectors }) };
  const listing = await client.post<HalResource>(href, body);
  const entries = Array.isArray(listing._embedded?.pacts) ? (listing._embedded.pacts as HalResource[]) : [];
  return Promise.all(entries.map(async (entry) => {
    const self = linkOf(entry, 'self');
    const pact = await client.get<HalResource>(self?.href ?? '');
    const consumerLink = linkOf(pact, 'pb:consumer');
    const consumer = typeof (pact.consumer as { name?: unknown } | undefined)?.name === 'string' ? (pact.consumer as { name: string }).name : consumerLink?.name ?? '';
    return { consumer, versions: versionsOf(entry, pact), url: self?.href ?? '', pact };
  }));
}

function linkOf(resource: HalResource, rel: string): HalLink | undefined {
  const found = resource._links?.[rel];
  return Array.isArray(found) ? found[0] : found;
}

/** The consumer versions: the notice's closing `(1.2.0, 1.3.0)`, else the link name's `Pact between A (1.2.0) and B`. */
function versionsOf(entry: HalResource, pact: HalResource): string[] {
  const notices = (entry.verificationProperties as { notices?: { text?: string }[] } | undefined)?.notices ?? [];
  for (const notice of notices) {
    const match = /belongs to the consumer versions? matching[\s\S]*\(([^()]*)\)\s*$/.exec(notice.text ?? '');
    if (match?.[1]) return match[1].split(',').map((version) => version.trim()).filter(Boolean);
  }
  const named = /\(([^()]*)\) and /.exec(linkOf(entry, 'self')?.name ?? '')?.[1] ?? linkOf(pact, 'pb:consumer-version')?.name;
  return named ? [named] : [];
}
