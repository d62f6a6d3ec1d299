import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
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
 * Reads the pacts to verify from a directory (every `*.json`) or one file, and checks each is a
 * pact: JSON, consumer and provider named, interactions listed. In a directory, pacts for other
 * providers are skipped; a named file for another provider, or a directory with none for this
 * provider, is bad input.
 */
export async function loadPactFiles(source: string, options: LoadPactFilesOptions): Promise<PactFileSummary[]> {
  const cwd = options.cwd ?? process.cwd();
  const shown = (path: string) => relative(cwd, path) || path;
  const info = await stat(source).catch(() => undefined);
  if (!info) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `pacts not found: ${shown(source)} does not exist (expected a directory of pact files or one pact file; consumer tests write them to pacts/)`);
  }
  const files = info.isDirectory()
    ? (await readdir(source))
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(source, name))
    : [source];
  if (files.length === 0) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `no pact files in ${shown(source)}: expected *.json files written by consumer tests`);
  }

  const pacts: PactFileSummary[] = [];
  const others: { file: string; provider: string }[] = [];
  for (const file of files) {
    const pact = parsePact(await readFile(file, 'utf8'), shown(file));
    if (pact.provider === options.provider) pacts.push({ ...pact, file });
    else others.push({ file: shown(file), provider: pact.provider });
  }
  if (pacts.length === 0) {
    const found = others.map((other) => `${other.file} is for provider "${other.provider}"`).join('; ');
    throw new AccordError(ErrorCodes.PACT_INVALID, `no pact for provider "${options.provider}" in ${shown(source)}: ${found}`);
  }
  return pacts;
}

/** Parses one pact document, naming `label` and the first problem when it is not a pact. */
export function parsePact(text: string, label: string): Omit<PactFileSummary, 'file'> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label} is not a pact: expected JSON, got a parse error (${(error as Error).message})`);
  }
  if (!isRecord(document)) throw new AccordError(ErrorCodes.PACT_INVALID, `${label} is not a pact: expected a JSON object, got ${kindOf(document)}`);
  const consumer = nameOf(document.consumer);
  const provider = nameOf(document.provider);
  if (consumer === undefined) throw new AccordError(ErrorCodes.PACT_INVALID, `${label} is not a pact: expected \`consumer.name\` to be a string, got ${kindOf(isRecord(document.consumer) ? document.consumer.name : document.consumer)}`);
  if (provider === undefined) throw new AccordError(ErrorCodes.PACT_INVALID, `${label} is not a pact: expected \`provider.name\` to be a string, got ${kindOf(isRecord(document.provider) ? document.provider.name : document.provider)}`);
  if (!Array.isArray(document.interactions)) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label} is not a pact: expected \`interactions\` to be an array, got ${kindOf(document.interactions)}`);
  }
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const spec = isRecord(metadata.pactSpecification) ? metadata.pactSpecification.version : isRecord(metadata['pact-specification']) ? metadata['pact-specification'].version : undefined;
  const interactions = document.interactions.map((raw, index) => interactionOf(raw, `${label}: interactions[${index}]`));
  return { consumer, provider, specification: typeof spec === 'string' ? spec : 'unknown', interactions };
}

function interactionOf(raw: unknown, where: string): PactInteractionSummary {
  if (!isRecord(raw)) throw new AccordError(ErrorCodes.PACT_INVALID, `${where}: expected an object, got ${kindOf(raw)}`);
  if (typeof raw.description !== 'string' || raw.description === '') {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${where}: expected \`description\` to be a non-empty string, got ${kindOf(raw.description)}`);
  }
  const request = isRecord(raw.request) ? raw.request : {};
  return {
    description: raw.description,
    providerStates: statesOf(raw, `${where} ("${raw.description}")`),
    method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
    path: typeof request.path === 'string' ? request.path : '/',
    kind: typeof raw.type === 'string' && /Messages$/.test(raw.type) ? 'message' : 'http',
  };
}

function statesOf(raw: Record<string, unknown>, where: string): PactProviderState[] {
  // Pact V2 has one `providerState` string; V3 and V4 a `providerStates` list with params.
  if (typeof raw.providerState === 'string') return [{ name: raw.providerState, params: {} }];
  if (raw.providerStates === undefined) return [];
  if (!Array.isArray(raw.providerStates)) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${where}: expected \`providerStates\` to be an array, got ${kindOf(raw.providerStates)}`);
  }
  return raw.providerStates.map((state, index) => {
    if (!isRecord(state) || typeof state.name !== 'string') {
      throw new AccordError(ErrorCodes.PACT_INVALID, `${where}: expected \`providerStates[${index}].name\` to be a string, got ${kindOf(isRecord(state) ? state.name : state)}`);
    }
    return { name: state.name, params: isRecord(state.params) ? state.params : {} };
  });
}

function nameOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.name === 'string' && value.name !== '' ? value.name : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `\`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\` (string)`;
  return typeof value === 'object' ? 'an object' : `\`${String(value)}\` (${typeof value})`;
}
