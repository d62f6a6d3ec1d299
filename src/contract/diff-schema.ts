import { emit } from './diff-context.js';
import type { DiffRun } from './diff-context.js';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import { refOf } from './refs.js';
import { sameValue } from './same-value.js';

/** Which side of the exchange a schema describes: narrowing a request breaks, widening a response breaks. */
export type Direction = 'request' | 'response';

/** What a schema belongs to; it decides the rule-id prefix (request-body-, request-parameter-, ...). */
export type SchemaOwner = 'body' | 'parameter' | 'header-parameter' | 'response-header';

/** The fixed part of one schema comparison: the operation and what the schema describes. */
export interface SchemaScope {
  run: DiffRun;
  direction: Direction;
  owner: SchemaOwner;
  operation: string | null;
  /** Names the place in messages: `request body (application/json)`, `query parameter limit`. */
  subject: string;
}

interface Frame {
  tokens: (string | number)[];
  /** Property path from the schema root; empty at the root. */
  property: string[];
  /** Pairs of `$ref` targets being compared further up, to stop on recursive schemas. */
  active: Set<string>;
}

const ANNOTATION_KEYS = new Set(['title', 'description', 'examples', 'example', 'default', 'externalDocs', '$comment', 'deprecated']);

/** JSON Schema 2020-12 keywords whose presence narrows (request) or widens (response) what is valid. */
const PRESENCE_KEYWORDS: [keyword: string, rule: string][] = [
  ['if', 'if'],
  ['then', 'then'],
  ['else', 'else'],
  ['contains', 'contains'],
  ['propertyNames', 'property-names'],
  ['unevaluatedItems', 'unevaluated-items'],
  ['unevaluatedProperties', 'unevaluated-properties'],
  ['contentSchema', 'content-schema'],
];

/**
 * Compares two versions of a schema and emits every classified change: type and format,
 * nullability (3.0 `nullable`, 3.1 type arrays, `oneOf` with `null`), enums, bounds,
 * patterns, defaults, `required`, properties (through `allOf`), `oneOf`/`anyOf`/`allOf`
 * alternatives, `items`, additionalProperties and the 2020-12 applicators. Direction-aware:
 * the same edit is an error in a request and harmless in a response, or the reverse.
 */
export function compareSchemas(scope: SchemaScope, base: unknown, revision: unknown, tokens: (string | number)[]): void {
  compare(scope, base, revision, { tokens, property: [], active: new Set() });
}

// The walk reads schemas as plain JSON: it serves OpenAPI 3.0 and 3.1 schemas and AsyncAPI
// payloads alike, and reads 2020-12 keywords (`if`, `prefixItems`, `dependentSchemas`, ...) and the
// `x-extensible-enum` extension, which openapi-types does not declare.

function compare(scope: SchemaScope, rawBase: unknown, rawRevision: unknown, frame: Frame): void {
  const baseRef = refOf(rawBase);
  const revisionRef = refOf(rawRevision);
  if (baseRef !== undefined && baseRef === revisionRef && scope.run.sameComponent(baseRef)) return;
  const pairKey = `${baseRef ?? ''}|${revisionRef ?? ''}`;
  if (baseRef !== undefined || revisionRef !== undefined) {
    if (frame.active.has(pairKey)) return;
    frame = { ...frame, active: new Set(frame.active).add(pairKey) };
  }
  const base = scope.run.resolveBase(rawBase);
  const revision = scope.run.resolveRevision(rawRevision);
  if (!isObject(base) || !isObject(revision)) return;
  if (baseRef === undefined && revisionRef === undefined && sameTreeOnce(scope.run, base, revision)) return;

  if (isWrappedInOneOf(scope, base, revision)) {
    if (frame.property.length === 0) {
      change(scope, frame, 'wrapped-in-one-of', `${scope.subject} was wrapped in a oneOf`);
    }
    return;
  }
  compareNullability(scope, base, revision, frame);
  const typeChanged = compareTypes(scope, base, revision, frame);
  compareEnums(scope, base, revision, frame);
  compareBounds(scope, base, revision, frame);
  comparePattern(scope, base, revision, frame);
  compareDefaultAndConst(scope, base, revision, frame);
  compareComposition(scope, base, revision, frame);
  compareDiscriminator(scope, base, revision, frame);
  comparePresenceKeywords(scope, base, revision, frame);
  compareProperties(scope, base, revision, frame);
  if (!typeChanged || (hasType(base, 'array') && hasType(revision, 'array'))) {
    if (base.items !== undefined && revision.items !== undefined) {
      // A parameter's array elements are part of the parameter itself (`?tag=a&tag=b`).
      const isParameter = scope.owner === 'parameter' || scope.owner === 'header-parameter';
      // The keyword is both the pointer token and, below a property, the segment of the rule's label.
      const tokens = ['items'];
      compare(scope, base.items, revision.items, child(frame, tokens, isParameter && frame.property.length === 0 ? undefined : tokens[0]));
    }
  }
  if (isObject(base.additionalProperties) && isObject(revision.additionalProperties)) {
    compare(scope, base.additionalProperties, revision.additionalProperties, child(frame, ['additionalProperties'], 'additionalProperties'));
  }
}

