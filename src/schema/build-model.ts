import { objectKey } from './model.js';
import type { AttributeValue, ObjectKind, SchemaModel, SchemaObject, SchemaObjectMeta } from './model.js';
import { displayIdent, displayName, quoteLiteral, sqlName } from './names.js';

type Row = Record<string, unknown>;

/** The rows of each catalog query, in the order the model reads them. */
export interface CatalogRows {
  schemas: Row[];
  extensions: Row[];
  collations: Row[];
  enums: Row[];
  domains: Row[];
  relations: Row[];
  sequences: Row[];
  columns: Row[];
  constraints: Row[];
  indexes: Row[];
  functions: Row[];
  triggers: Row[];
  policies: Row[];
  viewDependencies: Row[];
  privileges: Row[];
}

const text = (value: unknown): AttributeValue => (value === null || value === undefined ? null : String(value));
const flag = (value: unknown): string => (value ? 'yes' : 'no');

const RELATION_KIND: Record<string, ObjectKind> = {
  r: 'table',
  p: 'table',
  f: 'table',
  v: 'view',
  m: 'materialized view',
  c: 'composite type',
};
const CONSTRAINT_TYPES: Record<string, string> = { p: 'primary key', u: 'unique', c: 'check', f: 'foreign key', x: 'exclusion' };
const TRIGGER_ENABLED: Record<string, string> = { O: 'enabled', D: 'disabled', R: 'replica', A: 'always' };

/** The model being built, and the lookups every kind of row needs. */
interface ModelBuilder {
  readonly objects: Map<string, SchemaObject>;
  add(kind: ObjectKind, path: string[], attributes: Record<string, AttributeValue>, meta?: SchemaObjectMeta, name?: string): void;
  /** True for a table left out (and what hangs off it). */
  ignored(schema: unknown, table: unknown): boolean;
  /** Sequences owned by an ignored table (`schema.name`): left out with it. */
  readonly ignoredSequences: ReadonlySet<string>;
  /** The key of a relation: by its kind code when the row gives one, else by the kind read from the relations. */
  relationKey(schema: string, name: string, kindCode?: string): string;
}

/** Builds the model from raw catalog rows (exported for tests of the naming rules). */
export function buildModel(serverVersion: string, rows: CatalogRows, ignoreTables: ReadonlySet<string>): SchemaModel {
  const builder = modelBuilder(rows, ignoreTables);
  addNamespaces(builder, rows);
  addTypes(builder, rows);
  addRelations(builder, rows.relations);
  addSequences(builder, rows.sequences);
  addColumns(builder, rows.columns);
  addConstraints(builder, rows.constraints);
  addIndexes(builder, rows.indexes);
  addFunctions(builder, rows.functions);
  addTriggersAndPolicies(builder, rows);
  attachViewDependencies(builder, rows.viewDependencies);
  addPrivileges(builder, rows.privileges);
  return { serverVersion, objects: builder.objects };
}

function modelBuilder(rows: CatalogRows, ignoreTables: ReadonlySet<string>): ModelBuilder {
  const objects = new Map<string, SchemaObject>();
  const relationKinds = new Map<string, ObjectKind>();
  for (const row of rows.relations) relationKinds.set(`${String(row.schema)}.${String(row.name)}`, RELATION_KIND[String(row.kind)] ?? 'table');
  const ignoredSequences = new Set(rows.sequences.filter((row) => row.owner_table && ignoreTables.has(String(row.owner_table))).map((row) => `${String(row.schema)}.${String(row.name)}`));
  return {
    objects,
    add(kind, path, attributes, meta = {}, name = displayName(path)) {
      objects.set(objectKey(kind, name), { kind, name, path, attributes, meta });
    },
    ignored: (schema, table) => ignoreTables.has(`${String(schema)}.${String(table)}`),
    ignoredSequences,
    relationKey: (schema, name, kindCode) => objectKey(kindCode ? (RELATION_KIND[kindCode] ?? 'table') : (relationKinds.get(`${schema}.${name}`) ?? 'table'), displayName([schema, name])),
  };
}

/** [schema, name] of a row. */
const qualified = (row: Row): string[] => [String(row.schema), String(row.name)];

/** [schema, table, name] of a row that belongs to a table. */
const onTable = (row: Row): string[] => [String(row.schema), String(row.table), String(row.name)];

function addNamespaces(builder: ModelBuilder, rows: CatalogRows): void {
  for (const row of rows.schemas) builder.add('schema', [String(row.name)], { comment: text(row.comment) });
  for (const row of rows.extensions) builder.add('extension', qualified(row), { version: text(row.version), schema: text(row.schema) }, {}, displayName([String(row.name)]));
  for (const row of rows.collations) {
    builder.add('collation', qualified(row), {
      provider: text(row.provider),
      lc_collate: text(row.lc_collate),
      lc_ctype: text(row.lc_ctype),
      deterministic: flag(row.deterministic),
      comment: text(row.comment),
    });
  }
}

