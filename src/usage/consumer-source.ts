import type { BrokerClientOptions, PactSelector } from '../broker/client/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertNestingDepth } from '../input/index.js';
import { assertPact, readPactFiles } from '../pact-file/index.js';
import type { ConsumerPact } from './pact-interactions.js';

/** Where the consumers' pacts come from: a directory (or file) of pacts, or the broker with a selection. */
export type ConsumerSource =
  | { kind: 'directory'; location: string }
  | { kind: 'broker'; selection: 'default' | 'environment' | 'branch'; value: string | undefined };

/**
 * Reads `--consumers SOURCE`: `broker` (each consumer's latest main-branch pact and every
 * deployed or released one), `broker:ENVIRONMENT` (the consumer versions deployed or released
 * there), `broker:branch=NAME` (the latest from that branch), anything else a pacts directory or file.
 */
export function parseConsumerSource(text: string): ConsumerSource {
  if (text === 'broker') return { kind: 'broker', selection: 'default', value: undefined };
  if (text.startsWith('broker:')) {
    const rest = text.slice('broker:'.length);
    const branch = /^branch=(.+)$/.exec(rest)?.[1];
    if (branch !== undefined) return { kind: 'broker', selection: 'branch', value: branch };
    if (rest === '' || rest.includes('=')) throw new AccordError(ErrorCodes.USAGE, `--consumers ${text}: expected broker, broker:ENVIRONMENT or broker:branch=NAME`);
    return { kind: 'broker', selection: 'environment', value: rest };
  }
  if (text.trim() === '') throw new AccordError(ErrorCodes.USAGE, '--consumers: expected a pacts directory, broker, broker:ENVIRONMENT or broker:branch=NAME');
  return { kind: 'directory', location: text };
}

/** How a source is shown: `pacts`, `broker (production)`, `broker (branch main)`. */
export function describeConsumerSource(source: ConsumerSource): string {
  if (source.kind === 'directory') return source.location;
  if (source.selection === 'environment') return `broker: deployed or released in ${source.value ?? ''}`;
  if (source.selection === 'branch') return `broker: latest from branch ${source.value ?? ''}`;
  return 'broker: latest from main branches, deployed and released';
}


/** Options of {@link loadConsumerPacts}. */
export interface LoadConsumerPactsOptions {
  /** The provider whose pacts count (required for the broker; filters a directory when given). */
  provider?: string | undefined;
  /** Where a directory's relative path starts. @default process.cwd() */
  cwd?: string;
  /** The broker's URL and token. @default PACT_BROKER_BASE_URL, PACT_BROKER_TOKEN */
  broker?: BrokerClientOptions;
}

/** The consumers' pacts a source holds (for the provider, when one is named). */
export async function loadConsumerPacts(source: ConsumerSource, options: LoadConsumerPactsOptions = {}): Promise<ConsumerPact[]> {
  const { provider } = options;
  if (source.kind === 'directory') {
    const files = await readPactFiles(source.location, options.cwd === undefined ? {} : { cwd: options.cwd });
    return files
      .filter(({ pact }) => provider === undefined || pact.provider.name === provider)
      .map(({ label, pact }) => ({ consumer: pact.consumer.name, version: null, label, pact }));
  }
  if (provider === undefined) {
    throw new AccordError(ErrorCodes.USAGE, '--consumers broker: which provider? pass --provider NAME or set pacts.yaml verify.provider');
  }
  // Reads no URL before the checks above: a wrong SOURCE is told before any request. The client
  // is loaded here, not at start-up: a pacts directory needs no HTTP stack.
  const { createBrokerClient, fetchPactsForVerification } = await import('../broker/client/index.js');
  const client = createBrokerClient(options.broker ?? {});
  const selectors: PactSelector[] =
    source.selection === 'environment' ? [{ environment: source.value as string }]
      : source.selection === 'branch' ? [{ branch: source.value as string }]
        : [];
  const selected = await fetchPactsForVerification(client, provider, selectors);
  return selected.map((entry) => {
    // The broker's answer is input like any pact file: checked before it is read.
    assertNestingDepth(entry.url, entry.pact, ErrorCodes.PACT_INVALID);
    assertPact(entry.pact, entry.url);
    return { consumer: entry.consumer || entry.pact.consumer.name, version: entry.versions.length === 0 ? null : entry.versions.join(', '), label: entry.url, pact: entry.pact };
  });
}