/**
 * What one run has worked out about pairs of nodes, by identity. A changed component is compared
 * again in every operation that uses it (a large API's `repository` a hundred times), and each time
 * its unchanged properties were compared value by value and its properties listed anew.
 */
interface RunMemo {
  sameTrees: WeakMap<object, WeakMap<object, boolean>>;
  /** Per resolver: a node shared by both documents (a direct caller's) may list differently in each. */
  views: Map<(node: unknown) => unknown, WeakMap<object, ObjectView>>;
}

const memos = new WeakMap<DiffRun, RunMemo>();

function memoOf(run: DiffRun): RunMemo {
  let memo = memos.get(run);
  if (memo === undefined) {
    memo = { sameTrees: new WeakMap(), views: new Map() };
    memos.set(run, memo);
  }
  return memo;
}

/** {@link sameTree}, remembered per pair of nodes for the run (its components do not change during it). */
function sameTreeOnce(run: DiffRun, a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return sameTree(run, a, b);
  const { sameTrees } = memoOf(run);
  let known = sameTrees.get(a);
  if (known === undefined) {
    known = new WeakMap();
    sameTrees.set(a, known);
  }
  let same = known.get(b);
  if (same === undefined) {
    same = sameTree(run, a, b);
    known.set(b, same);
  }
  return same;
}

/** Equal values whose `$ref`s all point at unchanged components: nothing below can differ. */
function sameTree(run: DiffRun, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  // Plain loops, as in sameValue: this runs over every schema the diff meets.
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!sameTree(run, a[index], b[index])) return false;
    return true;
  }
  const left = a as JsonObject;
  const right = b as JsonObject;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  if (typeof left.$ref === 'string' && (left.$ref !== right.$ref || !run.sameComponent(left.$ref))) return false;
  for (const key of keys) if (!Object.hasOwn(right, key) || !sameTree(run, left[key], right[key])) return false;
  return true;
}

function child(frame: Frame, tokens: (string | number)[], property: string | undefined): Frame {
  return {
    tokens: [...frame.tokens, ...tokens],
    property: property === undefined ? frame.property : [...frame.property, property],
    active: frame.active,
  };
}

/** `request-property-`, `response-body-`, `request-parameter-` ... for the schema at `frame`. */
function prefixFor(scope: SchemaScope, frame: Frame): string {
  const root = frame.property.length === 0;
  switch (scope.owner) {
    case 'body':
      return `${scope.direction}-${root ? 'body' : 'property'}`;
    case 'parameter':
      return root ? 'request-parameter' : 'request-parameter-property';
    case 'header-parameter':
      return root ? 'request-parameter' : 'request-header-property';
    case 'response-header':
      return 'response-header';
  }
}

function where(scope: SchemaScope, frame: Frame): string {
  return frame.property.length === 0 ? scope.subject : `property \`${frame.property.join('/')}\` of ${scope.subject}`;
}

function change(scope: SchemaScope, frame: Frame, suffix: string, message: string): void {
  emit(scope.run, `${prefixFor(scope, frame)}-${suffix}`, { operation: scope.operation, tokens: frame.tokens }, message);
}

// ---------------------------------------------------------------- nullability

function isNullable(schema: JsonObject, resolve: (node: unknown) => unknown): boolean {
  if (schema.nullable === true) return true;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  if (schema.type === 'null') return true;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.some((item) => {
      const resolved = resolve(item);
      return isObject(resolved) && (resolved.type === 'null' || (Array.isArray(resolved.type) && resolved.type.length === 1 && resolved.type[0] === 'null'));
    })) return true;
  }
  return false;
}

