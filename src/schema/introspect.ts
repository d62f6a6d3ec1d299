import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { redactUrl } from '../env/postgres.js';
import * as Q from './catalog-queries.js';
import { objectKey } from './model.js';
import type { AttributeValue, ObjectKind, SchemaModel, SchemaObject, SchemaObjectMeta } from './model.js';
import { displayIdent, displayName, quoteLiteral, sqlName } from './names.js';

/** Options for {@link introspectDatabase}. */
export interface IntrospectOptions {
  /** Tables left out (`schema.table`), with the sequences they own. @default ['public.pgmigrations'] (node-pg-migrate's own table) */
  ignoreTables?: readonly string[];
}

const DEFAULTS: Required<IntrospectOptions> = Object.freeze({ ignoreTables: ['public.pgmigrations'] });

type Row = Record<string, unknown>;

const text = (value: unknown): AttributeValue => (value === null || value === undefined ? null : String(value));
const flag = (value: unknown): string => (value ? 'yes' : 'no');

/**
 * Reads the catalog of a database into a name-keyed model, in one read-only transaction.
 * `target` is a URL (a connection is opened and closed) or a connected client not inside a
 * transaction (reused as is, e.g. by the corpus harness).
 */
export async function introspectDatabase(target: string | pg.Client, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const settings = { ...DEFAULTS, ...options };
  if (typeof target !== 'string') return readCatalog(target, settings);
  // default_transaction_read_only guards the session too: introspection must never write.
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000, options: '-c default_transaction_read_only=on' });
  try {
    await client.connect();
  } catch (error) {
    throw new AccordError(ErrorCodes.DB_UNREACHABLE, `cannot connect to PostgreSQL at ${redactUrl(target)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await readCatalog(client, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readCatalog(client: pg.Client, settings: Required<IntrospectOptions>): Promise<SchemaModel> {
  // One round trip: a read-only snapshot, qualified names (the text must not depend on a
  // role's search_path), every catalog query, commit.
  const queries = [
    'SHOW server_version',
    Q.SCHEMAS_SQL,
    Q.EXTENSIONS_SQL,
    Q.COLLATIONS_SQL,
    Q.ENUMS_SQL,
    Q.DOMAINS_SQL,
    Q.RELATIONS_SQL,
    Q.SEQUENCES_SQL,
    Q.COLUMNS_SQL,
    Q.CONSTRAINTS_SQL,
    Q.INDEXES_SQL,
    Q.FUNCTIONS_SQL,
    Q.TRIGGERS_SQL,
    Q.POLICIES_SQL,
    Q.VIEW_DEPENDENCIES_SQL,
    Q.PRIVILEGES_SQL,
  ];
  const script = ['BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY', 'SET LOCAL search_path TO pg_catalog', ...queries, 'COMMIT'].join(';\n');
  const results = (await client.query(script)) as unknown as pg.QueryResult[];
  const r = (i: number): Row[] => (results[i + 2]?.rows ?? []) as Row[];
  const version = String(r(0)[0]?.server_version ?? 'unknown');
  const rows: CatalogRows = {
    schemas: r(1),
    extensions: r(2),
    collations: r(3),
    enums: r(4),
    domains: r(5),
    relations: r(6),
    sequences: r(7),
    columns: r(8),
    constraints: r(9),
    indexes: r(10),
    functions: r(11),
    triggers: r(12),
    policies: r(13),
    viewDependencies: r(14),
    privileges: r(15),
  };
  return buildModel(version, rows, new Set(settings.ignoreTables));
}

interface CatalogRows {
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

const RELATION_KIND: Record<string, ObjectKind> = {
  r: 'table',
  p: 'table',
  f: 'table',
  v: 'view',
  m: 'materialized view',
  c: 'composite type',
};

/** Builds the model from raw catalog rows (exported for tests of the naming rules). */
export function buildModel(serverVersion: string, rows: CatalogRows, ignoreTables: ReadonlySet<string>): SchemaModel {
  const objects = new Map<string, SchemaObject>();
  const add = (kind: ObjectKind, path: string[], attributes: Record<string, AttributeValue>, meta: SchemaObjectMeta = {}, name = displayName(path)) => {
    objects.set(objectKey(kind, name), { kind, name, path, attributes, meta });
  };
  const ignored = (schema: unknown, table: unknown) => ignoreTables.has(`${String(schema)}.${String(table)}`);
  const relationKinds = new Map<string, ObjectKind>();
  for (const r of rows.relations) relationKinds.set(`${String(r.schema)}.${String(r.name)}`, RELATION_KIND[String(r.kind)] ?? 'table');
  const relationKey = (schema: string, name: string, kindCode?: string) =>
    objectKey(kindCode ? (RELATION_KIND[kindCode] ?? 'table') : (relationKinds.get(`${schema}.${name}`) ?? 'table'), displayName([schema, name]));

  for (const r of rows.schemas) add('schema', [String(r.name)], { comment: text(r.comment) });
  for (const r of rows.extensions) {
    add('extension', [String(r.schema), String(r.name)], { version: text(r.version), schema: text(r.schema) }, {}, displayName([String(r.name)]));
  }
  for (const r of rows.collations) {
    add('collation', [String(r.schema), String(r.name)], {
      provider: text(r.provider),
      lc_collate: text(r.lc_collate),
      lc_ctype: text(r.lc_ctype),
      deterministic: flag(r.deterministic),
      comment: text(r.comment),
    });
  }
  for (const r of rows.enums) {
    const labels = r.labels as string[];
    add('enum', [String(r.schema), String(r.name)], { values: labels.map(quoteLiteral).join(', '), comment: text(r.comment) }, { labels });
  }
  for (const r of rows.domains) {
    const names = r.constraint_names as string[];
    const definitions = r.constraint_definitions as string[];
    const domainConstraints = names.map((name, i) => ({ name, definition: definitions[i] ?? '' }));
    add(
      'domain',
      [String(r.schema), String(r.name)],
      {
        type: text(r.base_type),
        not_null: flag(r.not_null),
        default: text(r.default),
        collation: text(r.collation),
        constraints: domainConstraints.map((c) => `CONSTRAINT ${displayIdent(c.name)} ${c.definition}`).join(' ') || null,
        comment: text(r.comment),
      },
      { domainConstraints },
    );
  }
  for (const r of rows.relations) {
    if (ignored(r.schema, r.name)) continue;
    const kind = RELATION_KIND[String(r.kind)] ?? 'table';
    const path = [String(r.schema), String(r.name)];
    const parentSchemas = r.parent_schemas as string[];
    const parents = (r.parent_names as string[]).map((name, i) => relationKey(parentSchemas[i] ?? '', name));
    if (kind === 'table') {
      add(kind, path, {
        partitioned: flag(r.kind === 'p'),
        unlogged: flag(r.persistence === 'u'),
        row_level_security: flag(r.rls),
        force_row_level_security: flag(r.force_rls),
        replica_identity: text(r.replica_identity),
        options: text(r.options) || null,
        partition_key: text(r.partition_key),
        partition_of: r.is_partition ? text(r.parents) : null,
        partition_bound: text(r.partition_bound),
        inherits: r.is_partition ? null : text(r.parents),
        foreign: flag(r.kind === 'f'),
        comment: text(r.comment),
      }, { parents });
    } else if (kind === 'view' || kind === 'materialized view') {
      add(kind, path, { definition: text(r.definition), options: text(r.options) || null, comment: text(r.comment) });
    } else {
      add(kind, path, { comment: text(r.comment) });
    }
  }
  const ignoredSequences = new Set(rows.sequences.filter((r) => r.owner_table && ignoreTables.has(String(r.owner_table))).map((r) => `${String(r.schema)}.${String(r.name)}`));
  for (const r of rows.sequences) {
    // Identity sequences are column attributes; ignored tables take their sequences with them.
    if (r.is_identity || ignoredSequences.has(`${String(r.schema)}.${String(r.name)}`)) continue;
    if (ignored(r.schema, r.name)) continue;
    add(
      'sequence',
      [String(r.schema), String(r.name)],
      {
        type: text(r.type),
        start: text(r.start),
        increment: text(r.increment),
        min: text(r.min),
        max: text(r.max),
        cache: text(r.cache),
        cycle: flag(r.cycle),
        owned_by: text(r.owned_by),
        comment: text(r.comment),
      },
      r.owned_by ? { ownedBy: String(r.owned_by) } : {},
    );
  }
  for (const r of rows.columns) {
    if (ignored(r.schema, r.table)) continue;
    const usesType = r.uses_type_kind ? objectKey(r.uses_type_kind === 'e' ? 'enum' : 'domain', displayName([String(r.uses_type_schema), String(r.uses_type_name)])) : undefined;
    const meta: SchemaObjectMeta = { inherited: !r.is_local, parent: relationKey(String(r.schema), String(r.table)), ...(usesType ? { usesType } : {}) };
    add(
      'column',
      [String(r.schema), String(r.table), String(r.name)],
      {
        type: text(r.type),
        not_null: flag(r.not_null),
        default: text(r.default),
        identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
        identity_options: text(r.identity_options),
        generated: text(r.generated),
        collation: text(r.collation),
        inherited: flag(Number(r.inherit_count) > 0),
        position: text(r.position),
        comment: text(r.comment),
      },
      meta,
    );
  }
  for (const r of rows.constraints) {
    if (ignored(r.schema, r.table) || r.inherited) continue;
    const definition = String(r.definition)
      .replace(/ NOT VALID$/, '')
      .replace(/ DEFERRABLE( INITIALLY DEFERRED)?$/, '');
    add(
      'constraint',
      [String(r.schema), String(r.table), String(r.name)],
      {
        type: CONSTRAINT_TYPES[String(r.type)] ?? String(r.type),
        definition,
        deferrable: !r.deferrable ? 'not deferrable' : r.deferred ? 'deferrable initially deferred' : 'deferrable initially immediate',
        validated: flag(r.validated),
        comment: text(r.comment),
      },
      { constraintType: String(r.type), parent: relationKey(String(r.schema), String(r.table)) },
    );
  }
  for (const r of rows.indexes) {
    if (ignored(r.schema, r.table)) continue;
    const parent = text(r.parent_index);
    const parentIndex = parent ? objectKey('index', displayName(parent.split('.', 2))) : undefined;
    add(
      'index',
      [String(r.schema), String(r.name)],
      {
        table: displayName([String(r.schema), String(r.table)]),
        definition: text(r.definition),
        valid: flag(r.valid),
        attached_to: parent ? displayName(parent.split('.', 2)) : null,
        comment: text(r.comment),
      },
      { onMaterializedView: r.table_kind === 'm', parent: relationKey(String(r.schema), String(r.table), String(r.table_kind)), ...(parentIndex ? { parentIndex } : {}) },
    );
  }
  for (const r of rows.functions) {
    const kind: ObjectKind = r.kind === 'p' ? 'procedure' : 'function';
    const name = `${displayName([String(r.schema), String(r.name)])}(${String(r.args)})`;
    const dependsOn = (r.row_types as string[]).map((t) => {
      const [schema = '', rel = ''] = t.split(/\.(.*)/s);
      return relationKey(schema, rel);
    });
    add(kind, [String(r.schema), String(r.name), String(r.args)], { definition: text(r.definition), comment: text(r.comment) }, { dependsOn }, name);
  }
  for (const r of rows.triggers) {
    if (ignored(r.schema, r.table)) continue;
    add(
      'trigger',
      [String(r.schema), String(r.table), String(r.name)],
      { definition: text(r.definition), enabled: TRIGGER_ENABLED[String(r.enabled)] ?? String(r.enabled), comment: text(r.comment) },
      { parent: relationKey(String(r.schema), String(r.table)) },
    );
  }
  for (const r of rows.policies) {
    if (ignored(r.schema, r.table)) continue;
    add(
      'policy',
      [String(r.schema), String(r.table), String(r.name)],
      {
        command: text(r.command),
        permissive: text(r.permissive),
        roles: text(r.roles),
        using: text(r.using),
        with_check: text(r.with_check),
        comment: text(r.comment),
      },
      { parent: relationKey(String(r.schema), String(r.table)) },
    );
  }
  const viewDeps = new Map<string, string[]>();
  for (const r of rows.viewDependencies) {
    const viewKey = relationKey(String(r.schema), String(r.name));
    const ref =
      r.ref_kind === 'F'
        ? objectKey('function', `${displayName([String(r.ref_schema), String(r.ref_name)])}(${String(r.ref_args)})`)
        : relationKey(String(r.ref_schema), String(r.ref_name), String(r.ref_kind));
    viewDeps.set(viewKey, [...(viewDeps.get(viewKey) ?? []), ref]);
  }
  for (const [key, deps] of viewDeps) {
    const view = objects.get(key);
    if (view) objects.set(key, { ...view, meta: { ...view.meta, dependsOn: deps } });
  }
  for (const r of rows.privileges) {
    if (r.name !== null && (ignored(r.schema, r.name) || ignoredSequences.has(`${String(r.schema)}.${String(r.name)}`))) continue;
    const keyword = String(r.keyword);
    const targetParts = r.name === null ? [String(r.schema)] : [String(r.schema), String(r.name)];
    const args = r.args === null ? '' : `(${String(r.args)})`;
    const column = r.column_name === null ? undefined : String(r.column_name);
    const targetDisplay = `${displayName(targetParts)}${args}${column ? `.${displayName([column])}` : ''}`;
    const grantee = String(r.grantee);
    const privilege = String(r.privilege);
    const target = { keyword: keyword === 'COLUMN' ? 'TABLE' : keyword, sql: `${sqlName(targetParts)}${args}`, ...(column ? { columns: column } : {}) };
    const parent =
      keyword === 'SCHEMA'
        ? objectKey('schema', displayName(targetParts))
        : keyword === 'FUNCTION' || keyword === 'PROCEDURE'
          ? objectKey(keyword === 'FUNCTION' ? 'function' : 'procedure', targetDisplay)
          : keyword === 'SEQUENCE'
            ? objectKey('sequence', displayName(targetParts))
            : relationKey(String(r.schema), String(r.name));
    add(
      'privilege',
      [String(r.schema), ...targetParts.slice(1), grantee, privilege],
      { grantable: flag(r.grantable) },
      { target, grant: { grantee, privilege }, parent },
      `${privilege} on ${keyword.toLowerCase()} ${targetDisplay} to ${grantee}`,
    );
  }
  return { serverVersion, objects };
}

const CONSTRAINT_TYPES: Record<string, string> = { p: 'primary key', u: 'unique', c: 'check', f: 'foreign key', x: 'exclusion' };
const TRIGGER_ENABLED: Record<string, string> = { O: 'enabled', D: 'disabled', R: 'replica', A: 'always' };