function addTypes(builder: ModelBuilder, rows: CatalogRows): void {
  for (const row of rows.enums) {
    const labels = row.labels as string[];
    builder.add('enum', qualified(row), { values: labels.map(quoteLiteral).join(', '), comment: text(row.comment) }, { labels });
  }
  for (const row of rows.domains) {
    const names = row.constraint_names as string[];
    const definitions = row.constraint_definitions as string[];
    const domainConstraints = names.map((name, index) => ({ name, definition: definitions[index] ?? '' }));
    const attributes = {
      type: text(row.base_type),
      not_null: flag(row.not_null),
      default: text(row.default),
      collation: text(row.collation),
      constraints: domainConstraints.map((constraint) => `CONSTRAINT ${displayIdent(constraint.name)} ${constraint.definition}`).join(' ') || null,
      comment: text(row.comment),
    };
    builder.add('domain', qualified(row), attributes, { domainConstraints });
  }
}

function addRelations(builder: ModelBuilder, relations: readonly Row[]): void {
  for (const row of relations) {
    if (builder.ignored(row.schema, row.name)) continue;
    const kind = RELATION_KIND[String(row.kind)] ?? 'table';
    if (kind === 'table') {
      const parentSchemas = row.parent_schemas as string[];
      const parents = (row.parent_names as string[]).map((name, index) => builder.relationKey(parentSchemas[index] ?? '', name));
      builder.add(kind, qualified(row), tableAttributes(row), { parents });
    } else if (kind === 'view' || kind === 'materialized view') {
      builder.add(kind, qualified(row), { definition: text(row.definition), options: text(row.options) || null, comment: text(row.comment) });
    } else {
      builder.add(kind, qualified(row), { comment: text(row.comment) });
    }
  }
}

function tableAttributes(row: Row): Record<string, AttributeValue> {
  return {
    partitioned: flag(row.kind === 'p'),
    unlogged: flag(row.persistence === 'u'),
    row_level_security: flag(row.rls),
    force_row_level_security: flag(row.force_rls),
    replica_identity: text(row.replica_identity),
    options: text(row.options) || null,
    partition_key: text(row.partition_key),
    partition_of: row.is_partition ? text(row.parents) : null,
    partition_bound: text(row.partition_bound),
    inherits: row.is_partition ? null : text(row.parents),
    foreign: flag(row.kind === 'f'),
    comment: text(row.comment),
  };
}

function addSequences(builder: ModelBuilder, sequences: readonly Row[]): void {
  for (const row of sequences) {
    // Identity sequences are column attributes; ignored tables take their sequences with them.
    if (row.is_identity || builder.ignoredSequences.has(`${String(row.schema)}.${String(row.name)}`)) continue;
    if (builder.ignored(row.schema, row.name)) continue;
    const attributes = {
      type: text(row.type),
      start: text(row.start),
      increment: text(row.increment),
      min: text(row.min),
      max: text(row.max),
      cache: text(row.cache),
      cycle: flag(row.cycle),
      owned_by: text(row.owned_by),
      comment: text(row.comment),
    };
    builder.add('sequence', qualified(row), attributes, row.owned_by ? { ownedBy: String(row.owned_by) } : {});
  }
}

function addColumns(builder: ModelBuilder, columns: readonly Row[]): void {
  for (const row of columns) {
    if (builder.ignored(row.schema, row.table)) continue;
    const usesType = row.uses_type_kind ? objectKey(row.uses_type_kind === 'e' ? 'enum' : 'domain', displayName([String(row.uses_type_schema), String(row.uses_type_name)])) : undefined;
    const meta: SchemaObjectMeta = { inherited: !row.is_local, parent: builder.relationKey(String(row.schema), String(row.table)), ...(usesType ? { usesType } : {}) };
    const attributes = {
      type: text(row.type),
      not_null: flag(row.not_null),
      default: text(row.default),
      identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
      identity_options: text(row.identity_options),
      generated: text(row.generated),
      collation: text(row.collation),
      inherited: flag(Number(row.inherit_count) > 0),
      position: text(row.position),
      comment: text(row.comment),
    };
    builder.add('column', onTable(row), attributes, meta);
  }
}

function addConstraints(builder: ModelBuilder, constraints: readonly Row[]): void {
  for (const row of constraints) {
    if (builder.ignored(row.schema, row.table) || row.inherited) continue;
    const definition = String(row.definition)
      .replace(/ NOT VALID$/, '')
      .replace(/ DEFERRABLE( INITIALLY DEFERRED)?$/, '');
    const attributes = {
      type: CONSTRAINT_TYPES[String(row.type)] ?? String(row.type),
      definition,
      deferrable: !row.deferrable ? 'not deferrable' : row.deferred ? 'deferrable initially deferred' : 'deferrable initially immediate',
      validated: flag(row.validated),
      comment: text(row.comment),
    };
    builder.add('constraint', onTable(row), attributes, { constraintType: String(row.type), parent: builder.relationKey(String(row.schema), String(row.table)) });
  }
}