function compareNullability(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const before = isNullable(base, scope.run.resolveBase);
  const after = isNullable(revision, scope.run.resolveRevision);
  if (before === after) return;
  if (after) change(scope, frame, 'became-nullable', `${where(scope, frame)} became nullable`);
  else change(scope, frame, 'became-not-nullable', `${where(scope, frame)} is no longer nullable`);
}

// ---------------------------------------------------------------- type and format

/** The non-null types a schema allows (3.1 type arrays included); empty when unconstrained. */
function typesOf(schema: JsonObject): string[] {
  const type = schema.type;
  const list = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
  return list.filter((item) => item !== 'null').sort();
}

function hasType(schema: JsonObject, type: string): boolean {
  return typesOf(schema).includes(type);
}

// Format pairs where the revision accepts everything the base did.
const WIDER_FORMATS = new Set(['int32>int64', 'float>double', 'int32>', 'int64>', 'float>', 'double>', 'date>', 'date-time>', 'uuid>', 'email>']);

function compareTypes(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): boolean {
  const before = typesOf(base);
  const after = typesOf(revision);
  if (before.length > 1 || after.length > 1) {
    if (before.join() === after.join()) return false;
    const widened = before.every((type) => after.includes(type));
    const narrowed = after.every((type) => before.includes(type));
    if (widened || narrowed) {
      change(scope, frame, `list-of-types-${widened ? 'widened' : 'narrowed'}`, `types of ${where(scope, frame)} changed from ${before.join('|')} to ${after.join('|')}`);
      return false;
    }
  }
  const beforeType = before.join('|');
  const afterType = after.join('|');
  const beforeFormat = typeof base.format === 'string' ? base.format : '';
  const afterFormat = typeof revision.format === 'string' ? revision.format : '';
  const typeDiffers = beforeType !== afterType && beforeType !== '' && afterType !== '';
  // A format only means something next to a type; a schema that lost its type is judged by its other keywords.
  const formatDiffers = beforeFormat !== afterFormat && beforeType === afterType && beforeType !== '';
  if (!typeDiffers && !formatDiffers) return false;
  const summary = typeDiffers ? `type changed from \`${beforeType}\` to \`${afterType}\`` : `format changed from \`${beforeFormat || 'none'}\` to \`${afterFormat || 'none'}\``;
  const message = `${where(scope, frame)}: ${summary}`;
  // integer ⊂ number; a dropped or widened format accepts more values.
  const widens = typeDiffers ? beforeType === 'integer' && afterType === 'number' : WIDER_FORMATS.has(`${beforeFormat}>${afterFormat}`);
  const narrows = typeDiffers ? beforeType === 'number' && afterType === 'integer' : WIDER_FORMATS.has(`${afterFormat}>${beforeFormat}`) || beforeFormat === '';
  if (scope.owner === 'parameter' || scope.owner === 'header-parameter') {
    if (frame.property.length === 0) {
      change(scope, frame, widens ? 'type-generalized' : 'type-changed', message);
    } else if (widens) {
      change(scope, frame, 'type-generalized', message);
    } else if (narrows || (beforeType === 'string' && typeDiffers)) {
      // A query string that used to accept any text now must parse as a narrower type.
      change(scope, frame, 'type-specialized', message);
    } else {
      change(scope, frame, 'type-changed', message);
    }
    return typeDiffers;
  }
  if (scope.direction === 'request') {
    change(scope, frame, widens ? 'type-generalized' : 'type-changed', message);
  } else if (narrows) {
    change(scope, frame, 'type-specialized', message);
  } else {
    change(scope, frame, widens ? 'type-generalized' : 'type-changed', message);
  }
  return typeDiffers;
}

// ---------------------------------------------------------------- enum

