import type { DiffOptions } from './diff.js';
import { attr, changedAttributes, columnsOf, createdWithParent, droppedWithParent, functionHeader, ofKind, planMigration, RELATIONS, topoSort } from './migration-plan.js';
import type { MigrationPlan } from './migration-plan.js';
import type { SchemaModel, SchemaObject } from './model.js';
import { displayIdent, quoteIdent, quoteLiteral, sqlName } from './names.js';
import { commentTarget, createDomain, functionSignature, grantStatement, sequenceOptions, statement } from './object-sql.js';
import { alterColumn, alterTable, columnDefinition, createTable, last, tableOf } from './table-sql.js';

/** One generated statement; `destructive` says what it destroys, when it does. */
export interface MigrationStatement {
  readonly sql: string;
  readonly destructive?: string;
}

/**
 * The statements that turn the `from` database into the `to` database: creations ordered by
 * dependency (schemas, extensions, types, sequences, tables, functions, constraints, views,
 * triggers, policies, grants), with drops of removed objects last. Objects that must be
 * rebuilt (a view over an altered column, an enum losing a value) are dropped first and
 * recreated. Statements that destroy data or objects carry a reason in `destructive`.
 */
export function generateMigration(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): MigrationStatement[] {
  const plan = planMigration(from, to, options);
  const enums = planEnums(plan);
  const functions = planFunctions(plan);
  const dependents = dropDependents(plan);
  const indexes = indexStatements(plan);
  return [
    ...functionBodiesUnchecked(plan),
    ...namespaceStatements(plan),
    ...collationStatements(plan),
    ...enums.inPlace,
    ...domainStatements(plan),
    ...compositeTypeStatements(plan),
    ...sequenceStatements(plan),
    ...dependents.statements,
    ...functions.replacements,
    ...functions.early,
    ...enums.rebuild,
    ...tableStatements(plan),
    ...columnStatements(plan, enums.rebuilt),
    ...enumColumnMoves(plan, enums.rebuilt),
    ...enums.cleanup,
    ...functions.late,
    ...indexes.now,
    ...constraintAdds(plan),
    ...viewCreates(plan),
    ...indexes.afterViews,
    ...finishingStatements(plan),
    ...droppedTables(plan, dependents.relationsDroppedEarly),
    ...droppedObjects(plan),
  ].filter((s) => s.sql !== '');
}

/** Renders statements as a script; destructive ones are preceded by a `-- DESTRUCTIVE:` comment. */
export function renderMigration(statements: readonly MigrationStatement[]): string {
  return statements.map((s) => `${s.destructive ? `-- DESTRUCTIVE: ${s.destructive}\n` : ''}${s.sql.trimEnd()};\n`).join('\n');
}

const createdOrChanged = (plan: MigrationPlan): string[] => plan.created.concat(plan.changed);

function functionBodiesUnchecked(plan: MigrationPlan): MigrationStatement[] {
  // Functions are created with their bodies unchecked: a body may name a table created later.
  return ofKind(createdOrChanged(plan), plan.to, 'function', 'procedure').length > 0 ? [statement('SET check_function_bodies = false')] : [];
}

