/**
 * Media types compared as media types (RFC 9110 §8.3.1): type and subtype are case-insensitive,
 * parameters such as `charset` do not make `application/json` a different type, and a structured
 * suffix (`application/hal+json`) is the type it extends, as PactFlow's comparator treats them.
 */

/** A parsed `type/subtype[+suffix]; name=value` media type, type and subtype lower-cased. */
export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  /** The structured-syntax suffix (`json` of `hal+json`), or undefined. */
  readonly suffix: string | undefined;
  /** Parameter names lower-cased, values as written without quotes. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** Parses a Content-Type value; undefined when it is not `type/subtype`. */
export function parseMediaType(text: string): MediaType | undefined {
  const [essence = '', ...rest] = text.split(';');
  const match = /^\s*([!#$%&'*+.^_`|~0-9a-z-]+)\/([!#$%&'*+.^_`|~0-9a-z-]+)\s*$/i.exec(essence);
  if (!match) return undefined;
  const type = (match[1] ?? '').toLowerCase();
  const subtype = (match[2] ?? '').toLowerCase();
  const plus = subtype.lastIndexOf('+');
  const parameters: Record<string, string> = {};
  for (const parameter of rest) {
    const at = parameter.indexOf('=');
    if (at <= 0) continue;
    parameters[parameter.slice(0, at).trim().toLowerCase()] = parameter.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type, subtype, suffix: plus > 0 ? subtype.slice(plus + 1) : undefined, parameters };
}

/** `type/subtype` without parameters, lower-cased (the text itself, trimmed, when it does not parse). */
export function mediaTypeEssence(text: string): string {
  const parsed = parseMediaType(text);
  return parsed ? `${parsed.type}/${parsed.subtype}` : text.trim().toLowerCase();
}

/** True for `application/json`, `application/problem+json`, `text/json` and the like. */
export function isJsonMediaType(text: string): boolean {
  const parsed = parseMediaType(text);
  return parsed !== undefined && (parsed.subtype === 'json' || parsed.suffix === 'json');
}

/** How closely a declared media type (a contract's `content` key, maybe a range) matches an actual one; 0: not at all. */
export function mediaTypeMatch(declared: string, actual: string): number {
  const a = parseMediaType(declared);
  const b = parseMediaType(actual);
  if (a?.type === '*' && a.subtype === '*') return 1;
  if (!a || !b) return 0;
  if (a.type !== b.type) return 0;
  if (a.subtype === '*') return 2;
  if (a.subtype === b.subtype) return 4;
  // `application/hal+json` is JSON to a reader of `application/json`, and the other way round.
  if ((a.suffix !== undefined && a.suffix === b.subtype) || (b.suffix !== undefined && b.suffix === a.subtype)) return 3;
  return 0;
}

/** The key of `content` (a contract's media types) that best matches `actual`, or undefined. */
export function matchMediaType(declared: Iterable<string>, actual: string): string | undefined {
  let best: { key: string; score: number } | undefined;
  for (const key of declared) {
    const score = mediaTypeMatch(key, actual);
    if (score > (best?.score ?? 0)) best = { key, score };
  }
  return best?.key;
}
