import { getAt, isObject, parsePointer, toPointer } from './json-pointer.js';

/** A `$ref` that points nowhere. */
export interface UnresolvedRef {
  /** JSON pointer of the object that holds the `$ref`. */
  pointer: string;
  ref: string;
  reason: string;
}

/**
 * Follows local `$ref`s (`#/components/...`) in one document, caching each target. The result
 * has the type of what the reference stands for (a `$ref` under `parameters` yields a parameter).
 */
export type RefResolver = <T>(node: T) => Exclude<T, { $ref: string }>;

/** Every `$ref` in `document` with where it is (`pointer` is empty when `withPointers` is false). */
export function collectRefs(document: unknown, withPointers = true): { pointer: string; ref: string }[] {
  if (typeof document !== 'object' || document === null) return [];
  // Load and diff both ask for a document's references; walking a large API twice is the cost.
  const cached = refCache.get(document);
  if (cached !== undefined && (cached.withPointers || !withPointers)) return cached.refs;
  const found: { pointer: string; ref: string }[] = [];
  // One shared path, pushed and popped: multi-megabyte documents have millions of nodes.
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) {
        const item: unknown = node[index];
        if (typeof item === 'object' && item !== null) {
          path.push(index);
          visit(item);
          path.pop();
        }
      }
      return;
    }
    const object = node as Record<string, unknown>;
    for (const key in object) {
      const value = object[key];
      if (key === '$ref' && typeof value === 'string') found.push({ pointer: withPointers ? toPointer(path) : '', ref: value });
      else if (typeof value === 'object' && value !== null) {
        path.push(key);
        visit(value);
        path.pop();
      }
    }
  };
  visit(document);
  refCache.set(document, { withPointers, refs: found });
  return found;
}

const refCache = new WeakMap<object, { withPointers: boolean; refs: { pointer: string; ref: string }[] }>();

/** Local `$ref`s whose target does not exist; external ones are reported when `allowExternal` is false. */
export function findUnresolvedRefs(document: unknown, allowExternal: boolean, refs = collectRefs(document)): UnresolvedRef[] {
  const problems: UnresolvedRef[] = [];
  const checked = new Set<string>();
  for (const { pointer, ref } of refs) {
    if (!ref.startsWith('#')) {
      if (!allowExternal) problems.push({ pointer, ref, reason: 'external references are not supported here' });
      continue;
    }
    if (checked.has(ref)) {
      if (problems.some((problem) => problem.ref === ref)) problems.push({ pointer, ref, reason: `no value at ${ref}` });
      continue;
    }
    checked.add(ref);
    if (getAt(document, parsePointer(ref)) === undefined) problems.push({ pointer, ref, reason: `no value at ${ref}` });
  }
  return problems;
}

/** True when some `$ref` points to another file or URL. */
export function hasExternalRefs(refs: readonly { ref: string }[]): boolean {
  return refs.some(({ ref }) => !ref.startsWith('#'));
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
  // The walk reads plain JSON. A reference stands for what the place holding it declares (the
  // specification's rule), so the target takes that type; the callers still check each node.
  const follow = (node: unknown): unknown => {
    // Most nodes a walk resolves are not references: they pass through without a `seen` set.
    if (refOf(node)?.startsWith('#') !== true) return node;
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
  return <T>(node: T) => follow(node) as Exclude<T, { $ref: string }>;
}

/** The `$ref` string of a node, if it is a reference object. */
export function refOf(node: unknown): string | undefined {
  return isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}
