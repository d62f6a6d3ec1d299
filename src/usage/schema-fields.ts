import { isObject } from '../contract/json-pointer.js';

/** How deep nested objects are listed: enough for any payload people read field by field. */
const MAX_DEPTH = 8;
/** How many times a recursive component is expanded inside itself. */
const RECURSION = 2;

/** The fields below one schema, relative to it; `exact` when no recursion or depth limit cut them. */
interface Walked {
  fields: string[];
  exact: boolean;
  /** How many property levels deep the fields go. */
  height: number;
}

/** `a` below `x` → `x.a`; `[]` below `x` → `x[]`. */
function below(prefix: string, field: string): string {
  if (prefix === '') return field;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

/**
 * Lists every field path a schema declares (`id`, `tags[]`, `tags[].name`, a map's `*`), through `$ref`s,
 * `allOf`, `oneOf`, `anyOf` and array elements; a recursive schema is expanded twice (a tree's
 * `children[].id` is a field a consumer reads) and stops where it recurs again. The body
 * itself (`''`) is not listed. The returned function remembers each component it expanded
 * completely, so the many responses that share one are expanded once.
 */
export function createSchemaFields(resolve: (node: unknown) => unknown): (schema: unknown) => string[] {
  const memo = new Map<string, Walked>();
  // How many times each component is open on the way down.
  type Active = ReadonlyMap<string, number>;
  const walk = (raw: unknown, active: Active, depth: number): Walked => {
    if (depth > MAX_DEPTH) return { fields: [], exact: false, height: 0 };
    const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    if (ref === undefined) return expand(resolve(raw), active, depth);
    const open = active.get(ref) ?? 0;
    if (open >= RECURSION) return { fields: [], exact: false, height: 0 };
    // An expansion nothing cut is the same wherever the component is used, as long as it fits below the depth limit.
    const cached = memo.get(ref);
    if (cached !== undefined && depth + cached.height <= MAX_DEPTH) return cached;
    const walked = expand(resolve(raw), new Map(active).set(ref, open + 1), depth);
    if (walked.exact) memo.set(ref, walked);
    return walked;
  };
  const expand = (node: unknown, active: Active, depth: number): Walked => {
    const result: Walked = { fields: [], exact: true, height: 0 };
    if (!isObject(node)) return result;
    const add = (prefix: string, inner: Walked, levels: number): void => {
      for (const field of inner.fields) result.fields.push(below(prefix, field));
      result.exact &&= inner.exact;
      result.height = Math.max(result.height, inner.height + levels);
    };
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) for (const part of list) add('', walk(part, active, depth), 0);
    }
    if (node.items !== undefined) {
      result.fields.push('[]');
      add('[]', walk(node.items, active, depth), 0);
    }
    // A map's values: `*` stands for any key, as in the fields of a change.
    if (isObject(node.additionalProperties)) {
      result.fields.push('*');
      add('*', walk(node.additionalProperties, active, depth + 1), 1);
    }
    if (isObject(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        result.fields.push(name);
        add(name, walk(child, active, depth + 1), 1);
      }
    }
    return result;
  };
  return (schema) => [...new Set(walk(schema, new Map(), 0).fields)];
}