function compareEnums(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const before = Array.isArray(base.enum) ? base.enum : undefined;
  const after = Array.isArray(revision.enum) ? revision.enum : undefined;
  const isRequestSide = scope.direction === 'request';
  if (before === undefined && after !== undefined) {
    if (isRequestSide) change(scope, frame, 'became-enum', `${where(scope, frame)} became an enum (${after.map(show).join(', ')})`);
  } else if (before !== undefined && after === undefined) {
    if (isRequestSide) change(scope, frame, 'became-not-enum', `${where(scope, frame)} is no longer an enum`);
  } else if (before !== undefined && after !== undefined) {
    const removed = before.filter((value) => !after.some((other) => sameValue(value, other)));
    const added = after.filter((value) => !before.some((other) => sameValue(value, other)));
    for (const value of removed) enumChange(scope, frame, 'removed', value, revision);
    for (const value of added) enumChange(scope, frame, 'added', value, revision);
  }
  const beforeX = Array.isArray(base['x-extensible-enum']) ? base['x-extensible-enum'] : [];
  const afterX = Array.isArray(revision['x-extensible-enum']) ? revision['x-extensible-enum'] : [];
  if (isRequestSide) {
    for (const value of beforeX.filter((item) => !afterX.some((other) => sameValue(item, other)))) {
      change(scope, frame, 'x-extensible-enum-value-removed', `x-extensible-enum value ${show(value)} was removed from ${where(scope, frame)}`);
    }
  }
}