/** Schemas and extensions: created, or (extensions) updated and moved. */
function namespaceStatements(plan: MigrationPlan): MigrationStatement[] {
  const statements = ofKind(plan.created, plan.to, 'schema').map((schema) => statement(`CREATE SCHEMA IF NOT EXISTS ${sqlName(schema.path)}`));
  for (const extension of ofKind(plan.created, plan.to, 'extension')) {
    const version = attr(extension, 'version');
    statements.push(statement(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(extension.path[1] ?? '')} WITH SCHEMA ${quoteIdent(extension.path[0] ?? '')}${version ? ` VERSION ${quoteLiteral(version)}` : ''}`));
  }
  for (const extension of ofKind(plan.changed, plan.to, 'extension')) {
    const previous = plan.from.get(`extension:${extension.name}`);
    if (previous && attr(previous, 'version') !== attr(extension, 'version')) statements.push(statement(`ALTER EXTENSION ${quoteIdent(extension.path[1] ?? '')} UPDATE TO ${quoteLiteral(attr(extension, 'version') ?? '')}`));
    if (previous && attr(previous, 'schema') !== attr(extension, 'schema')) statements.push(statement(`ALTER EXTENSION ${quoteIdent(extension.path[1] ?? '')} SET SCHEMA ${quoteIdent(extension.path[0] ?? '')}`));
  }
  return statements;
}

/** Collations are created, or dropped and created again: they cannot be altered. */
function collationStatements(plan: MigrationPlan): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  for (const collation of ofKind(createdOrChanged(plan), plan.to, 'collation')) {
    if (plan.changedSet.has(`collation:${collation.name}`)) statements.push(statement(`DROP COLLATION ${sqlName(collation.path)}`, `recreates collation ${collation.name}`));
    const provider = attr(collation, 'provider') === 'i' ? 'icu' : 'libc';
    statements.push(statement(`CREATE COLLATION ${sqlName(collation.path)} (provider = ${provider}, lc_collate = ${quoteLiteral(attr(collation, 'lc_collate') ?? '')}, lc_ctype = ${quoteLiteral(attr(collation, 'lc_ctype') ?? '')}, deterministic = ${attr(collation, 'deterministic') === 'yes' ? 'true' : 'false'})`));
  }
  return statements;
}

/** How enums change: in place (created, values added) or by rename and rebuild (values removed or reordered). */
interface EnumPlan {
  readonly inPlace: MigrationStatement[];
  /** The old type renamed aside and the new one created, before the tables. */
  readonly rebuild: MigrationStatement[];
  /** The old type dropped, once its columns moved to the new one. */
  readonly cleanup: MigrationStatement[];
  /** Keys of the rebuilt enums. */
  readonly rebuilt: Set<string>;
}

function planEnums(plan: MigrationPlan): EnumPlan {
  const enums: EnumPlan = { inPlace: [], rebuild: [], cleanup: [], rebuilt: new Set() };
  for (const type of ofKind(plan.created, plan.to, 'enum')) enums.inPlace.push(statement(`CREATE TYPE ${sqlName(type.path)} AS ENUM (${(type.meta.labels ?? []).map(quoteLiteral).join(', ')})`));
  for (const type of ofKind(plan.changed, plan.to, 'enum')) {
    const before = plan.from.get(`enum:${type.name}`)?.meta.labels ?? [];
    const after = type.meta.labels ?? [];
    const kept = after.filter((label) => before.includes(label));
    if (kept.length === before.length && kept.every((label, index) => label === before[index])) enums.inPlace.push(...addedEnumValues(type, before, after));
    else rebuildEnum(enums, type, before, after);
  }
  return enums;
}

function addedEnumValues(type: SchemaObject, before: readonly string[], after: readonly string[]): MigrationStatement[] {
  return after.flatMap((label, index) => {
    if (before.includes(label)) return [];
    const neighbour = index > 0 ? `AFTER ${quoteLiteral(after[index - 1] ?? '')}` : `BEFORE ${quoteLiteral(after[1] ?? '')}`;
    return [statement(`ALTER TYPE ${sqlName(type.path)} ADD VALUE ${quoteLiteral(label)} ${after.length > 1 ? neighbour : ''}`.trim())];
  });
}

function rebuildEnum(enums: EnumPlan, type: SchemaObject, before: readonly string[], after: readonly string[]): void {
  const old = `${type.path[1] ?? ''}__old_version_to_be_dropped`;
  enums.rebuilt.add(`enum:${type.name}`);
  enums.rebuild.push(statement(`ALTER TYPE ${sqlName(type.path)} RENAME TO ${quoteIdent(old)}`));
  enums.rebuild.push(statement(`CREATE TYPE ${sqlName(type.path)} AS ENUM (${after.map(quoteLiteral).join(', ')})`));
  enums.cleanup.push(statement(`DROP TYPE ${sqlName([type.path[0] ?? '', old])}`, `enum ${type.name} loses or reorders values: ${before.filter((label) => !after.includes(label)).join(', ') || 'order'}`));
}

function domainStatements(plan: MigrationPlan): MigrationStatement[] {
  const statements = ofKind(plan.created, plan.to, 'domain').map((domain) => statement(createDomain(domain)));
  for (const domain of ofKind(plan.changed, plan.to, 'domain')) {
    const previous = plan.from.get(`domain:${domain.name}`);
    if (previous) statements.push(...alterDomain(previous, domain));
  }
  return statements;
}

/** A domain whose type or collation changes is recreated; its default, NOT NULL and constraints are altered. */
function alterDomain(previous: SchemaObject, domain: SchemaObject): MigrationStatement[] {
  const name = sqlName(domain.path);
  const diff = changedAttributes(previous, domain);
  if (diff.has('type') || diff.has('collation')) return [statement(`DROP DOMAIN ${name}`, `recreates domain ${domain.name}`), statement(createDomain(domain))];
  const statements: MigrationStatement[] = [];
  if (diff.has('default')) statements.push(statement(attr(domain, 'default') ? `ALTER DOMAIN ${name} SET DEFAULT ${attr(domain, 'default') ?? ''}` : `ALTER DOMAIN ${name} DROP DEFAULT`));
  if (diff.has('not_null')) statements.push(statement(`ALTER DOMAIN ${name} ${attr(domain, 'not_null') === 'yes' ? 'SET' : 'DROP'} NOT NULL`));
  if (diff.has('constraints')) {
    for (const constraint of previous.meta.domainConstraints ?? []) statements.push(statement(`ALTER DOMAIN ${name} DROP CONSTRAINT ${quoteIdent(constraint.name)}`));
    for (const constraint of domain.meta.domainConstraints ?? []) statements.push(statement(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${constraint.definition}`));
  }
  return statements;
}

