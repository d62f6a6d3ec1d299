import { createHash } from 'node:crypto';

/** A parsed pact document: only the parts the broker reads. */
export interface PactDocument {
  consumer: { name: string };
  provider: { name: string };
  interactions?: unknown[];
  messages?: unknown[];
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Why `value` is not a pact, or undefined when it is one (consumer, provider and interactions or messages). */
export function pactProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`];
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const role of ['consumer', 'provider'] as const) {
    const party = doc[role] as { name?: unknown } | undefined;
    if (typeof party !== 'object' || party === null || typeof party.name !== 'string' || party.name.trim() === '') {
      problems.push(`${role}.name: expected a non-empty string, got ${JSON.stringify(party?.name ?? party ?? null)}`);
    }
  }
  if (!Array.isArray(doc.interactions) && !Array.isArray(doc.messages)) problems.push('interactions: expected an array of interactions (or messages), got none');
  return problems;
}

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
