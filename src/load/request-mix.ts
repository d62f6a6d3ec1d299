import { randomUUID } from 'node:crypto';
import type { RequestTemplate } from './profile.js';

/** A request ready to send, produced from a template. */
export interface PreparedRequest {
  /** The endpoint name (template name), used for histograms. */
  readonly endpoint: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly template: RequestTemplate;
}

/** Options of {@link createRequestMix}. */
export interface RequestMixOptions {
  /** Named value lists for `{{name}}` placeholders. */
  data?: Readonly<Record<string, readonly string[]>>;
  /** Random source in [0, 1). @default Math.random */
  random?: () => number;
  /** Most values kept per capture pool (oldest forgotten first). @default 10000 */
  poolLimit?: number;
}

/** The weighted request mix with its pools of values captured from earlier responses. */
export interface RequestMix {
  /** Picks a template by weight and fills its placeholders. */
  next(): PreparedRequest;
  /** Remembers the captured fields of a successful response for later requests. */
  capture(template: RequestTemplate, responseBody: unknown): void;
  /** How many values each pool holds now. */
  poolSizes(): Record<string, number>;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w-]*)(?::([a-zA-Z][\w-]*))?\s*\}\}/g;

/** Every part of a template that placeholders can appear in, as one text to scan. */
function templateText(template: RequestTemplate): string {
  return JSON.stringify([template.path, template.headers, template.body]);
}

/** The capture pools a template reads (`{{pick:users}}` or `{{take:users}}`). */
export function poolsUsedBy(template: RequestTemplate): string[] {
  const pools = new Set<string>();
  for (const match of templateText(template).matchAll(PLACEHOLDER)) {
    if ((match[1] === 'pick' || match[1] === 'take') && match[2]) pools.add(match[2]);
  }
  return [...pools];
}

/** A template index drawn with probability proportional to its weight. */
function pickWeighted(templates: readonly RequestTemplate[], totalWeight: number, random: () => number): number {
  let roll = random() * totalWeight;
  for (let index = 0; index < templates.length; index++) {
    roll -= templates[index]?.weight ?? 0;
    if (roll < 0) return index;
  }
  return templates.length - 1;
}

/** A random value of a non-empty pool; `take` also removes it. */
function draw(values: unknown[], random: () => number, take: boolean): unknown {
  const at = Math.floor(random() * values.length);
  const value = values[at];
  if (take) {
    // Swap-remove keeps take O(1); the order of a pool carries no meaning.
    values[at] = values[values.length - 1];
    values.pop();
  }
  return value;
}

/** `value` with `fill` applied to every string in it, at any depth. */
function fillStrings(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillStrings(item, fill));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fillStrings(inner, fill)]));
  }
  return value;
}

/**
 * Builds the request mix. Placeholders: `{{uuid}}`, `{{seq}}`, `{{NAME}}` (a random value of
 * data list NAME), `{{pick:POOL}}` (a random value captured earlier, kept) and `{{take:POOL}}`
 * (one captured earlier, removed, e.g. a resource to delete once). A template whose pool is empty
 * is replaced by the heaviest template that needs no pool, so the rate never drops.
 */
export function createRequestMix(templates: readonly RequestTemplate[], options: RequestMixOptions = {}): RequestMix {
  const data = options.data ?? {};
  const random = options.random ?? Math.random;
  const poolLimit = options.poolLimit ?? 10_000;
  const pools = new Map<string, unknown[]>();
  const needs = templates.map((template) => poolsUsedBy(template));
  const totalWeight = templates.reduce((sum, template) => sum + template.weight, 0);
  const fallbackIndex = templates
    .map((template, index) => ({ template, index }))
    .filter(({ index }) => needs[index]?.length === 0)
    .sort((a, b) => b.template.weight - a.template.weight)[0]?.index;
  let sequence = 0;

  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (whole, name: string, pool: string | undefined) => {
      if (name === 'uuid') return randomUUID();
      if (name === 'seq') return String(sequence);
      if ((name === 'pick' || name === 'take') && pool) {
        const values = pools.get(pool) ?? [];
        if (values.length === 0) return whole;
        return String(draw(values, random, name === 'take'));
      }
      const list = data[name];
      if (list && list.length > 0) return list[Math.floor(random() * list.length)] ?? '';
      return whole;
    });

  const ready = (index: number): boolean => (needs[index] ?? []).every((pool) => (pools.get(pool)?.length ?? 0) > 0);

  const build = (template: RequestTemplate): PreparedRequest => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(template.headers)) headers[key] = fill(value);
    let body: string | undefined;
    if (template.body !== undefined && template.body !== null) {
      body = JSON.stringify(fillStrings(template.body, fill));
      headers['content-type'] ??= 'application/json';
    }
    return { endpoint: template.name, method: template.method, path: fill(template.path), headers, body, template };
  };
  // A template without placeholders is the same request every time: built once (the generator's hot path).
  const fixed = templates.map((template) => (hasPlaceholder(template) ? undefined : build(template)));

  return {
    next(): PreparedRequest {
      sequence++;
      let index = pickWeighted(templates, totalWeight, random);
      if (!ready(index) && fallbackIndex !== undefined) index = fallbackIndex;
      const template = templates[index];
      if (!template) throw new Error('request mix is empty');
      return fixed[index] ?? build(template);
    },
    capture(template: RequestTemplate, responseBody: unknown): void {
      for (const [pool, field] of Object.entries(template.capture)) {
        const value = fieldOf(responseBody, field);
        if (value === undefined || value === null) continue;
        let values = pools.get(pool);
        if (!values) pools.set(pool, (values = []));
        values.push(value);
        if (values.length > poolLimit) values.shift();
      }
    },
    poolSizes(): Record<string, number> {
      return Object.fromEntries([...pools].map(([name, values]) => [name, values.length]));
    },
  };
}

function hasPlaceholder(template: RequestTemplate): boolean {
  // matchAll, not test(): PLACEHOLDER is global, and test() would move its lastIndex.
  return !templateText(template).matchAll(PLACEHOLDER).next().done;
}

/** Reads a dotted field (`id`, `user.id`) from a parsed JSON body. */
function fieldOf(body: unknown, field: string): unknown {
  let value: unknown = body;
  for (const key of field.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
