import type { ObjectKind, SchemaDifference, SchemaModel, SchemaObject } from './model.js';

/** How a class of difference is reported. */
export type DifferenceLevel = 'error' | 'info' | 'ignore';

/** Options for {@link diffModels}. */
export interface DiffOptions {
  /** Column order within a table. @default 'info' */
  columnOrder?: DifferenceLevel;
  /** COMMENT ON texts. @default 'info' */
  comments?: DifferenceLevel;
  /** GRANT/REVOKE differences. @default 'error' */
  privileges?: DifferenceLevel;
  /** Extension versions. @default 'error' */
  extensionVersions?: DifferenceLevel;
  /** Only objects in these schemas (empty: all). @default [] */
  includeSchemas?: readonly string[];
  /** Objects in these schemas are left out. @default [] */
  excludeSchemas?: readonly string[];
  /** Only these kinds of object (empty: all). @default [] */
  kinds?: readonly ObjectKind[];
}

const DEFAULTS: Required<DiffOptions> = Object.freeze({
  columnOrder: 'info',
  comments: 'info',
  privileges: 'error',
  extensionVersions: 'error',
  includeSchemas: [],
  excludeSchemas: [],
  kinds: [],
});

/** The options with defaults applied (a copy). */
export function resolveDiffOptions(options: DiffOptions = {}): Required<DiffOptions> {
  return { ...DEFAULTS, ...options };
}

// The attribute that best describes an object in one line (shown for added/removed objects).
const SUMMARY_ATTRIBUTES = ['definition', 'type', 'values', 'version', 'partition_of', 'grantable'];

function summary(object: SchemaObject): string | null {
  for (const attribute of SUMMARY_ATTRIBUTES) {
    const value = object.attributes[attribute];
    if (value !== undefined && value !== null) return value;
  }
  return null;
}

/** Whether an object passes the schema and kind filters. */
export function inScope(object: SchemaObject, options: Required<DiffOptions>): boolean {
  const schema = object.path[0] ?? '';
  if (options.includeSchemas.length > 0 && !options.includeSchemas.includes(schema)) return false;
  if (options.excludeSchemas.includes(schema)) return false;
  if (options.kinds.length > 0 && !options.kinds.includes(object.kind)) return false;
  if (object.kind === 'privilege' && options.privileges === 'ignore') return false;
  return true;
}

function attributeLevel(object: SchemaObject, attribute: string, options: Required<DiffOptions>): DifferenceLevel {
  if (attribute === 'comment') return options.comments;
  if (object.kind === 'privilege') return options.privileges;
  if (object.kind === 'extension' && attribute === 'version') return options.extensionVersions;
  return 'error';
}

/**
 * Compares two models: `actual` (the first: the live database, `--from`) against `expected`
 * (the second: the schema file, `--to`). Objects only in `actual` are `added` (unexpected),
 * objects only in `expected` are `removed` (missing); children of an added or removed table
 * (columns, constraints, indexes) are not listed again, but every object of an added or removed
 * schema is: "schema audit is missing" alone does not say what the database lacks.
 */
export function diffModels(actual: SchemaModel, expected: SchemaModel, options: DiffOptions = {}): SchemaDifference[] {
  const settings = resolveDiffOptions(options);
  const differences: SchemaDifference[] = [];
  const onlyIn = (model: SchemaModel, other: SchemaModel) => {
    const keys = new Set<string>();
    for (const [key, object] of model.objects) if (!other.objects.has(key) && inScope(object, settings)) keys.add(key);
    return keys;
  };
  const added = onlyIn(actual, expected);
  const removed = onlyIn(expected, actual);
  const coveredBy = (object: SchemaObject, keys: Set<string>) => object.meta.parent !== undefined && keys.has(object.meta.parent);

  for (const key of added) {
    const object = actual.objects.get(key);
    if (!object || coveredBy(object, added)) continue;
    differences.push({ kind: object.kind, object: object.name, change: 'added', attribute: null, expected: null, actual: summary(object), level: levelOf(object, settings) });
  }
  for (const key of removed) {
    const object = expected.objects.get(key);
    if (!object || coveredBy(object, removed)) continue;
    differences.push({ kind: object.kind, object: object.name, change: 'removed', attribute: null, expected: summary(object), actual: null, level: levelOf(object, settings) });
  }
  for (const [key, want] of expected.objects) {
    const have = actual.objects.get(key);
    if (!have || !inScope(want, settings)) continue;
    const attributes = new Set([...Object.keys(want.attributes), ...Object.keys(have.attributes)]);
    for (const attribute of attributes) {
      if (attribute === 'position') continue;
      const expectedValue = want.attributes[attribute] ?? null;
      const actualValue = have.attributes[attribute] ?? null;
      if (expectedValue === actualValue) continue;
      const level = attributeLevel(want, attribute, settings);
      if (level === 'ignore') continue;
      differences.push({ kind: want.kind, object: want.name, change: 'changed', attribute, expected: expectedValue, actual: actualValue, level });
    }
  }
  if (settings.columnOrder !== 'ignore') differences.push(...columnOrderDifferences(actual, expected, settings));
  return differences.sort(compareDifferences);
}

function levelOf(object: SchemaObject, options: Required<DiffOptions>): 'error' | 'info' {
  const level = object.kind === 'privilege' ? options.privileges : 'error';
  return level === 'info' ? 'info' : 'error';
}

/** One `column order` difference per table whose shared columns appear in another order. */
function columnOrderDifferences(actual: SchemaModel, expected: SchemaModel, options: Required<DiffOptions>): SchemaDifference[] {
  const order = (model: SchemaModel) => {
    const tables = new Map<string, { name: string; columns: { name: string; position: number }[] }>();
    for (const object of model.objects.values()) {
      if (object.kind !== 'column' || !object.meta.parent || !inScope(object, options)) continue;
      const entry = tables.get(object.meta.parent) ?? { name: object.name.slice(0, object.name.lastIndexOf('.')), columns: [] };
      entry.columns.push({ name: object.path[2] ?? '', position: Number(object.attributes.position) });
      tables.set(object.meta.parent, entry);
    }
    return tables;
  };
  const actualOrder = order(actual);
  const differences: SchemaDifference[] = [];
  for (const [table, want] of order(expected)) {
    const have = actualOrder.get(table);
    if (!have) continue;
    const shared = new Set(want.columns.map((c) => c.name).filter((name) => have.columns.some((c) => c.name === name)));
    const sequence = (columns: { name: string; position: number }[]) =>
      columns
        .filter((c) => shared.has(c.name))
        .sort((a, b) => a.position - b.position)
        .map((c) => c.name)
        .join(', ');
    const expectedOrder = sequence(want.columns);
    const actualOrderText = sequence(have.columns);
    if (expectedOrder !== actualOrderText) {
      differences.push({ kind: 'table', object: want.name, change: 'changed', attribute: 'column order', expected: expectedOrder, actual: actualOrderText, level: options.columnOrder === 'error' ? 'error' : 'info' });
    }
  }
  return differences;
}

const KIND_ORDER: readonly string[] = ['schema', 'extension', 'collation', 'enum', 'domain', 'composite type', 'sequence', 'table', 'column', 'constraint', 'index', 'view', 'materialized view', 'function', 'procedure', 'trigger', 'policy', 'privilege'];

function compareDifferences(a: SchemaDifference, b: SchemaDifference): number {
  return a.object.localeCompare(b.object) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.attribute ?? '').localeCompare(b.attribute ?? '');
}
