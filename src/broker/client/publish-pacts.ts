import { readPactFiles } from '../../pact-file/index.js';
import type { BrokerClient } from './broker-client.js';

/** Options for {@link publishPacts}. */
export interface PublishPactsOptions {
  /** Pact files or directories of them. */
  paths: readonly string[];
  consumerVersion: string;
  branch?: string | undefined;
  tags?: readonly string[] | undefined;
  buildUrl?: string | undefined;
  /** Merge with the pact already published for this version instead of refusing different content. */
  merge?: boolean;
}

/** What one publication did. */
export interface PublishedPact {
  file: string;
  consumer: string;
  provider: string;
  notices: Array<{ type: string; text: string }>;
}

/** The result of {@link publishPacts}. */
export interface PublishPactsResult {
  ok: true;
  consumerVersion: string;
  published: PublishedPact[];
}

/** Publishes pact files to any Pact Broker through `pb:publish-contracts` (one POST per file, as `pact broker publish` does). */
export async function publishPacts(client: BrokerClient, options: PublishPactsOptions): Promise<PublishPactsResult> {
  const pacts = await readPactFiles(options.paths);
  const href = await client.relation('pb:publish-contracts');
  const published: PublishedPact[] = [];
  for (const { label: file, pact } of pacts) {
    const response = await client.post<{ notices?: Array<{ type: string; text: string }> }>(href, {
      pacticipantName: pact.consumer.name,
      pacticipantVersionNumber: options.consumerVersion,
      ...(options.branch ? { branch: options.branch } : {}),
      ...(options.tags && options.tags.length > 0 ? { tags: [...options.tags] } : {}),
      ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
      contracts: [
        {
          consumerName: pact.consumer.name,
          providerName: pact.provider.name,
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(JSON.stringify(pact)).toString('base64'),
          onConflict: options.merge ? 'merge' : 'overwrite',
        },
      ],
    });
    published.push({ file, consumer: pact.consumer.name, provider: pact.provider.name, notices: response.notices ?? [] });
  }
  return { ok: true, consumerVersion: options.consumerVersion, published };
}