function compositeTypeStatements(plan: MigrationPlan): MigrationStatement[] {
  return ofKind(plan.created, plan.to, 'composite type').map((type) => {
    const attributes = columnsOf(plan.to, `composite type:${type.name}`).map((column) => `${quoteIdent(column.path[2] ?? '')} ${attr(column, 'type') ?? ''}`);
    return statement(`CREATE TYPE ${sqlName(type.path)} AS (${attributes.join(', ')})`);
  });
}

/** Sequences created or altered; their ownership comes with the finishing statements, once the tables exist. */
function sequenceStatements(plan: MigrationPlan): MigrationStatement[] {
  const statements = ofKind(plan.created, plan.to, 'sequence').map((sequence) => statement(`CREATE SEQUENCE ${sqlName(sequence.path)} ${sequenceOptions(sequence)}`));
  for (const sequence of ofKind(plan.changed, plan.to, 'sequence')) {
    const previous = plan.from.get(`sequence:${sequence.name}`);
    if (previous && [...changedAttributes(previous, sequence)].some((key) => key !== 'owned_by')) statements.push(statement(`ALTER SEQUENCE ${sqlName(sequence.path)} ${sequenceOptions(sequence)}`));
  }
  return statements;
}

/** Functions and procedures: those whose signature changed dropped first, the rest defined early or late. */
interface FunctionPlan {
  readonly replacements: MigrationStatement[];
  /** Definitions that need no table created by this migration. */
  readonly early: MigrationStatement[];
  /** Definitions that use a table type created by this migration. */
  readonly late: MigrationStatement[];
}

function planFunctions(plan: MigrationPlan): FunctionPlan {
  const keys = createdOrChanged(plan).filter((key) => {
    const routine = plan.to.get(key);
    return routine !== undefined && (routine.kind === 'function' || routine.kind === 'procedure');
  });
  const replacements: MigrationStatement[] = [];
  for (const key of keys.filter((changedKey) => plan.changedSet.has(changedKey))) {
    const previous = plan.from.get(key);
    const current = plan.to.get(key);
    if (previous && current && functionHeader(previous) !== functionHeader(current)) replacements.push(statement(`DROP ${current.kind.toUpperCase()} ${functionSignature(previous)}`, `recreates ${current.kind} ${current.name} (its signature changed)`));
  }
  // Functions that need no table type can exist before the tables (defaults and checks may call them).
  const early = keys.filter((key) => (plan.to.get(key)?.meta.dependsOn ?? []).every((dep) => !plan.createdSet.has(dep)));
  const late = keys.filter((key) => !early.includes(key));
  return { replacements, early: functionDefinitions(plan, early), late: functionDefinitions(plan, late) };
}

function functionDefinitions(plan: MigrationPlan, keys: readonly string[]): MigrationStatement[] {
  return keys
    .map((key) => plan.to.get(key))
    .filter((routine): routine is SchemaObject => routine !== undefined)
    .map((routine) => statement(`${(attr(routine, 'definition') ?? '').trimEnd()}`));
}