function enumChange(scope: SchemaScope, frame: Frame, action: 'added' | 'removed', value: unknown, revision: JsonObject): void {
  const message = `enum value ${show(value)} was ${action} ${action === 'added' ? 'to' : 'from'} ${where(scope, frame)}`;
  const root = frame.property.length === 0;
  if (scope.direction === 'response' && scope.owner === 'body') {
    if (action === 'removed' && root) {
      emit(scope.run, 'response-mediatype-enum-value-removed', { operation: scope.operation, tokens: frame.tokens }, message);
      return;
    }
    const writeOnly = revision.writeOnly === true && action === 'added';
    emit(scope.run, writeOnly ? 'response-write-only-property-enum-value-added' : `response-property-enum-value-${action}`, { operation: scope.operation, tokens: frame.tokens }, message);
    return;
  }
  if (scope.direction === 'request' && scope.owner === 'body' && revision.readOnly === true && action === 'removed') {
    emit(scope.run, 'request-read-only-property-enum-value-removed', { operation: scope.operation, tokens: frame.tokens }, message);
    return;
  }
  change(scope, frame, `enum-value-${action}`, message);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

// ---------------------------------------------------------------- bounds

interface Bound {
  keyword: string;
  rule: string;
  kind: 'max' | 'min';
}

const BOUNDS: Bound[] = [
  { keyword: 'maximum', rule: 'max', kind: 'max' },
  { keyword: 'minimum', rule: 'min', kind: 'min' },
  { keyword: 'maxLength', rule: 'max-length', kind: 'max' },
  { keyword: 'minLength', rule: 'min-length', kind: 'min' },
  { keyword: 'maxItems', rule: 'max-items', kind: 'max' },
  { keyword: 'minItems', rule: 'min-items', kind: 'min' },
  { keyword: 'maxContains', rule: 'max-contains', kind: 'max' },
  { keyword: 'minContains', rule: 'min-contains', kind: 'min' },
];

/** Numeric exclusive bounds (3.1) and boolean ones (3.0) as one number, or undefined. */
function exclusiveBound(schema: JsonObject, keyword: 'exclusiveMaximum' | 'exclusiveMinimum'): number | undefined {
  const value = schema[keyword];
  if (typeof value === 'number') return value;
  const plain = schema[keyword === 'exclusiveMaximum' ? 'maximum' : 'minimum'];
  return value === true && typeof plain === 'number' ? plain : undefined;
}

function compareBounds(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const readOnlyInRequest = scope.direction === 'request' && revision.readOnly === true;
  const bounds: { rule: string; kind: 'max' | 'min'; before: number | undefined; after: number | undefined }[] = BOUNDS.map((bound) => ({
    rule: bound.rule,
    kind: bound.kind,
    before: typeof base[bound.keyword] === 'number' ? (base[bound.keyword] as number) : undefined,
    after: typeof revision[bound.keyword] === 'number' ? (revision[bound.keyword] as number) : undefined,
  }));
  bounds.push(
    { rule: 'exclusive-max', kind: 'max', before: exclusiveBound(base, 'exclusiveMaximum'), after: exclusiveBound(revision, 'exclusiveMaximum') },
    { rule: 'exclusive-min', kind: 'min', before: exclusiveBound(base, 'exclusiveMinimum'), after: exclusiveBound(revision, 'exclusiveMinimum') },
  );
  for (const { rule, kind, before, after } of bounds) {
    if (before === after) continue;
    const label = `${rule.replaceAll('-', ' ')} of ${where(scope, frame)}`;
    if (before === undefined) {
      const message = `${label} was set to ${String(after)}`;
      if (scope.direction === 'request') change(scope, frame, `${rule}-set`, message);
      continue;
    }
    if (after === undefined) {
      const message = `${label} (${before}) was removed`;
      if (scope.direction === 'response') change(scope, frame, `${rule}-unset`, message);
      continue;
    }
    const direction = after > before ? 'increased' : 'decreased';
    const message = `${label} ${direction} from ${before} to ${after}`;
    const narrowing = (kind === 'max' && direction === 'decreased') || (kind === 'min' && direction === 'increased');
    if (readOnlyInRequest && narrowing && scope.owner === 'body') {
      emit(scope.run, `request-read-only-property-${rule}-${direction}`, { operation: scope.operation, tokens: frame.tokens }, message);
      continue;
    }
    change(scope, frame, `${rule}-${direction}`, message);
  }
}

// ---------------------------------------------------------------- pattern, default, const

function comparePattern(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  // An empty pattern matches everything, like no pattern.
  const before = typeof base.pattern === 'string' && base.pattern !== '' ? base.pattern : undefined;
  const after = typeof revision.pattern === 'string' && revision.pattern !== '' ? revision.pattern : undefined;
  if (before === after) return;
  const label = where(scope, frame);
  if (before === undefined) change(scope, frame, 'pattern-added', `pattern \`${after}\` was added to ${label}`);
  else if (after === undefined) change(scope, frame, 'pattern-removed', `pattern \`${before}\` was removed from ${label}`);
  else if (after === '.*' || after === '^.*$') change(scope, frame, 'pattern-generalized', `pattern of ${label} was generalized from \`${before}\` to \`${after}\``);
  else change(scope, frame, 'pattern-changed', `pattern of ${label} changed from \`${before}\` to \`${after}\``);
}

function compareDefaultAndConst(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const label = where(scope, frame);
  for (const keyword of ['default', 'const'] as const) {
    const before = base[keyword];
    const after = revision[keyword];
    if (before === undefined && after === undefined) continue;
    if (before !== undefined && after !== undefined && sameValue(before, after)) continue;
    const rule = keyword === 'default' ? 'default-value' : 'const';
    if (before === undefined) change(scope, frame, `${rule}-added`, `${keyword} ${show(after)} was added to ${label}`);
    else if (after === undefined) change(scope, frame, `${rule}-removed`, `${keyword} ${show(before)} was removed from ${label}`);
    else change(scope, frame, `${rule}-changed`, `${keyword} of ${label} changed from ${show(before)} to ${show(after)}`);
  }
}

// ---------------------------------------------------------------- composition

function isWrappedInOneOf(scope: SchemaScope, base: JsonObject, revision: JsonObject): boolean {
  if (scope.owner !== 'body' || Array.isArray(base.oneOf) || !Array.isArray(revision.oneOf)) return false;
  // The old schema's own content moved into alternatives: nothing of it stayed at the top.
  const movedOut = base.properties !== undefined || typeof base.type === 'string';
  return movedOut && revision.properties === undefined && revision.oneOf.length > 1;
}

function alternativeKey(raw: unknown, resolved: unknown): string {
  const ref = refOf(raw);
  if (ref !== undefined) return `ref:${ref}`;
  if (isObject(resolved) && typeof resolved.title === 'string') return `title:${resolved.title}`;
  return `value:${JSON.stringify(resolved)}`;
}

function compareComposition(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const before = Array.isArray(base[keyword]) ? (base[keyword] as unknown[]) : [];
    const after = Array.isArray(revision[keyword]) ? (revision[keyword] as unknown[]) : [];
    if (before.length === 0 && after.length === 0) continue;
    const rule = keyword === 'oneOf' ? 'one-of' : keyword === 'anyOf' ? 'any-of' : 'all-of';
    const beforeKeys = before.map((item) => alternativeKey(item, scope.run.resolveBase(item)));
    const afterKeys = after.map((item) => alternativeKey(item, scope.run.resolveRevision(item)));
    const unmatchedBefore: number[] = [];
    const matchedAfter = new Set<number>();
    beforeKeys.forEach((key, index) => {
      const match = afterKeys.findIndex((other, otherIndex) => other === key && !matchedAfter.has(otherIndex));
      if (match === -1) unmatchedBefore.push(index);
      else {
        matchedAfter.add(match);
        compare(scope, before[index], after[match], child(frame, [keyword, match], undefined));
      }
    });
    const unmatchedAfter = after.map((_, index) => index).filter((index) => !matchedAfter.has(index));
    // Inline alternatives edited in place: same count on both sides, compared by position.
    if (unmatchedBefore.length === unmatchedAfter.length && unmatchedBefore.every((index) => refOf(before[index]) === undefined)
      && unmatchedAfter.every((index) => refOf(after[index]) === undefined)) {
      unmatchedBefore.forEach((index, position) => {
        const other = unmatchedAfter[position] as number;
        compare(scope, before[index], after[other], child(frame, [keyword, other], undefined));
      });
      continue;
    }
    const label = where(scope, frame);
    for (const index of unmatchedBefore) {
      const annotation = keyword === 'allOf' && isAnnotationOnly(scope.run.resolveBase(before[index]));
      change(scope, frame, `${rule}-removed${annotation ? '-annotation-only' : ''}`, `${keyword} alternative ${describeAlternative(before[index], index)} was removed from ${label}`);
    }
    for (const index of unmatchedAfter) {
      const annotation = keyword === 'allOf' && isAnnotationOnly(scope.run.resolveRevision(after[index]));
      change(scope, frame, `${rule}-added${annotation ? '-annotation-only' : ''}`, `${keyword} alternative ${describeAlternative(after[index], index)} was added to ${label}`);
    }
  }
}

