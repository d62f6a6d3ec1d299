import { diffDocuments, loadDiffPair } from '../contract/index.js';
import type { ConsumerRef, ConsumerSummary, ConsumerTouch, ContractChange, DiffOptions, DiffResult, DiffSide } from '../contract/index.js';
import { createTargetReader } from './change-target.js';
import type { DiffDocuments } from './change-target.js';
import { describeConsumerSource, loadConsumerPacts, parseConsumerSource } from './consumer-source.js';
import type { LoadConsumerPactsOptions } from './consumer-source.js';
import { createOperationIndex } from './operation-index.js';
import { pactInteractions } from './pact-interactions.js';
import type { ConsumerPact } from './pact-interactions.js';
import { touches } from './touches.js';
import type { LocatedInteraction } from './touches.js';

/** A diff judged against the consumers' pacts: every change says who it touches. */
export interface ConsumerDiffResult extends DiffResult {
  consumers: ConsumerSummary;
}

/** Options of {@link diffWithConsumers}. */
export interface ConsumerDiffOptions extends DiffOptions, Omit<LoadConsumerPactsOptions, 'cwd'> {
  /** `--consumers SOURCE`: a pacts directory, `broker`, `broker:ENVIRONMENT` or `broker:branch=NAME`. */
  consumers: string;
  /** The pacts of `consumers` when the caller has read them already (the gate, for the diff and the usage report); not read again. */
  pacts?: readonly ConsumerPact[];
}

/**
 * `accord contract diff BASE REVISION --consumers SOURCE`: the diff, each change annotated with
 * the consumers whose pacts touch it. Under `policy: consumers` the verdict is "no breaking change
 * touches a consumer"; semver still reports the bump the changes need. REVISION may be a contract
 * the caller loaded already.
 */
export async function diffWithConsumers(base: string, revision: string | DiffSide, options: ConsumerDiffOptions): Promise<ConsumerDiffResult> {
  // The source is read first: a wrong SOURCE is bad input before any contract is loaded.
  const source = parseConsumerSource(options.consumers);
  // The pacts are read while the contracts load.
  const [{ before, after }, pacts] = await Promise.all([
    loadDiffPair(base, revision, options),
    options.pacts ?? loadConsumerPacts(source, { ...options, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) }),
  ]);
  const result = diffDocuments(before.document, after.document, options);
  return annotateDiff(result, { base: before.document, revision: after.document }, pacts, describeConsumerSource(source));
}

/** Annotates a diff's changes with the consumers of `pacts` that touch them (no I/O). */
export function annotateDiff(result: DiffResult, documents: DiffDocuments, pacts: readonly ConsumerPact[], source: string): ConsumerDiffResult {
  const messages = isAsyncApi(documents.base) || isAsyncApi(documents.revision);
  const index = createOperationIndex(documents.base, documents.revision);
  const located: LocatedInteraction[] = [];
  const checked = new Map<string, ConsumerRef>();
  for (const pact of pacts) {
    const interactions = pactInteractions(pact).filter((interaction) => interaction.kind === (messages ? 'message' : 'http'));
    if (interactions.length === 0) continue;
    checked.set(refKey(pact), { consumer: pact.consumer, version: pact.version });
    for (const interaction of interactions) {
      located.push({ interaction, operation: interaction.kind === 'http' ? index.match(interaction.method, interaction.path) : undefined });
    }
  }
  const byOperation = new Map<string, LocatedInteraction[]>();
  for (const entry of located) {
    if (entry.operation === undefined) continue;
    const list = byOperation.get(entry.operation) ?? [];
    list.push(entry);
    byOperation.set(entry.operation, list);
  }
  const targetOf = createTargetReader(documents);
  const affected = new Map<string, ConsumerRef>();
  const changes = result.changes.map((change): ContractChange => {
    const target = targetOf(change);
    const byConsumer = new Map<string, ConsumerTouch>();
    const candidates = target.scope === 'http' ? byOperation.get(target.operation) ?? [] : target.scope === 'none' ? [] : located;
    for (const entry of candidates) {
      if (!touches(target, entry)) continue;
      const { consumer, version, description } = entry.interaction;
      const key = refKey({ consumer, version });
      const touch = byConsumer.get(key) ?? { consumer, version, interactions: [] };
      if (!touch.interactions.includes(description)) touch.interactions.push(description);
      byConsumer.set(key, touch);
      if (change.level === 'error') affected.set(key, { consumer, version });
    }
    return { ...change, consumers: sorted(byConsumer.values()) };
  });
  return {
    ...result,
    changes,
    ok: result.policy === 'consumers' ? affected.size === 0 : result.ok,
    consumers: { source, checked: sorted(checked.values()), affected: sorted(affected.values()) },
  };
}

function sorted<T extends ConsumerRef>(refs: Iterable<T>): T[] {
  return [...refs].sort((a, b) => a.consumer.localeCompare(b.consumer) || (a.version ?? '').localeCompare(b.version ?? ''));
}

function refKey(ref: { consumer: string; version: string | null }): string {
  return `${ref.consumer}\u0000${ref.version ?? ''}`;
}

function isAsyncApi(document: unknown): boolean {
  return typeof document === 'object' && document !== null && 'asyncapi' in document;
}
