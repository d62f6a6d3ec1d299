/**
 * The fields of a pact body as paths: `user.id`, `tags[]`, `tags[].name`. Every prefix of a
 * field is in the set too, and the body itself is `''`, so "does the consumer send or read X"
 * is one lookup. Array elements all share `[]`: a consumer reading `tags[0].name` reads the
 * `name` of every tag, as `eachLike` says.
 */
export type FieldSet = ReadonlySet<string>;

/** The separator-aware join of a parent path and a property name. */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** The element path of an array at `parent`. */
export function itemsPath(parent: string): string {
  return `${parent}[]`;
}

/** The path one level up: `a.b` → `a`, `a[]` → `a`, `a` → `''`. */
export function parentPath(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}

/**
 * Every field path of a body as a pact holds it. Besides the example values pact files carry,
 * the matcher objects of the consumer DSLs are read through when a file holds them inline:
 * pact-js V3 (`{"pact:matcher:type": …, "value": …}`) and the Ruby/V2 classes
 * (`Pact::SomethingLike`, `Pact::ArrayLike`, `Pact::Term`).
 */
export function fieldPaths(body: unknown): Set<string> {
  const paths = new Set<string>();
  walk(body, '', paths);
  return paths;
}

function walk(raw: unknown, path: string, paths: Set<string>): void {
  const value = unwrapMatcher(raw);
  paths.add(path);
  if (Array.isArray(value)) {
    const elementPath = itemsPath(path);
    for (const item of value) walk(item, elementPath, paths);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  // for…in rather than Object.entries: parsed JSON has no inherited keys, and thousands of bodies are walked.
  const object = value as Record<string, unknown>;
  for (const name in object) walk(object[name], childPath(path, name), paths);
}

/** The example a matcher object stands for; any other value as it is. */
export function unwrapMatcher(value: unknown): unknown {
  let current = value;
  // A matcher may wrap another (`like(eachLike(…))`); a pact's nesting is bounded when read.
  for (;;) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return current;
    const node = current as Record<string, unknown>;
    if (typeof node['pact:matcher:type'] === 'string' || typeof node['pact:generator:type'] === 'string') {
      if (!('value' in node)) return undefined;
      const inner = node.value;
      // eachLike writes its template as `value: [template]` or, in some DSLs, as the bare template.
      current = node['pact:matcher:type'] === 'type' && typeof node.min === 'number' && !Array.isArray(inner) ? [inner] : inner;
      continue;
    }
    if (typeof node.json_class === 'string') {
      if (node.json_class === 'Pact::SomethingLike') current = node.contents;
      else if (node.json_class === 'Pact::ArrayLike') current = [node.contents];
      else if (node.json_class === 'Pact::Term') current = isRecord(node.data) ? node.data.generate : undefined;
      else return current;
      continue;
    }
    return current;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Does `paths` hold `field`? A `*` segment (a schema's additionalProperties) stands for any name.
 */
export function hasField(paths: FieldSet, field: string): boolean {
  if (!field.includes('*')) return paths.has(field);
  const pattern = new RegExp(`^${field.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.[\\]]+')}$`);
  for (const path of paths) if (pattern.test(path)) return true;
  return false;
}