function isAnnotationOnly(schema: unknown): boolean {
  return isObject(schema) && Object.keys(schema).every((key) => ANNOTATION_KEYS.has(key));
}

function describeAlternative(raw: unknown, index: number): string {
  const ref = refOf(raw);
  return ref === undefined ? `#${index}` : `\`${ref.split('/').pop() ?? ref}\``;
}

function compareDiscriminator(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const before = isObject(base.discriminator) ? base.discriminator : undefined;
  const after = isObject(revision.discriminator) ? revision.discriminator : undefined;
  const label = where(scope, frame);
  if (before === undefined && after === undefined) return;
  if (before === undefined) return change(scope, frame, 'discriminator-added', `a discriminator was added to ${label}`);
  if (after === undefined) return change(scope, frame, 'discriminator-removed', `the discriminator was removed from ${label}`);
  if (before.propertyName !== after.propertyName) {
    change(scope, frame, 'discriminator-property-name-changed', `discriminator property of ${label} changed from \`${String(before.propertyName)}\` to \`${String(after.propertyName)}\``);
  }
  const beforeMap = isObject(before.mapping) ? before.mapping : {};
  const afterMap = isObject(after.mapping) ? after.mapping : {};
  for (const key of Object.keys(beforeMap)) {
    if (!(key in afterMap)) change(scope, frame, 'discriminator-mapping-deleted', `discriminator mapping \`${key}\` was removed from ${label}`);
    else if (beforeMap[key] !== afterMap[key]) change(scope, frame, 'discriminator-mapping-changed', `discriminator mapping \`${key}\` of ${label} changed`);
  }
  for (const key of Object.keys(afterMap)) {
    if (!(key in beforeMap)) change(scope, frame, 'discriminator-mapping-added', `discriminator mapping \`${key}\` was added to ${label}`);
  }
}

function comparePresenceKeywords(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const label = where(scope, frame);
  for (const [keyword, rule] of PRESENCE_KEYWORDS) {
    const before = base[keyword] !== undefined;
    const after = revision[keyword] !== undefined;
    if (before && !after) change(scope, frame, `${rule}-removed`, `\`${keyword}\` was removed from ${label}`);
    else if (!before && after) change(scope, frame, `${rule}-added`, `\`${keyword}\` was added to ${label}`);
  }
  for (const [keyword, rule] of [['patternProperties', 'pattern-property'], ['dependentSchemas', 'dependent-schema'], ['dependentRequired', 'dependent-required']] as const) {
    const before = isObject(base[keyword]) ? (base[keyword] as JsonObject) : {};
    const after = isObject(revision[keyword]) ? (revision[keyword] as JsonObject) : {};
    for (const key of Object.keys(before)) {
      if (!(key in after)) change(scope, frame, `${rule}-removed`, `${keyword} \`${key}\` was removed from ${label}`);
      else if (keyword === 'dependentRequired' && !sameValue(before[key], after[key])) change(scope, frame, `${rule}-changed`, `${keyword} \`${key}\` of ${label} changed`);
    }
    for (const key of Object.keys(after)) {
      if (!(key in before)) change(scope, frame, `${rule}-added`, `${keyword} \`${key}\` was added to ${label}`);
    }
  }
  const beforePrefix = Array.isArray(base.prefixItems) ? base.prefixItems.length : 0;
  const afterPrefix = Array.isArray(revision.prefixItems) ? revision.prefixItems.length : 0;
  if (afterPrefix > beforePrefix) change(scope, frame, 'prefix-items-added', `prefixItems were added to ${label}`);
  if (afterPrefix < beforePrefix) change(scope, frame, 'prefix-items-removed', `prefixItems were removed from ${label}`);
}

