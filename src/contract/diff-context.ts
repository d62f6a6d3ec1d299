import { ACCORD_RULES, OASDIFF_RULES } from './rule-catalogue.js';
import type { RefResolver } from './refs.js';

/** How much a change matters: `error` breaks clients, `warning` may, `info` does not. */
export type ChangeLevel = 'error' | 'warning' | 'info';

/** One classified difference between two contract versions. */
export interface ContractChange {
  /** oasdiff's rule id, e.g. `response-required-property-removed`. */
  id: string;
  level: ChangeLevel;
  /** `GET /users/{id}`, or null for document-level changes. */
  operation: string | null;
  /** JSON pointer into the revision (or the base, for removals), through `$ref`s as written. */
  location: string;
  message: string;
  /** With `--consumers`: the consumers whose pacts touch what changed (empty: none does). */
  consumers?: ConsumerTouch[];
}

/** A consumer whose pacts were read: its name and version. */
export interface ConsumerRef {
  consumer: string;
  /** The consumer version(s) from the broker; null for a pact read from a file. */
  version: string | null;
}

/** A consumer (name and version) whose pact touches a change, and the interactions that do. */
export interface ConsumerTouch extends ConsumerRef {
  interactions: string[];
}

/** Who a diff was judged against (`--consumers SOURCE`). */
export interface ConsumerSummary {
  /** The source, as shown: `pacts`, `broker: deployed or released in production`. */
  source: string;
  /** Every consumer whose pacts were read, touched or not. */
  checked: ConsumerRef[];
  /** The consumers a breaking change touches: what `policy: consumers` fails on. */
  affected: ConsumerRef[];
}

const LEVELS = { e: 'error', w: 'warning', i: 'info' } as const;

/** The default level of a rule id; `undefined` when the id is unknown. */
export function ruleLevel(id: string): ChangeLevel | undefined {
  const rule = OASDIFF_RULES[id] ?? ACCORD_RULES[id];
  return rule === undefined ? undefined : LEVELS[rule[0]];
}

/** True when `id` names a rule (oasdiff's or Accord's). */
export function isKnownRule(id: string): boolean {
  return ruleLevel(id) !== undefined;
}

/** The oasdiff check function that owns a rule id (`nil` for policy rules). */
export function ruleCheck(id: string): string | undefined {
  return (OASDIFF_RULES[id] ?? ACCORD_RULES[id])?.[1];
}

/** Shared state of one diff run: both documents' resolvers and the change sink. */
export interface DiffRun {
  resolveBase: RefResolver;
  resolveRevision: RefResolver;
  /** True when a local `$ref` target is identical in both versions, including everything it references. */
  sameComponent: (ref: string) => boolean;
  /** Today, for sunset dates (a parameter so tests control it). */
  today: Date;
  changes: ContractChange[];
}

/** Where a change happened: the operation and the pointer tokens. */
export interface ChangeSite {
  operation: string | null;
  tokens: readonly (string | number)[];
}

/** Records a change under a known rule id, at the rule's default level. */
export function emit(run: DiffRun, id: string, site: ChangeSite, message: string): void {
  const level = ruleLevel(id);
  // Rule ids are composed from parts (request-property-, response-body-, ...); only real ones are emitted.
  if (level === undefined) return;
  const location = site.tokens.map((token) => `/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  run.changes.push({ id, level, operation: site.operation, location: `#${location}`, message });
}