/** Drops of what depends on objects about to change; `relationsDroppedEarly` are not dropped again at the end. */
function dropDependents(plan: MigrationPlan): { statements: MigrationStatement[]; relationsDroppedEarly: ReadonlySet<string> } {
  const kindChanges = relationKindChanges(plan);
  return { statements: [...dependentObjectDrops(plan), ...rebuiltRelationDrops(plan), ...kindChanges.statements, ...indexDrops(plan)], relationsDroppedEarly: kindChanges.keys };
}

/** Triggers, policies, grants and constraints that are removed or changed (those of a dropped parent go with it). */
function dependentObjectDrops(plan: MigrationPlan): MigrationStatement[] {
  const toDrop = (kind: string) => ofKind(plan.dropped.concat(plan.changed), plan.from, kind).filter((object) => !droppedWithParent(plan, object));
  const statements = [
    ...toDrop('trigger').map((trigger) => statement(`DROP TRIGGER ${last(trigger)} ON ${tableOf(trigger)}`)),
    ...toDrop('policy').map((policy) => statement(`DROP POLICY ${last(policy)} ON ${tableOf(policy)}`)),
    ...toDrop('privilege').map((grant) => statement(grantStatement(grant, true))),
  ];
  // Foreign keys first: the key they reference may be dropped too.
  const constraints = toDrop('constraint').sort((x, y) => Number(y.meta.constraintType === 'f') - Number(x.meta.constraintType === 'f'));
  return [...statements, ...constraints.map((constraint) => statement(`ALTER TABLE ${tableOf(constraint)} DROP CONSTRAINT ${last(constraint)}`))];
}

/** Views (dependents first) and tables that are rebuilt. */
function rebuiltRelationDrops(plan: MigrationPlan): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  for (const key of plan.rebuild.viewDropOrder) {
    const view = plan.source.get(key);
    if (!view) continue;
    const why = plan.to.has(key) ? undefined : view.kind === 'materialized view' ? `drops materialized view ${view.name} and its data` : `drops view ${view.name}`;
    statements.push(statement(`DROP ${view.kind.toUpperCase()} ${sqlName(view.path)}`, why));
  }
  for (const key of plan.rebuild.tables) {
    const table = plan.source.get(key);
    if (table) statements.push(statement(`DROP TABLE ${sqlName(table.path)}`, `rebuilds table ${table.name} (partitioning changed): its data is lost`));
  }
  return statements;
}

/** A relation that changes kind (table to view) must be gone before its successor is created. */
function relationKindChanges(plan: MigrationPlan): { statements: MigrationStatement[]; keys: Set<string> } {
  const createdRelations = plan.created.map((key) => plan.to.get(key)).filter((object) => object !== undefined && RELATIONS.has(object.kind));
  const createdNames = new Set(createdRelations.map((relation) => sqlName(relation?.path ?? [])));
  const statements: MigrationStatement[] = [];
  const keys = new Set<string>();
  for (const table of ofKind(plan.dropped, plan.from, 'table')) {
    if (!createdNames.has(sqlName(table.path))) continue;
    keys.add(`${table.kind}:${table.name}`);
    statements.push(statement(`DROP TABLE ${sqlName(table.path)}`, `drops table ${table.name} and its data`));
  }
  return { statements, keys };
}

const onlyAttachmentChanged = (previous: SchemaObject, current: SchemaObject): boolean => {
  const diff = changedAttributes(previous, current);
  return diff.size === 1 && diff.has('attached_to');
};

/** Indexes removed or changed, except those that go with their table or parent index, or only change attachment. */
function indexDrops(plan: MigrationPlan): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  for (const index of ofKind(plan.dropped.concat(plan.changed), plan.from, 'index')) {
    if (droppedWithParent(plan, index)) continue;
    if (index.meta.parentIndex && (plan.droppedSet.has(index.meta.parentIndex) || plan.changedSet.has(index.meta.parentIndex))) continue;
    const current = plan.to.get(`index:${index.name}`);
    if (current && onlyAttachmentChanged(index, current)) continue;
    statements.push(statement(`DROP INDEX ${sqlName(index.path)}`));
  }
  return statements;
}