// ---------------------------------------------------------------- properties

interface ObjectView {
  properties: Map<string, { raw: unknown; tokens: (string | number)[] }>;
  required: Set<string>;
}

/** Properties and `required` of a schema merged with its `allOf` members (what an instance must satisfy). */
function objectView(schema: JsonObject, resolve: (node: unknown) => unknown, tokens: (string | number)[], depth = 0): ObjectView {
  const view: ObjectView = { properties: new Map(), required: new Set() };
  if (isObject(schema.properties)) {
    for (const [name, raw] of Object.entries(schema.properties)) view.properties.set(name, { raw, tokens: [...tokens, 'properties', name] });
  }
  if (Array.isArray(schema.required)) for (const name of schema.required) view.required.add(String(name));
  if (Array.isArray(schema.allOf) && depth < 16) {
    schema.allOf.forEach((member, index) => {
      const resolved = resolve(member);
      if (!isObject(resolved)) return;
      const inner = objectView(resolved, resolve, [...tokens, 'allOf', index], depth + 1);
      for (const [name, entry] of inner.properties) if (!view.properties.has(name)) view.properties.set(name, entry);
      for (const name of inner.required) view.required.add(name);
    });
  }
  return view;
}

/** {@link objectView} of a schema at the root of a comparison, listed once per run (the view is only read). */
function rootView(run: DiffRun, schema: JsonObject, resolve: (node: unknown) => unknown): ObjectView {
  const { views: byResolver } = memoOf(run);
  let views = byResolver.get(resolve);
  if (views === undefined) {
    views = new WeakMap();
    byResolver.set(resolve, views);
  }
  let view = views.get(schema);
  if (view === undefined) {
    view = objectView(schema, resolve, []);
    views.set(schema, view);
  }
  return view;
}

function flag(schema: unknown, key: 'readOnly' | 'writeOnly' | 'deprecated'): boolean {
  return isObject(schema) && schema[key] === true;
}

function compareProperties(scope: SchemaScope, base: JsonObject, revision: JsonObject, frame: Frame): void {
  const before = rootView(scope.run, base, scope.run.resolveBase);
  const after = rootView(scope.run, revision, scope.run.resolveRevision);
  if (before.properties.size === 0 && after.properties.size === 0 && before.required.size === 0 && after.required.size === 0) return;
  const owner = scope.owner;
  const propertyFrame = (name: string, tokens: (string | number)[]): Frame => child(frame, tokens, name);
  const siteOf = (tokens: (string | number)[]) => ({ operation: scope.operation, tokens: [...frame.tokens, ...tokens] });

  for (const [name, entry] of before.properties) {
    if (after.properties.has(name)) continue;
    const schema = scope.run.resolveBase(entry.raw);
    const message = `property \`${[...frame.property, name].join('/')}\` was removed from ${scope.subject}`;
    if (owner === 'body' && scope.direction === 'request') {
      emit(scope.run, 'request-property-removed', siteOf(entry.tokens), message);
    } else if (owner === 'body') {
      const required = before.required.has(name);
      const writeOnly = flag(schema, 'writeOnly');
      const id = writeOnly
        ? `response-${required ? 'required' : 'optional'}-write-only-property-removed`
        : `response-${required ? 'required' : 'optional'}-property-removed`;
      emit(scope.run, id, siteOf(entry.tokens), message);
    }
  }
  for (const [name, entry] of after.properties) {
    if (before.properties.has(name)) continue;
    const schema = scope.run.resolveRevision(entry.raw);
    const required = after.required.has(name);
    const path = [...frame.property, name].join('/');
    if (owner === 'body' && scope.direction === 'request') {
      if (flag(schema, 'readOnly')) continue;
      const id = required ? (isObject(schema) && schema.default !== undefined ? 'new-required-request-property-with-default' : 'new-required-request-property') : 'new-optional-request-property';
      emit(scope.run, id, siteOf(entry.tokens), `${required ? 'required' : 'optional'} property \`${path}\` was added to ${scope.subject}`);
    } else if (owner === 'body') {
      const writeOnly = flag(schema, 'writeOnly');
      const id = `response-${required ? 'required' : 'optional'}${writeOnly ? '-write-only' : ''}-property-added`;
      emit(scope.run, id, siteOf(entry.tokens), `${required ? 'required' : 'optional'} property \`${path}\` was added to ${scope.subject}`);
    } else if (owner === 'header-parameter' && required) {
      emit(scope.run, 'new-required-request-header-property', siteOf(entry.tokens), `required property \`${path}\` was added to ${scope.subject}`);
    }
  }
  for (const [name, afterEntry] of after.properties) {
    const beforeEntry = before.properties.get(name);
    if (beforeEntry === undefined) continue;
    // Unchanged, required as before: none of the three comparisons below could find anything. Most
    // properties of a changed component are, and each comparison builds its frame and site first.
    if (before.required.has(name) === after.required.has(name) && sameTreeOnce(scope.run, beforeEntry.raw, afterEntry.raw)) continue;
    const baseSchema = scope.run.resolveBase(beforeEntry.raw);
    const revisionSchema = scope.run.resolveRevision(afterEntry.raw);
    compareRequired(scope, frame, name, before.required.has(name), after.required.has(name), baseSchema, revisionSchema, siteOf(afterEntry.tokens));
    compareAccessFlags(scope, frame, name, after.required.has(name), baseSchema, revisionSchema, siteOf(afterEntry.tokens));
    compare(scope, beforeEntry.raw, afterEntry.raw, propertyFrame(name, afterEntry.tokens));
  }
}

