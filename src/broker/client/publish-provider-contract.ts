import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AccordError, ErrorCodes } from '../../errors/index.js';
import type { BrokerClient } from './broker-client.js';

/** Options for {@link publishProviderContract}: those of `pactflow publish-provider-contract`. */
export interface PublishProviderContractOptions {
  /** The OpenAPI document (YAML or JSON). */
  file: string;
  provider: string;
  providerVersion: string;
  branch?: string | undefined;
  tags?: readonly string[] | undefined;
  /** @default oas */
  specification?: string | undefined;
  /** @default from the file extension: application/yaml or application/json */
  contentType?: string | undefined;
  /** Whether the provider's own check of the contract passed. */
  verificationSuccess: boolean;
  /** The self-verification output (a file path). */
  verificationResults?: string | undefined;
  verificationResultsContentType?: string | undefined;
  verificationResultsFormat?: string | undefined;
  verifier?: string | undefined;
  verifierVersion?: string | undefined;
  buildUrl?: string | undefined;
}

/** What the broker said. */
export interface PublishedProviderContract {
  ok: true;
  provider: string;
  providerVersion: string;
  notices: Array<{ type: string; text: string }>;
}

/** Publishes a provider's OpenAPI contract with its self-verification through `pf:publish-provider-contract` (PactFlow's API, also Accord's). */
export async function publishProviderContract(client: BrokerClient, options: PublishProviderContractOptions): Promise<PublishedProviderContract> {
  const content = await readInput(options.file, 'the provider contract');
  const results = options.verificationResults === undefined ? undefined : await readInput(options.verificationResults, '--verification-results');
  const contentType = options.contentType ?? (extname(options.file) === '.json' ? 'application/json' : 'application/yaml');
  const href = await client.relation('pf:publish-provider-contract', { provider: options.provider });
  const response = await client.post<{ notices?: Array<{ type: string; text: string }> }>(href, {
    pacticipantVersionNumber: options.providerVersion,
    ...(options.branch ? { branch: options.branch } : {}),
    ...(options.tags && options.tags.length > 0 ? { tags: [...options.tags] } : {}),
    ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
    contract: {
      content: content.toString('base64'),
      contentType,
      specification: options.specification ?? 'oas',
      selfVerificationResults: {
        success: options.verificationSuccess,
        ...(results === undefined ? {} : { content: results.toString('base64') }),
        ...(options.verificationResultsContentType ? { contentType: options.verificationResultsContentType } : {}),
        ...(options.verificationResultsFormat ? { format: options.verificationResultsFormat } : {}),
        ...(options.verifier ? { verifier: options.verifier } : {}),
        ...(options.verifierVersion ? { verifierVersion: options.verifierVersion } : {}),
      },
    },
  });
  return { ok: true, provider: options.provider, providerVersion: options.providerVersion, notices: response.notices ?? [] };
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${what} ${file} not found`);
  }
}
