/**
 * What a pact must hold for the specification version it claims (V1–V4, HTTP and message), the
 * checks the one pact reader runs for every command: a known version, an interactions list, each
 * interaction of a known type with what that type needs (a request and a response for HTTP), and
 * matching rules of the shape of that version.
 */
import { MAX_INTERACTIONS } from '../input/index.js';
import { printable } from '../errors/index.js';

/** The pact specification major version a pact claims (1–4), 2 when it names none. */
export type PactSpecMajor = 1 | 2 | 3 | 4;

/** V4 interaction types (pact-specification V4). */
export const V4_INTERACTION_TYPES = ['Synchronous/HTTP', 'Asynchronous/Messages', 'Synchronous/Messages'] as const;

/** Matcher names of the specification (V2–V4) and of the Pact implementations' extensions. */
const MATCHERS = new Set([
  'equality', 'regex', 'type', 'min', 'max', 'minmax', 'include', 'integer', 'decimal', 'number', 'timestamp', 'time', 'date', 'datetime',
  'null', 'boolean', 'contentType', 'values', 'arrayContains', 'statusCode', 'status', 'notEmpty', 'semver', 'eachKey', 'eachValue', 'eachKeyLike', 'eachValueLike', 'ref',
]);
const CATEGORIES_V3 = new Set(['body', 'header', 'headers', 'query', 'path', 'metadata', 'status', 'content']);

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short, printable description of a value for a message. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `\`${printable(value, 40)}\` (string)`;
  return typeof value === 'object' ? 'an object' : `\`${printable(String(value), 40)}\` (${typeof value})`;
}

/** The version a pact claims, from `metadata.pactSpecification.version` (or V1's spellings). */
export function claimedVersion(pact: Json): { major: PactSpecMajor } | { problem: string } {
  const metadata = pact.metadata;
  if (metadata === undefined) return { major: 2 };
  if (!isRecord(metadata)) return { problem: `expected \`metadata\` to be an object, got ${kindOf(metadata)}` };
  const spec = metadata.pactSpecification ?? metadata['pact-specification'];
  const raw = isRecord(spec) ? spec.version : metadata.pactSpecificationVersion;
  if (raw === undefined) return { major: 2 };
  const match = typeof raw === 'string' ? /^v?(\d+)(\.\d+){0,2}$/.exec(raw.trim()) : null;
  const major = match ? Number(match[1]) : NaN;
  if (major >= 1 && major <= 4) return { major: major as PactSpecMajor };
  return { problem: `unknown pact specification version ${kindOf(raw)}: Accord reads versions 1 to 4` };
}

/** Why `pact` (already known to be an object with consumer and provider) does not follow its version. */
export function specProblems(pact: Json): string[] {
  const version = claimedVersion(pact);
  if ('problem' in version) return [version.problem];
  const { major } = version;
  const field = pact.messages !== undefined && pact.interactions === undefined ? 'messages' : 'interactions';
  const entries = pact[field];
  if (entries === undefined) return ['no `interactions` (nor `messages`): a pact lists what the consumer expects, even when that is nothing (`"interactions": []`)'];
  if (!Array.isArray(entries)) return [`expected \`${field}\` as a list, got ${kindOf(entries)}`];
  if (entries.length > MAX_INTERACTIONS) return [`${entries.length} ${field} is more than the ${MAX_INTERACTIONS} a pact may hold`];
  const problems: string[] = [];
  for (let index = 0; index < entries.length && problems.length < 20; index += 1) {
    problems.push(...interactionProblems(entries[index], `${field}[${index}]`, major, field === 'messages'));
  }
  return problems;
}

