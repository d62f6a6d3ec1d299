import { relative } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { parsePactJson, readPactFiles } from '../pact-file/index.js';
import type { PactJson } from '../pact-file/index.js';
import type { ProviderStateParams } from './provider-states.js';

/** A provider state as a pact names it. */
export interface PactProviderState {
  readonly name: string;
  readonly params: ProviderStateParams;
}

/** What Accord reads from one interaction of a pact. */
export interface PactInteractionSummary {
  readonly description: string;
  readonly providerStates: readonly PactProviderState[];
  readonly method: string;
  readonly path: string;
  /** `message` for a V4 asynchronous or synchronous message, `http` otherwise. */
  readonly kind: 'http' | 'message';
}

/** A pact file that names the provider being verified. */
export interface PactFileSummary {
  /** Absolute path. */
  readonly file: string;
  readonly consumer: string;
  readonly provider: string;
  readonly specification: string;
  readonly interactions: readonly PactInteractionSummary[];
}

/** Options for {@link loadPactFiles}. */
export interface LoadPactFilesOptions {
  /** Only pacts with this provider are verified. */
  provider: string;
  /** Paths in messages are shown relative to this directory. @default process.cwd() */
  cwd?: string;
}

/**
 * Reads the pacts to verify from a directory (every `*.json`) or one file, each checked as a
 * pact by the one pact-file reader. In a directory, pacts for other providers are skipped; a
 * named file for another provider, or a directory with none for this provider, is bad input.
 */
export async function loadPactFiles(source: string, options: LoadPactFilesOptions): Promise<PactFileSummary[]> {
  const cwd = options.cwd ?? process.cwd();
  const read = await readPactFiles(source, { cwd });
  const pacts = read.map(({ file, pact }) => ({ ...summarize(pact), file }));
  const mine = pacts.filter((pact) => pact.provider === options.provider);
  if (mine.length === 0) {
    const found = pacts.map((pact) => `${relative(cwd, pact.file) || pact.file} is for provider "${pact.provider}"`).join('; ');
    throw new AccordError(ErrorCodes.PACT_INVALID, `no pact for provider "${options.provider}" in ${relative(cwd, source) || source}: ${found}`);
  }
  return mine;
}

/** Parses one pact document, naming `label` and every problem when it is not a pact. */
export function parsePact(text: string, label: string): Omit<PactFileSummary, 'file'> {
  return summarize(parsePactJson(text, label));
}

function summarize(pact: PactJson): Omit<PactFileSummary, 'file'> {
  const metadata = isRecord(pact.metadata) ? pact.metadata : {};
  const spec = isRecord(metadata.pactSpecification) ? metadata.pactSpecification.version : isRecord(metadata['pact-specification']) ? metadata['pact-specification'].version : undefined;
  const interactions = (pact.interactions ?? pact.messages ?? []).map((raw, index) => interactionOf(raw as Record<string, unknown>, index));
  return { consumer: pact.consumer.name, provider: pact.provider.name, specification: typeof spec === 'string' ? spec : 'unknown', interactions };
}

/** An entry the reader has already checked: an object with well-formed states. */
function interactionOf(raw: Record<string, unknown>, index: number): PactInteractionSummary {
  const request = isRecord(raw.request) ? raw.request : {};
  return {
    description: typeof raw.description === 'string' && raw.description !== '' ? raw.description : `#${index}`,
    providerStates: statesOf(raw),
    method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
    path: typeof request.path === 'string' ? request.path : '/',
    kind: typeof raw.type === 'string' && /Messages$/.test(raw.type) ? 'message' : 'http',
  };
}

function statesOf(raw: Record<string, unknown>): PactProviderState[] {
  // Pact V2 has one `providerState` string; V3 and V4 a `providerStates` list with params.
  if (typeof raw.providerState === 'string') return [{ name: raw.providerState, params: {} }];
  if (!Array.isArray(raw.providerStates)) return [];
  return raw.providerStates.map((state: Record<string, unknown>) => ({ name: String(state.name), params: isRecord(state.params) ? state.params : {} }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