function compareRequired(
  scope: SchemaScope,
  frame: Frame,
  name: string,
  before: boolean,
  after: boolean,
  baseSchema: unknown,
  revisionSchema: unknown,
  site: { operation: string | null; tokens: (string | number)[] },
): void {
  if (before === after) return;
  const path = [...frame.property, name].join('/');
  const message = `property \`${path}\` of ${scope.subject} became ${after ? 'required' : 'optional'}`;
  if (scope.owner === 'body' && scope.direction === 'request') {
    if (flag(revisionSchema, 'readOnly')) return;
    if (after) {
      const withDefault = isObject(revisionSchema) && revisionSchema.default !== undefined;
      emit(scope.run, withDefault ? 'request-property-became-required-with-default' : 'request-property-became-required', site, message);
    } else {
      emit(scope.run, 'request-property-became-optional', site, message);
    }
  } else if (scope.owner === 'body') {
    const writeOnly = flag(revisionSchema, 'writeOnly') || flag(baseSchema, 'writeOnly');
    const id = `response-${writeOnly ? 'write-only-' : ''}property-became-${after ? 'required' : 'optional'}`;
    emit(scope.run, id, site, message);
  } else if (scope.owner === 'header-parameter' && after) {
    emit(scope.run, 'request-header-property-became-required', site, message);
  }
}

function compareAccessFlags(
  scope: SchemaScope,
  frame: Frame,
  name: string,
  required: boolean,
  baseSchema: unknown,
  revisionSchema: unknown,
  site: { operation: string | null; tokens: (string | number)[] },
): void {
  if (scope.owner !== 'body') return;
  const path = [...frame.property, name].join('/');
  const requiredness = required ? 'required' : 'optional';
  for (const key of ['readOnly', 'writeOnly'] as const) {
    const before = flag(baseSchema, key);
    const after = flag(revisionSchema, key);
    if (before === after) continue;
    const words = key === 'readOnly' ? 'read-only' : 'write-only';
    const id = `${scope.direction}-${requiredness}-property-became-${after ? '' : 'not-'}${words}`;
    emit(scope.run, id, site, `property \`${path}\` of ${scope.subject} became ${after ? '' : 'not '}${words}`);
  }
  const wasDeprecated = flag(baseSchema, 'deprecated');
  const isDeprecated = flag(revisionSchema, 'deprecated');
  if (wasDeprecated !== isDeprecated) {
    emit(scope.run, `${scope.direction}-property-${isDeprecated ? 'deprecated' : 'reactivated'}`, site, `property \`${path}\` of ${scope.subject} was ${isDeprecated ? 'deprecated' : 'reactivated'}`);
  }
}