function addIndexes(builder: ModelBuilder, indexes: readonly Row[]): void {
  for (const row of indexes) {
    if (builder.ignored(row.schema, row.table)) continue;
    const parent = text(row.parent_index);
    const parentIndex = parent ? objectKey('index', displayName(parent.split('.', 2))) : undefined;
    const attributes = {
      table: displayName([String(row.schema), String(row.table)]),
      definition: text(row.definition),
      valid: flag(row.valid),
      attached_to: parent ? displayName(parent.split('.', 2)) : null,
      comment: text(row.comment),
    };
    const meta = { onMaterializedView: row.table_kind === 'm', parent: builder.relationKey(String(row.schema), String(row.table), String(row.table_kind)), ...(parentIndex ? { parentIndex } : {}) };
    builder.add('index', qualified(row), attributes, meta);
  }
}

function addFunctions(builder: ModelBuilder, functions: readonly Row[]): void {
  for (const row of functions) {
    const kind: ObjectKind = row.kind === 'p' ? 'procedure' : 'function';
    const name = `${displayName(qualified(row))}(${String(row.args)})`;
    const dependsOn = (row.row_types as string[]).map((rowType) => {
      const [schema = '', relation = ''] = rowType.split(/\.(.*)/s);
      return builder.relationKey(schema, relation);
    });
    builder.add(kind, [String(row.schema), String(row.name), String(row.args)], { definition: text(row.definition), comment: text(row.comment) }, { dependsOn }, name);
  }
}

function addTriggersAndPolicies(builder: ModelBuilder, rows: CatalogRows): void {
  const parentOf = (row: Row) => ({ parent: builder.relationKey(String(row.schema), String(row.table)) });
  for (const row of rows.triggers) {
    if (builder.ignored(row.schema, row.table)) continue;
    builder.add('trigger', onTable(row), { definition: text(row.definition), enabled: TRIGGER_ENABLED[String(row.enabled)] ?? String(row.enabled), comment: text(row.comment) }, parentOf(row));
  }
  for (const row of rows.policies) {
    if (builder.ignored(row.schema, row.table)) continue;
    const attributes = {
      command: text(row.command),
      permissive: text(row.permissive),
      roles: text(row.roles),
      using: text(row.using),
      with_check: text(row.with_check),
      comment: text(row.comment),
    };
    builder.add('policy', onTable(row), attributes, parentOf(row));
  }
}

/** What each view reads (relations and functions), as `dependsOn` of the view. */
function attachViewDependencies(builder: ModelBuilder, viewDependencies: readonly Row[]): void {
  const viewDeps = new Map<string, string[]>();
  for (const row of viewDependencies) {
    const viewKey = builder.relationKey(String(row.schema), String(row.name));
    const ref =
      row.ref_kind === 'F'
        ? objectKey('function', `${displayName([String(row.ref_schema), String(row.ref_name)])}(${String(row.ref_args)})`)
        : builder.relationKey(String(row.ref_schema), String(row.ref_name), String(row.ref_kind));
    viewDeps.set(viewKey, [...(viewDeps.get(viewKey) ?? []), ref]);
  }
  for (const [key, deps] of viewDeps) {
    const view = builder.objects.get(key);
    if (view) builder.objects.set(key, { ...view, meta: { ...view.meta, dependsOn: deps } });
  }
}

function addPrivileges(builder: ModelBuilder, privileges: readonly Row[]): void {
  for (const row of privileges) {
    if (row.name !== null && (builder.ignored(row.schema, row.name) || builder.ignoredSequences.has(`${String(row.schema)}.${String(row.name)}`))) continue;
    const keyword = String(row.keyword);
    const targetParts = row.name === null ? [String(row.schema)] : qualified(row);
    const args = row.args === null ? '' : `(${String(row.args)})`;
    const column = row.column_name === null ? undefined : String(row.column_name);
    const targetDisplay = `${displayName(targetParts)}${args}${column ? `.${displayName([column])}` : ''}`;
    const grantee = String(row.grantee);
    const privilege = String(row.privilege);
    const target = { keyword: keyword === 'COLUMN' ? 'TABLE' : keyword, sql: `${sqlName(targetParts)}${args}`, ...(column ? { columns: column } : {}) };
    const parent = privilegeParent(builder, row, keyword, targetParts, targetDisplay);
    const name = `${privilege} on ${keyword.toLowerCase()} ${targetDisplay} to ${grantee}`;
    builder.add('privilege', [String(row.schema), ...targetParts.slice(1), grantee, privilege], { grantable: flag(row.grantable) }, { target, grant: { grantee, privilege }, parent }, name);
  }
}

/** The key of the object a privilege is on: a schema, a function or procedure, a sequence or a relation. */
function privilegeParent(builder: ModelBuilder, row: Row, keyword: string, targetParts: string[], targetDisplay: string): string {
  if (keyword === 'SCHEMA') return objectKey('schema', displayName(targetParts));
  if (keyword === 'FUNCTION' || keyword === 'PROCEDURE') return objectKey(keyword === 'FUNCTION' ? 'function' : 'procedure', targetDisplay);
  if (keyword === 'SEQUENCE') return objectKey('sequence', displayName(targetParts));
  return builder.relationKey(String(row.schema), String(row.name));
}
