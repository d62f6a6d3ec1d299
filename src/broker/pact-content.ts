import { createHash } from 'node:crypto';
import type { PactJson } from '../pact-file/index.js';

/** A parsed pact document: only the parts the broker reads. */
export type PactDocument = PactJson;

/** Serialises with sorted object keys, so the same content always has the same sha. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  });
}

/** The content sha that identifies a pact version (SHA-1 of the canonical JSON, like the broker's). */
export function pactSha(content: unknown): string {
  return createHash('sha1').update(canonicalJson(content)).digest('hex');
}

/** Merges `incoming` interactions into `existing` ("onConflict": "merge"): same description and state replace, others are added. */
export function mergePacts(existing: PactDocument, incoming: PactDocument): PactDocument {
  const key = (interaction: unknown) => {
    const i = interaction as { description?: unknown; providerState?: unknown; providerStates?: unknown };
    return canonicalJson([i.description, i.providerState ?? i.providerStates ?? null]);
  };
  const field = Array.isArray(incoming.messages) && !Array.isArray(incoming.interactions) ? 'messages' : 'interactions';
  const merged = new Map<string, unknown>();
  for (const interaction of existing[field] ?? []) merged.set(key(interaction), interaction);
  for (const interaction of incoming[field] ?? []) merged.set(key(interaction), interaction);
  return { ...existing, ...incoming, [field]: [...merged.values()] };
}