/** Tables created (parents first), then the kept ones altered. */
function tableStatements(plan: MigrationPlan): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  const createdTables = topoSort(ofKind(plan.created, plan.to, 'table').map((table) => `table:${table.name}`), (key) => plan.to.get(key)?.meta.parents ?? []);
  for (const key of createdTables) {
    const table = plan.to.get(key);
    if (table) statements.push(...createTable(table, plan.to, columnsOf(plan.to, key)));
  }
  for (const table of ofKind(plan.changed, plan.to, 'table')) {
    const previous = plan.from.get(`table:${table.name}`);
    if (previous) statements.push(...alterTable(previous, table));
  }
  return statements;
}

function columnStatements(plan: MigrationPlan, rebuiltEnums: ReadonlySet<string>): MigrationStatement[] {
  return [...droppedColumns(plan), ...addedColumns(plan), ...keptColumnChanges(plan, rebuiltEnums)];
}

/** Columns removed from kept tables (inherited ones go with their parent's). */
function droppedColumns(plan: MigrationPlan): MigrationStatement[] {
  return ofKind(plan.dropped, plan.from, 'column')
    .filter((column) => !(droppedWithParent(plan, column) || column.meta.parent?.startsWith('composite type:') || column.meta.inherited))
    .map((column) => statement(`ALTER TABLE ${tableOf(column)} DROP COLUMN ${last(column)}`, `drops column ${column.name} and its data`));
}

/** Columns and composite type attributes added to kept ones. */
function addedColumns(plan: MigrationPlan): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  for (const column of ofKind(plan.created, plan.to, 'column')) {
    if (createdWithParent(plan, column) || column.meta.inherited) continue;
    if (column.meta.parent?.startsWith('composite type:')) statements.push(statement(`ALTER TYPE ${tableOf(column)} ADD ATTRIBUTE ${quoteIdent(column.path[2] ?? '')} ${attr(column, 'type') ?? ''}`));
    else statements.push(statement(`ALTER TABLE ${tableOf(column)} ADD COLUMN ${columnDefinition(column)}`));
  }
  return statements;
}

/** Kept columns that change, or stop being inherited. */
function keptColumnChanges(plan: MigrationPlan, rebuiltEnums: ReadonlySet<string>): MigrationStatement[] {
  const { from } = plan;
  const statements: MigrationStatement[] = [];
  const kept = [...plan.to.values()].filter((column) => column.kind === 'column' && from.has(`column:${column.name}`) && (plan.changedSet.has(`column:${column.name}`) || from.get(`column:${column.name}`)?.meta.inherited !== column.meta.inherited));
  for (const column of kept) {
    const previous = from.get(`column:${column.name}`);
    if (!previous || column.meta.inherited) continue;
    // A column inherited before and local now disappears with the parent's column: add it back.
    const parentDrops = previous.meta.inherited && (from.get(previous.meta.parent ?? '')?.meta.parents ?? []).some((parent) => plan.droppedSet.has(`column:${parent.slice(parent.indexOf(':') + 1)}.${displayIdent(column.path[2] ?? '')}`));
    if (parentDrops) statements.push(statement(`ALTER TABLE ${tableOf(column)} ADD COLUMN ${columnDefinition(column)}`));
    else statements.push(...alterColumn(previous, column, rebuiltEnums));
  }
  return statements;
}

/** Columns of a rebuilt enum move to the new type. */
function enumColumnMoves(plan: MigrationPlan, rebuiltEnums: ReadonlySet<string>): MigrationStatement[] {
  const statements: MigrationStatement[] = [];
  for (const column of plan.to.values()) {
    if (column.kind !== 'column' || !column.meta.usesType || !rebuiltEnums.has(column.meta.usesType) || column.meta.inherited) continue;
    const previous = plan.from.get(`column:${column.name}`);
    if (!previous || attr(previous, 'type') !== attr(column, 'type')) continue;
    const alter = `ALTER TABLE ${tableOf(column)} ALTER COLUMN ${last(column)}`;
    if (attr(previous, 'default')) statements.push(statement(`${alter} DROP DEFAULT`));
    statements.push(statement(`${alter} TYPE ${attr(column, 'type') ?? ''} USING ${last(column)}::text::${attr(column, 'type') ?? ''}`));
    if (attr(column, 'default')) statements.push(statement(`${alter} SET DEFAULT ${attr(column, 'default') ?? ''}`));
  }
  return statements;
}

