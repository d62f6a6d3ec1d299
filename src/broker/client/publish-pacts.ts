import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AccordError, ErrorCodes } from '../../errors/index.js';
import { pactProblems } from '../pact-content.js';
import type { PactDocument } from '../pact-content.js';
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
  const files = await pactFiles(options.paths);
  const pacts = await Promise.all(files.map(async (file) => ({ file, pact: await readPact(file) })));
  const href = await client.relation('pb:publish-contracts');
  const published: PublishedPact[] = [];
  for (const { file, pact } of pacts) {
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

async function pactFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `pact file or directory ${path} not found`);
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  if (files.length === 0) throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `no pact files (*.json) in ${paths.join(', ')}`);
  return files;
}

async function readPact(file: string): Promise<PactDocument> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new AccordError(ErrorCodes.PARSE_ERROR, `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const problems = pactProblems(value);
  if (problems.length > 0) throw new AccordError(ErrorCodes.PACT_INVALID, `${file} is not a pact: ${problems.join('; ')}`);
  return value as PactDocument;
}
