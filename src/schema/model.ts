/** The kinds of catalog object the introspector reads. */
export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'collation'
  | 'enum'
  | 'domain'
  | 'composite type'
  | 'sequence'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'view'
  | 'materialized view'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'policy'
  | 'privilege';

/** Attribute values are compared as text; null means "not set". */
export type AttributeValue = string | null;

/** One catalog object, named by its qualified name, with the attributes that are compared. */
export interface SchemaObject {
  readonly kind: ObjectKind;
  /** Human-readable qualified name: `public.users`, `public.users.email`, `public.f(integer)`. */
  readonly name: string;
  /** The identifier parts, unquoted: [schema, name] or [schema, table, name]. */
  readonly path: readonly string[];
  /** Compared attributes. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Not compared: facts the SQL generator needs (dependencies, owning table, sub-kind). */
  readonly meta: Readonly<SchemaObjectMeta>;
}

/** Facts about an object that are not compared but steer SQL generation. */
export interface SchemaObjectMeta {
  /** Key of the object this one belongs to (a column's table, a privilege's object). */
  parent?: string;
  /** Keys of objects this one depends on (views on tables, functions and other views). */
  dependsOn?: readonly string[];
  /** For privileges: the object kind keyword (TABLE, SEQUENCE, FUNCTION, SCHEMA) and its SQL name. */
  target?: { keyword: string; sql: string; columns?: string };
  /** For privileges: grantee (`PUBLIC`, `OWNER` or a role) and privilege keyword. */
  grant?: { grantee: string; privilege: string };
  /** For columns and constraints inherited from a parent table (created by the parent, not by us). */
  inherited?: boolean;
  /** For indexes of partitions attached to a partitioned index: the parent index key. */
  parentIndex?: string;
  /** For constraints: p, u, c, f, x. */
  constraintType?: string;
  /** For indexes on materialized views (created after the view). */
  onMaterializedView?: boolean;
  /** For sequences owned by a column (serial): the column's qualified name. */
  ownedBy?: string;
  /** For tables: keys of the parent tables (partition parent or INHERITS list). */
  parents?: readonly string[];
  /** For enums: the labels in order. */
  labels?: readonly string[];
  /** For domains: their constraints. */
  domainConstraints?: readonly { name: string; definition: string }[];
  /** For enum-typed columns and domains: the key of the type they use. */
  usesType?: string;
}

/** A read catalog: objects keyed by {@link objectKey}. */
export interface SchemaModel {
  readonly serverVersion: string;
  readonly objects: ReadonlyMap<string, SchemaObject>;
}

/** The map key of an object: kind and name (names of different kinds may coincide). */
export function objectKey(kind: ObjectKind, name: string): string {
  return `${kind}:${name}`;
}

/** One difference between the actual (first) and the expected (second) schema. */
export interface SchemaDifference {
  readonly kind: string;
  readonly object: string;
  /**
   * `added`: only in the actual schema; `removed`: only in the expected one; `changed`: an
   * attribute differs. Reports word it from the expected schema's side (`findingOf`): unexpected,
   * missing, differs.
   */
  readonly change: 'added' | 'removed' | 'changed';
  readonly attribute: string | null;
  readonly expected: string | null;
  readonly actual: string | null;
  readonly level: 'error' | 'info';
}