/** Indexes created or attached: `afterViews` are those on materialized views, which must exist first. */
function indexStatements(plan: MigrationPlan): { now: MigrationStatement[]; afterViews: MigrationStatement[] } {
  const now: MigrationStatement[] = [];
  const afterViews: MigrationStatement[] = [];
  const keys = createdOrChanged(plan).filter((key) => plan.to.get(key)?.kind === 'index');
  for (const key of keys) {
    const index = plan.to.get(key);
    if (!index) continue;
    const previous = plan.from.get(key);
    if (previous && onlyAttachmentChanged(previous, index)) {
      if (attr(index, 'attached_to')) now.push(statement(`ALTER INDEX ${sqlName((attr(index, 'attached_to') ?? '').split('.'))} ATTACH PARTITION ${sqlName(index.path)}`));
      continue;
    }
    // Creating a partitioned index creates (and attaches) the partitions' indexes too.
    if (index.meta.parentIndex && (plan.createdSet.has(index.meta.parentIndex) || plan.changedSet.has(index.meta.parentIndex))) continue;
    (index.meta.onMaterializedView ? afterViews : now).push(statement(attr(index, 'definition') ?? ''));
    const parent = index.meta.parentIndex && !plan.createdSet.has(index.meta.parentIndex) ? plan.to.get(index.meta.parentIndex) : undefined;
    if (parent) now.push(statement(`ALTER INDEX ${sqlName(parent.path)} ATTACH PARTITION ${sqlName(index.path)}`));
  }
  return { now, afterViews };
}

/** Constraints added, keys before the checks and foreign keys that may rely on them. */
function constraintAdds(plan: MigrationPlan): MigrationStatement[] {
  const rank = (constraint: SchemaObject) => ({ p: 0, u: 1, x: 2, c: 3, f: 4 })[constraint.meta.constraintType ?? 'c'] ?? 3;
  return ofKind(createdOrChanged(plan), plan.to, 'constraint')
    .sort((x, y) => rank(x) - rank(y))
    .map((constraint) => {
      const deferrable = attr(constraint, 'deferrable');
      const suffix = `${deferrable === 'not deferrable' || !deferrable ? '' : ` ${deferrable.toUpperCase()}`}${attr(constraint, 'validated') === 'no' ? ' NOT VALID' : ''}`;
      return statement(`ALTER TABLE ${tableOf(constraint)} ADD CONSTRAINT ${last(constraint)} ${attr(constraint, 'definition') ?? ''}${suffix}`);
    });
}

/** Views created, in dependency order. */
function viewCreates(plan: MigrationPlan): MigrationStatement[] {
  const keys = plan.created.filter((key) => plan.to.get(key)?.kind === 'view' || plan.to.get(key)?.kind === 'materialized view');
  return topoSort(keys, (key) => plan.to.get(key)?.meta.dependsOn ?? []).flatMap((key) => {
    const view = plan.to.get(key);
    if (!view) return [];
    const options = attr(view, 'options');
    const definition = (attr(view, 'definition') ?? '').trim().replace(/;$/, '');
    return [statement(`CREATE ${view.kind.toUpperCase()} ${sqlName(view.path)}${options ? ` WITH (${options})` : ''} AS ${definition}`)];
  });
}

