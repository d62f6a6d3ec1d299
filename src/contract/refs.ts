import { getAt, isObject, parsePointer, toPointer } from './json-pointer.js';

/** A `$ref` that points nowhere. */
export interface UnresolvedRef {
  /** JSON pointer of the object that holds the `$ref`. */
  pointer: string;
  ref: string;
  reason: string;
}

/** Follows local `$ref`s (`#/components/...`) in one document, caching each target. */
export type RefResolver = (node: unknown) => unknown;

/** Every `$ref` in `document` with where it is, walking iteratively (documents can be deep). */
export function collectRefs(document: unknown): { pointer: string; ref: string }[] {
  const found: { pointer: string; ref: string }[] = [];
  const stack: { node: unknown; tokens: (string | number)[] }[] = [{ node: document, tokens: [] }];
  while (stack.length > 0) {
    const { node, tokens } = stack.pop() as { node: unknown; tokens: (string | number)[] };
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push({ node: item, tokens: [...tokens, index] }));
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') found.push({ pointer: toPointer(tokens), ref: value });
        else if (typeof value === 'object' && value !== null) stack.push({ node: value, tokens: [...tokens, key] });
      }
    }
  }
  return found;
}

/** Local `$ref`s whose target does not exist; external ones are reported when `allowExternal` is false. */
export function findUnresolvedRefs(document: unknown, allowExternal: boolean): UnresolvedRef[] {
  const problems: UnresolvedRef[] = [];
  for (const { pointer, ref } of collectRefs(document)) {
    if (!ref.startsWith('#')) {
      if (!allowExternal) problems.push({ pointer, ref, reason: 'external references are not supported here' });
      continue;
    }
    if (getAt(document, parsePointer(ref)) === undefined) {
      problems.push({ pointer, ref, reason: `no value at ${ref}` });
    }
  }
  return problems;
}

/** True when the document has a `$ref` to another file or URL. */
export function hasExternalRefs(document: unknown): boolean {
  return collectRefs(document).some(({ ref }) => !ref.startsWith('#'));
}

/**
 * Makes a resolver for local references. A chain of `$ref`s is followed to its end;
 * a cycle or a missing target yields an empty schema-like object so that a walk over
 * the document never loops or crashes (lint and load report missing targets first).
 */
export function createRefResolver(document: unknown): RefResolver {
  const cache = new Map<string, unknown>();
  const lookup = (ref: string): unknown => {
    if (!cache.has(ref)) cache.set(ref, getAt(document, parsePointer(ref)));
    return cache.get(ref);
  };
  return (node) => {
    let current = node;
    const seen = new Set<string>();
    while (isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
      const ref = current.$ref;
      if (seen.has(ref)) return {};
      seen.add(ref);
      current = lookup(ref) ?? {};
    }
    return current;
  };
}

/** The `$ref` string of a node, if it is a reference object. */
export function refOf(node: unknown): string | undefined {
  return isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}
