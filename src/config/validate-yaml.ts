import { Ajv } from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { printable } from '../errors/index.js';
import { AJV_OPTIONS, precompiledValidator } from './precompiled.js';
import type { ConfigProblem } from './problem.js';
import type { ParsedYaml } from './yaml-file.js';

let ajv: Ajv | undefined;
const compiled = new WeakMap<SchemaObject, ValidateFunction>();

/**
 * Validates a parsed YAML file against a JSON Schema and returns EVERY problem, each located
 * to its line: syntax errors, unknown keys (with a suggestion), wrong types, missing keys.
 * A schema node's `description` is used as the "expected …" text of its messages.
 */
export function validateYaml(parsed: ParsedYaml, schema: SchemaObject): ConfigProblem[] {
  if (parsed.problems.length > 0) return [...parsed.problems];
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiledValidator(schema) ?? (ajv ??= new Ajv({ ...AJV_OPTIONS })).compile(schema);
    compiled.set(schema, validate);
  }
  // An empty file is an empty section.
  const value = parsed.value ?? {};
  if (validate(value)) return [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, parsed);
    if (!problem) continue;
    const key = `${problem.line}:${problem.path}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** `services.api.port` from a path of keys and indexes. */
export function dottedPath(segments: readonly (string | number)[]): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

function pointerSegments(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const segments: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    segments.push(segment);
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return segments;
}

/** How a value reads in a message: `"abc" (string)`, `-5 (number)`, `a list`, `null`. */
export function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)} (string)`;
  return `${printable(String(value), 80)} (${typeof value})`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

function expected(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  if (typeof description === 'string') return description;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : [params.type];
      return types.map((type) => TYPE_NAMES[String(type)] ?? String(type)).join(' or ');
    }
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return JSON.stringify(params.allowedValue);
    case 'minimum':
      return `a number >= ${String(params.limit)}`;
    case 'maximum':
      return `a number <= ${String(params.limit)}`;
    case 'minLength':
      return 'a non-empty string';
    case 'pattern':
      return `a value matching /${String(params.pattern)}/`;
    default:
      return error.message ?? 'a valid value';
  }
}

function toProblem(error: ErrorObject, parsed: ParsedYaml): ConfigProblem | undefined {
  const path = pointerSegments(error.instancePath, parsed.value);
  const params = error.params as Record<string, unknown>;
  const at = (segments: (string | number)[], message: string, key = false): ConfigProblem => ({
    file: parsed.file,
    line: parsed.lineOf(segments, { key }),
    path: dottedPath(segments),
    message,
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(name, known);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
      return at([...path, name], `unknown key${hint}`, true);
    }
    case 'required':
      return at([...path, String(params.missingProperty)], 'required key is missing');
    case 'propertyNames':
      // Reported by the inner keyword (pattern) with the offending name.
      return undefined;
    default: {
      if (typeof params.propertyName === 'string') {
        return at([...path, params.propertyName], `invalid name, expected ${expected(error)}`, true);
      }
      return at(path, `expected ${expected(error)}, got ${showValue(error.data)}`);
    }
  }
}

/** The known name within edit distance 2 of `name`, for "did you mean" hints. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swapped pair like "prot"/"port" is one edit.
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}