/** What needs everything else in place: sequence ownership, replica identity, triggers, policies, grants, comments. */
function finishingStatements(plan: MigrationPlan): MigrationStatement[] {
  const current = (kind: string) => ofKind(createdOrChanged(plan), plan.to, kind);
  const statements: MigrationStatement[] = [];
  for (const sequence of current('sequence')) {
    const previous = plan.from.get(`sequence:${sequence.name}`);
    if (attr(sequence, 'owned_by') !== (previous ? attr(previous, 'owned_by') : null)) statements.push(statement(`ALTER SEQUENCE ${sqlName(sequence.path)} OWNED BY ${attr(sequence, 'owned_by') ?? 'NONE'}`));
  }
  for (const table of current('table')) {
    const previous = plan.from.get(`table:${table.name}`);
    const identity = attr(table, 'replica_identity');
    if (identity && identity !== (previous ? attr(previous, 'replica_identity') : 'default')) statements.push(statement(`ALTER TABLE ${sqlName(table.path)} REPLICA IDENTITY ${identity.toUpperCase()}`));
  }
  for (const trigger of current('trigger')) {
    statements.push(statement(`${attr(trigger, 'definition') ?? ''}`));
    const enabled = attr(trigger, 'enabled');
    if (enabled && enabled !== 'enabled') statements.push(statement(`ALTER TABLE ${tableOf(trigger)} ${enabled === 'disabled' ? 'DISABLE' : `ENABLE ${enabled.toUpperCase()}`} TRIGGER ${last(trigger)}`));
  }
  for (const policy of current('policy')) {
    const using = attr(policy, 'using');
    const check = attr(policy, 'with_check');
    statements.push(statement(`CREATE POLICY ${last(policy)} ON ${tableOf(policy)} AS ${attr(policy, 'permissive') ?? 'PERMISSIVE'} FOR ${attr(policy, 'command') ?? 'ALL'} TO ${attr(policy, 'roles') ?? 'PUBLIC'}${using ? ` USING (${using})` : ''}${check ? ` WITH CHECK (${check})` : ''}`));
  }
  for (const grant of current('privilege')) statements.push(statement(grantStatement(grant, false)));
  return [...statements, ...commentStatements(plan)];
}

/** COMMENT ON for every object whose comment is new, changed or removed. */
function commentStatements(plan: MigrationPlan): MigrationStatement[] {
  if (plan.settings.comments === 'ignore') return [];
  const statements: MigrationStatement[] = [];
  for (const object of plan.to.values()) {
    const previous = plan.from.get(`${object.kind}:${object.name}`);
    const comment = attr(object, 'comment');
    const before = previous ? attr(previous, 'comment') : null;
    const target = commentTarget(object);
    if (comment !== before && target && (comment !== null || previous)) statements.push(statement(`COMMENT ON ${target} IS ${comment === null ? 'NULL' : quoteLiteral(comment)}`));
  }
  return statements;
}

/** Tables removed (children first), except those a relation of another kind replaced earlier. */
function droppedTables(plan: MigrationPlan, relationsDroppedEarly: ReadonlySet<string>): MigrationStatement[] {
  const keys = ofKind(plan.dropped, plan.from, 'table').map((table) => `table:${table.name}`).filter((key) => !relationsDroppedEarly.has(key));
  return topoSort(keys, (key) => plan.from.get(key)?.meta.parents ?? [])
    .reverse()
    .flatMap((key) => {
      const table = plan.from.get(key);
      return table ? [statement(`DROP ${attr(table, 'foreign') === 'yes' ? 'FOREIGN TABLE' : 'TABLE'} ${sqlName(table.path)}`, `drops table ${table.name} and its data`)] : [];
    });
}

/** The other removed objects, last: sequences, functions, types, extensions, schemas. */
function droppedObjects(plan: MigrationPlan): MigrationStatement[] {
  const removed = (...kinds: string[]) => ofKind(plan.dropped, plan.from, ...kinds);
  return [
    ...removed('sequence').map((sequence) => statement(`DROP SEQUENCE IF EXISTS ${sqlName(sequence.path)}`, `drops sequence ${sequence.name}`)),
    ...removed('function', 'procedure').map((routine) => statement(`DROP ${routine.kind.toUpperCase()} ${functionSignature(routine)}`, `drops ${routine.kind} ${routine.name}`)),
    ...removed('composite type', 'enum').map((type) => statement(`DROP TYPE ${sqlName(type.path)}`, `drops type ${type.name}`)),
    ...removed('domain').map((domain) => statement(`DROP DOMAIN ${sqlName(domain.path)}`, `drops domain ${domain.name}`)),
    ...removed('collation').map((collation) => statement(`DROP COLLATION ${sqlName(collation.path)}`, `drops collation ${collation.name}`)),
    ...removed('extension').map((extension) => statement(`DROP EXTENSION ${quoteIdent(extension.path[1] ?? '')}`, `drops extension ${extension.name}`)),
    ...removed('schema').map((schema) => statement(`DROP SCHEMA ${sqlName(schema.path)}`, `drops schema ${schema.name}`)),
  ];
}