function interactionProblems(entry: unknown, where: string, major: PactSpecMajor, isMessage: boolean): string[] {
  if (!isRecord(entry)) return [`${where}: expected an object, got ${kindOf(entry)}`];
  const problems: string[] = [];
  if (entry.description !== undefined && typeof entry.description !== 'string') problems.push(`${where}: expected \`description\` to be a string, got ${kindOf(entry.description)}`);
  if (entry.providerStates !== undefined) {
    if (!Array.isArray(entry.providerStates)) problems.push(`${where}: expected \`providerStates\` to be a list, got ${kindOf(entry.providerStates)}`);
    else
      entry.providerStates.forEach((state: unknown, index) => {
        if (!(isRecord(state) && typeof state.name === 'string')) problems.push(`${where}: expected \`providerStates[${index}].name\` to be a string, got ${kindOf(isRecord(state) ? state.name : state)}`);
      });
  }
  if (problems.length > 0) return problems;
  // V4 names each interaction's type; earlier versions tell a message by its `contents`.
  let type: string;
  if (entry.type !== undefined) {
    if (typeof entry.type === 'string' && (V4_INTERACTION_TYPES as readonly string[]).includes(entry.type)) type = entry.type;
    else return [`${where}: unknown interaction type ${kindOf(entry.type)} (expected ${V4_INTERACTION_TYPES.join(', ')})`];
  } else if (isMessage || (entry.request === undefined && (entry.contents !== undefined || entry.metaData !== undefined || entry.metadata !== undefined))) type = 'Asynchronous/Messages';
  else type = 'Synchronous/HTTP';
  if (type === 'Synchronous/HTTP') {
    if (!isRecord(entry.request)) return [`${where}: an HTTP interaction needs a \`request\` object, got ${kindOf(entry.request)}`];
    if (!isRecord(entry.response)) return [`${where}: an HTTP interaction needs a \`response\` object, got ${kindOf(entry.response)}`];
    if (typeof entry.request.method !== 'string' || entry.request.method.trim() === '') problems.push(`${where}: expected \`request.method\` to be a string, got ${kindOf(entry.request.method)}`);
    if (typeof entry.request.path !== 'string') problems.push(`${where}: expected \`request.path\` to be a string, got ${kindOf(entry.request.path)}`);
    const status = entry.response.status;
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) problems.push(`${where}: expected \`response.status\` to be an HTTP status (100-599), got ${kindOf(status)}`);
    problems.push(...rulesProblems(entry.request.matchingRules, `${where}.request.matchingRules`, major));
    problems.push(...rulesProblems(entry.response.matchingRules, `${where}.response.matchingRules`, major));
  } else {
    problems.push(...rulesProblems(entry.matchingRules, `${where}.matchingRules`, major));
    if (type === 'Synchronous/Messages') {
      if (!isRecord(entry.request)) problems.push(`${where}: a synchronous message needs a \`request\` object, got ${kindOf(entry.request)}`);
      if (entry.response !== undefined && !Array.isArray(entry.response)) problems.push(`${where}: expected \`response\` of a synchronous message to be a list, got ${kindOf(entry.response)}`);
    }
  }
  return problems;
}

/** Matching rules: V2 a map of JSON path → rule; V3/V4 a map of category → (path →) `{ matchers: [...] }`. */
function rulesProblems(rules: unknown, where: string, major: PactSpecMajor): string[] {
  if (rules === undefined) return [];
  if (!isRecord(rules)) return [`${where}: expected an object, got ${kindOf(rules)}`];
  const problems: string[] = [];
  if (major <= 2) {
    for (const [path, rule] of Object.entries(rules)) {
      if (!path.startsWith('$')) problems.push(`${where}: V2 rule keys are paths starting with \`$\`, got ${kindOf(path)}`);
      else problems.push(...matcherProblems(rule, `${where}[${printable(path, 60)}]`));
      if (problems.length > 0) break;
    }
    return problems;
  }
  for (const [category, value] of Object.entries(rules)) {
    const at = `${where}.${printable(category, 40)}`;
    if (!CATEGORIES_V3.has(category)) return [`${where}: unknown matching rule category ${kindOf(category)} (expected ${[...CATEGORIES_V3].join(', ')})`];
    if (!isRecord(value)) return [`${at}: expected an object, got ${kindOf(value)}`];
    const groups: [string, unknown][] = 'matchers' in value ? [[at, value]] : Object.entries(value).map(([key, group]) => [`${at}[${printable(key, 60)}]`, group]);
    for (const [groupAt, group] of groups) {
      if (!isRecord(group) || !Array.isArray(group.matchers)) return [`${groupAt}: expected \`{ "matchers": [...] }\`, got ${isRecord(group) ? `\`matchers\` ${kindOf(group.matchers)}` : kindOf(group)}`];
      if (group.combine !== undefined && group.combine !== 'AND' && group.combine !== 'OR') return [`${groupAt}: expected \`combine\` AND or OR, got ${kindOf(group.combine)}`];
      for (const [index, matcher] of group.matchers.entries()) {
        const found = matcherProblems(matcher, `${groupAt}.matchers[${index}]`);
        if (found.length > 0) return found;
      }
    }
  }
  return problems;
}

function matcherProblems(matcher: unknown, where: string): string[] {
  if (!isRecord(matcher)) return [`${where}: expected a matcher object, got ${kindOf(matcher)}`];
  const { match, regex, min, max } = matcher;
  if (match !== undefined && (typeof match !== 'string' || !MATCHERS.has(match))) return [`${where}: unknown matcher ${kindOf(match)}`];
  if (match === undefined && regex === undefined && min === undefined && max === undefined) return [`${where}: a matcher needs \`match\` (or a V2 \`regex\`, \`min\` or \`max\`)`];
  if ((match === 'regex' || regex !== undefined) && typeof regex !== 'string') return [`${where}: a regex matcher needs \`regex\` as a string, got ${kindOf(regex)}`];
  if (typeof regex === 'string') {
    try {
      // Compiled only, never run against input here.
      new RegExp(regex, 'u');
    } catch {
      try {
        new RegExp(regex);
      } catch {
        return [`${where}: \`regex\` ${kindOf(regex)} is not a valid regular expression`];
      }
    }
  }
  for (const [name, bound] of [['min', min], ['max', max]] as const) {
    if (bound !== undefined && !(Number.isInteger(bound) && (bound as number) >= 0)) return [`${where}: expected \`${name}\` to be a whole number ≥ 0, got ${kindOf(bound)}`];
  }
  return [];
}
