import { inScope, resolveDiffOptions } from './diff.js';
import type { DiffOptions } from './diff.js';
import type { SchemaModel, SchemaObject } from './model.js';
import { displayIdent, quoteIdent, quoteLiteral, sqlName } from './names.js';

/** One generated statement; `destructive` says what it destroys, when it does. */
export interface MigrationStatement {
  readonly sql: string;
  readonly destructive?: string;
}

type Objects = ReadonlyMap<string, SchemaObject>;

const attr = (object: SchemaObject, name: string): string | null => object.attributes[name] ?? null;

// Attributes whose change needs no statement (reported only) or is handled elsewhere.
const PASSIVE = new Set(['comment', 'position', 'inherited', 'table']);

function changedAttributes(a: SchemaObject, b: SchemaObject): Set<string> {
  const out = new Set<string>();
  for (const key of new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])) {
    if (!PASSIVE.has(key) && (a.attributes[key] ?? null) !== (b.attributes[key] ?? null)) out.add(key);
  }
  return out;
}

/** The table part ([schema, table]) of a column, constraint, trigger or policy as SQL. */
const tableOf = (object: SchemaObject) => sqlName(object.path.slice(0, 2));
const last = (object: SchemaObject) => quoteIdent(object.path[object.path.length - 1] ?? '');

function functionSignature(object: SchemaObject): string {
  return `${sqlName(object.path.slice(0, 2))}(${object.path[2] ?? ''})`;
}

/** Topological order of `keys` by `deps` (dependencies first); cycles keep their input order. */
function topoSort(keys: readonly string[], deps: (key: string) => readonly string[]): string[] {
  const wanted = new Set(keys);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: string[] = [];
  const visit = (key: string) => {
    if (done.has(key) || visiting.has(key)) return;
    visiting.add(key);
    for (const dep of deps(key)) if (wanted.has(dep)) visit(dep);
    visiting.delete(key);
    done.add(key);
    out.push(key);
  };
  for (const key of [...keys].sort()) visit(key);
  return out;
}

function columnDefinition(column: SchemaObject): string {
  const parts = [quoteIdent(column.path[2] ?? ''), attr(column, 'type') ?? 'text'];
  const collation = attr(column, 'collation');
  if (collation) parts.push(`COLLATE ${collation}`);
  const generated = attr(column, 'generated');
  if (generated) parts.push(`GENERATED ALWAYS AS (${generated}) STORED`);
  const defaultValue = attr(column, 'default');
  if (defaultValue) parts.push(`DEFAULT ${defaultValue}`);
  if (attr(column, 'not_null') === 'yes') parts.push('NOT NULL');
  const identity = attr(column, 'identity');
  if (identity) parts.push(`GENERATED ${identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${identityOptions(column)})`);
  return parts.join(' ');
}

function identityOptions(column: SchemaObject): string {
  const o = parseSequenceOptions(attr(column, 'identity_options') ?? '');
  return `START WITH ${o.start} INCREMENT BY ${o.increment} MINVALUE ${o.minvalue} MAXVALUE ${o.maxvalue} CACHE ${o.cache}${o.cycle ? ' CYCLE' : ' NO CYCLE'}`;
}

function parseSequenceOptions(text: string): { start: string; increment: string; minvalue: string; maxvalue: string; cache: string; cycle: boolean } {
  const get = (word: string) => new RegExp(`${word} (-?\\d+)`).exec(text)?.[1] ?? '1';
  return { start: get('start'), increment: get('increment'), minvalue: get('minvalue'), maxvalue: get('maxvalue'), cache: get('cache'), cycle: / cycle$/.test(text) && !/no cycle$/.test(text) };
}

function commentTarget(object: SchemaObject): string | undefined {
  switch (object.kind) {
    case 'schema':
      return `SCHEMA ${sqlName(object.path)}`;
    case 'extension':
      return `EXTENSION ${quoteIdent(object.path[1] ?? '')}`;
    case 'collation':
      return `COLLATION ${sqlName(object.path)}`;
    case 'enum':
    case 'composite type':
      return `TYPE ${sqlName(object.path)}`;
    case 'domain':
      return `DOMAIN ${sqlName(object.path)}`;
    case 'sequence':
    case 'table':
    case 'view':
    case 'materialized view':
    case 'index':
      return `${object.kind === 'table' && attr(object, 'foreign') === 'yes' ? 'FOREIGN TABLE' : object.kind.toUpperCase()} ${sqlName(object.path)}`;
    case 'column':
      return `COLUMN ${sqlName(object.path)}`;
    case 'constraint':
    case 'trigger':
    case 'policy':
      return `${object.kind.toUpperCase()} ${last(object)} ON ${tableOf(object)}`;
    case 'function':
    case 'procedure':
      return `${object.kind.toUpperCase()} ${functionSignature(object)}`;
    default:
      return undefined;
  }
}

function grantStatement(object: SchemaObject, revoke: boolean): string {
  const target = object.meta.target;
  const grant = object.meta.grant;
  if (!target || !grant) return '';
  const columns = target.columns ? ` (${quoteIdent(target.columns)})` : '';
  const grantee = grant.grantee === 'OWNER' ? 'CURRENT_USER' : grant.grantee;
  if (revoke) return `REVOKE ${grant.privilege}${columns} ON ${target.keyword} ${target.sql} FROM ${grantee}`;
  return `GRANT ${grant.privilege}${columns} ON ${target.keyword} ${target.sql} TO ${grantee}${attr(object, 'grantable') === 'yes' ? ' WITH GRANT OPTION' : ''}`;
}

/** The header of a function definition (everything up to its body): CREATE OR REPLACE can change the body only. */
function functionHeader(object: SchemaObject): string {
  const definition = attr(object, 'definition') ?? '';
  return definition.split(/\n AS |\nAS |\nBEGIN ATOMIC/)[0]?.replace(/\n (LANGUAGE|IMMUTABLE|STABLE|VOLATILE|STRICT|SECURITY|LEAKPROOF|PARALLEL|COST|ROWS|SET|WINDOW|CALLED|RETURNS NULL|SUPPORT)[^\n]*/g, '') ?? '';
}

/**
 * The statements that turn the `from` database into the `to` database: creations ordered by
 * dependency (schemas, extensions, types, sequences, tables, functions, constraints, views,
 * triggers, policies, grants), with drops of removed objects last. Objects that must be
 * rebuilt (a view over an altered column, an enum losing a value) are dropped first and
 * recreated. Statements that destroy data or objects carry a reason in `destructive`.
 */
export function generateMigration(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): MigrationStatement[] {
  const settings = resolveDiffOptions(options);
  const scoped = (model: SchemaModel): Objects => new Map([...model.objects].filter(([, object]) => inScope(object, settings)));
  const A0 = scoped(from);
  const B = scoped(to);
  // Some objects cannot be altered into their new shape: drop them first, then plan as if they were new.
  const rebuild = planRebuilds(A0, B);
  const A: Objects = new Map([...A0].filter(([key, object]) => !rebuild.removed.has(key) && !(object.meta.parent !== undefined && rebuild.removed.has(object.meta.parent))));
  const created = [...B.keys()].filter((key) => !A.has(key));
  const dropped = [...A.keys()].filter((key) => !B.has(key));
  const changed = [...B.keys()].filter((key) => {
    const a = A.get(key);
    const b = B.get(key);
    return a !== undefined && b !== undefined && changedAttributes(a, b).size > 0;
  });
  const createdSet = new Set(created);
  const droppedSet = new Set(dropped);
  const changedSet = new Set(changed);
  const ofKind = (keys: readonly string[], models: Objects, ...kinds: string[]) =>
    keys.map((key) => models.get(key)).filter((o): o is SchemaObject => o !== undefined && kinds.includes(o.kind));
  const droppedWithParent = (object: SchemaObject) => object.meta.parent !== undefined && droppedSet.has(object.meta.parent);
  const createdWithParent = (object: SchemaObject) => object.meta.parent !== undefined && createdSet.has(object.meta.parent);

  const early: MigrationStatement[] = [];
  const out = (sql: string, destructive?: string): MigrationStatement => (destructive ? { sql, destructive } : { sql });
  const push = (list: MigrationStatement[], sql: string, destructive?: string) => list.push(out(sql, destructive));

  // Functions are created with their bodies unchecked: a body may name a table created later.
  if (ofKind(created.concat(changed), B, 'function', 'procedure').length > 0) push(early, 'SET check_function_bodies = false');

  // 1. schemas, extensions, collations
  for (const o of ofKind(created, B, 'schema')) push(early, `CREATE SCHEMA IF NOT EXISTS ${sqlName(o.path)}`);
  for (const o of ofKind(created, B, 'extension')) {
    const version = attr(o, 'version');
    push(early, `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(o.path[1] ?? '')} WITH SCHEMA ${quoteIdent(o.path[0] ?? '')}${version ? ` VERSION ${quoteLiteral(version)}` : ''}`);
  }
  for (const o of ofKind(changed, B, 'extension')) {
    const a = A.get(`extension:${o.name}`);
    if (a && attr(a, 'version') !== attr(o, 'version')) push(early, `ALTER EXTENSION ${quoteIdent(o.path[1] ?? '')} UPDATE TO ${quoteLiteral(attr(o, 'version') ?? '')}`);
    if (a && attr(a, 'schema') !== attr(o, 'schema')) push(early, `ALTER EXTENSION ${quoteIdent(o.path[1] ?? '')} SET SCHEMA ${quoteIdent(o.path[0] ?? '')}`);
  }
  for (const o of ofKind(created.concat(changed), B, 'collation')) {
    if (changedSet.has(`collation:${o.name}`)) push(early, `DROP COLLATION ${sqlName(o.path)}`, `recreates collation ${o.name}`);
    const provider = attr(o, 'provider') === 'i' ? 'icu' : 'libc';
    push(early, `CREATE COLLATION ${sqlName(o.path)} (provider = ${provider}, lc_collate = ${quoteLiteral(attr(o, 'lc_collate') ?? '')}, lc_ctype = ${quoteLiteral(attr(o, 'lc_ctype') ?? '')}, deterministic = ${attr(o, 'deterministic') === 'yes' ? 'true' : 'false'})`);
  }

  // 2. types: enums (added values in place; removed or reordered values by rename and rebuild), domains, composite types
  const rebuiltEnums = new Set<string>();
  const enumRebuild: MigrationStatement[] = [];
  const enumColumns: MigrationStatement[] = [];
  const enumCleanup: MigrationStatement[] = [];
  for (const o of ofKind(created, B, 'enum')) push(early, `CREATE TYPE ${sqlName(o.path)} AS ENUM (${(o.meta.labels ?? []).map(quoteLiteral).join(', ')})`);
  for (const o of ofKind(changed, B, 'enum')) {
    const before = A.get(`enum:${o.name}`)?.meta.labels ?? [];
    const after = o.meta.labels ?? [];
    const kept = after.filter((label) => before.includes(label));
    if (kept.length === before.length && kept.every((label, i) => label === before[i])) {
      after.forEach((label, i) => {
        if (before.includes(label)) return;
        const neighbour = i > 0 ? `AFTER ${quoteLiteral(after[i - 1] ?? '')}` : `BEFORE ${quoteLiteral(after[1] ?? '')}`;
        push(early, `ALTER TYPE ${sqlName(o.path)} ADD VALUE ${quoteLiteral(label)} ${after.length > 1 ? neighbour : ''}`.trim());
      });
    } else {
      const old = `${o.path[1] ?? ''}__old_version_to_be_dropped`;
      rebuiltEnums.add(`enum:${o.name}`);
      push(enumRebuild, `ALTER TYPE ${sqlName(o.path)} RENAME TO ${quoteIdent(old)}`);
      push(enumRebuild, `CREATE TYPE ${sqlName(o.path)} AS ENUM (${after.map(quoteLiteral).join(', ')})`);
      push(enumCleanup, `DROP TYPE ${sqlName([o.path[0] ?? '', old])}`, `enum ${o.name} loses or reorders values: ${before.filter((l) => !after.includes(l)).join(', ') || 'order'}`);
    }
  }
  for (const o of ofKind(created, B, 'domain')) push(early, createDomain(o));
  for (const o of ofKind(changed, B, 'domain')) {
    const a = A.get(`domain:${o.name}`);
    if (!a) continue;
    const diff = changedAttributes(a, o);
    if (diff.has('type') || diff.has('collation')) {
      push(early, `DROP DOMAIN ${sqlName(o.path)}`, `recreates domain ${o.name}`);
      push(early, createDomain(o));
      continue;
    }
    if (diff.has('default')) push(early, attr(o, 'default') ? `ALTER DOMAIN ${sqlName(o.path)} SET DEFAULT ${attr(o, 'default') ?? ''}` : `ALTER DOMAIN ${sqlName(o.path)} DROP DEFAULT`);
    if (diff.has('not_null')) push(early, `ALTER DOMAIN ${sqlName(o.path)} ${attr(o, 'not_null') === 'yes' ? 'SET' : 'DROP'} NOT NULL`);
    if (diff.has('constraints')) {
      for (const c of a.meta.domainConstraints ?? []) push(early, `ALTER DOMAIN ${sqlName(o.path)} DROP CONSTRAINT ${quoteIdent(c.name)}`);
      for (const c of o.meta.domainConstraints ?? []) push(early, `ALTER DOMAIN ${sqlName(o.path)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
    }
  }
  const columnsOf = (models: Objects, parentKey: string) =>
    [...models.values()].filter((c) => c.kind === 'column' && c.meta.parent === parentKey).sort((x, y) => Number(attr(x, 'position')) - Number(attr(y, 'position')));
  for (const o of ofKind(created, B, 'composite type')) {
    push(early, `CREATE TYPE ${sqlName(o.path)} AS (${columnsOf(B, `composite type:${o.name}`).map((c) => `${quoteIdent(c.path[2] ?? '')} ${attr(c, 'type') ?? ''}`).join(', ')})`);
  }

  // 3. sequences (ownership comes after the tables exist)
  for (const o of ofKind(created, B, 'sequence')) push(early, `CREATE SEQUENCE ${sqlName(o.path)} ${sequenceOptions(o)}`);
  for (const o of ofKind(changed, B, 'sequence')) {
    const a = A.get(`sequence:${o.name}`);
    if (a && [...changedAttributes(a, o)].some((k) => k !== 'owned_by')) push(early, `ALTER SEQUENCE ${sqlName(o.path)} ${sequenceOptions(o)}`);
  }

  // Functions that need no table type can exist before the tables (defaults and checks may call them).
  const functionKeys = created.concat(changed).filter((key) => {
    const o = B.get(key);
    return o !== undefined && (o.kind === 'function' || o.kind === 'procedure');
  });
  const replacedFunctions = new Set<string>();
  const beforeDrops: MigrationStatement[] = [];
  for (const key of functionKeys.filter((k) => changedSet.has(k))) {
    const a = A.get(key);
    const b = B.get(key);
    if (a && b && functionHeader(a) !== functionHeader(b)) {
      replacedFunctions.add(key);
      push(beforeDrops, `DROP ${b.kind.toUpperCase()} ${functionSignature(a)}`, `recreates ${b.kind} ${b.name} (its signature changed)`);
    }
  }
  const earlyFunctions = functionKeys.filter((key) => (B.get(key)?.meta.dependsOn ?? []).every((dep) => !createdSet.has(dep)));
  const lateFunctions = functionKeys.filter((key) => !earlyFunctions.includes(key));

  // 4. drop what depends on objects about to change: triggers, policies, grants, constraints, views, indexes
  const drops: MigrationStatement[] = [];
  for (const o of ofKind(dropped.concat(changed), A, 'trigger')) if (!droppedWithParent(o)) push(drops, `DROP TRIGGER ${last(o)} ON ${tableOf(o)}`);
  for (const o of ofKind(dropped.concat(changed), A, 'policy')) if (!droppedWithParent(o)) push(drops, `DROP POLICY ${last(o)} ON ${tableOf(o)}`);
  for (const o of ofKind(dropped.concat(changed), A, 'privilege')) if (!droppedWithParent(o)) push(drops, grantStatement(o, true));
  const constraintDrops = ofKind(dropped.concat(changed), A, 'constraint').filter((o) => !droppedWithParent(o));
  constraintDrops.sort((x, y) => Number(y.meta.constraintType === 'f') - Number(x.meta.constraintType === 'f'));
  for (const o of constraintDrops) push(drops, `ALTER TABLE ${tableOf(o)} DROP CONSTRAINT ${last(o)}`);

  for (const key of rebuild.viewDropOrder) {
    const o = A0.get(key);
    if (!o) continue;
    const keeps = B.has(key);
    push(drops, `DROP ${o.kind.toUpperCase()} ${sqlName(o.path)}`, keeps ? undefined : o.kind === 'materialized view' ? `drops materialized view ${o.name} and its data` : `drops view ${o.name}`);
  }
  for (const key of rebuild.tables) {
    const o = A0.get(key);
    if (o) push(drops, `DROP TABLE ${sqlName(o.path)}`, `rebuilds table ${o.name} (partitioning changed): its data is lost`);
  }
  // A relation that changes kind (table to view) must be gone before its successor is created.
  const createdNames = new Set(created.map((key) => B.get(key)).filter((o) => o !== undefined && RELATIONS.has(o.kind)).map((o) => sqlName(o?.path ?? [])));
  const earlyRelationDrops = new Set<string>();
  for (const o of ofKind(dropped, A, 'table')) {
    if (!createdNames.has(sqlName(o.path))) continue;
    earlyRelationDrops.add(`${o.kind}:${o.name}`);
    push(drops, `DROP TABLE ${sqlName(o.path)}`, `drops table ${o.name} and its data`);
  }
  for (const o of ofKind(dropped.concat(changed), A, 'index')) {
    if (droppedWithParent(o)) continue;
    if (o.meta.parentIndex && (droppedSet.has(o.meta.parentIndex) || changedSet.has(o.meta.parentIndex))) continue;
    const b = B.get(`index:${o.name}`);
    if (b && changedAttributes(o, b).size === 1 && changedAttributes(o, b).has('attached_to')) continue;
    push(drops, `DROP INDEX ${sqlName(o.path)}`);
  }

  // 5. tables: create (parents first), then alter columns of the ones kept
  const tables: MigrationStatement[] = [];
  const createdTables = topoSort(ofKind(created, B, 'table').map((o) => `table:${o.name}`), (key) => B.get(key)?.meta.parents ?? []);
  for (const key of createdTables) {
    const o = B.get(key);
    if (o) tables.push(...createTable(o, B, columnsOf(B, key)));
  }
  for (const o of ofKind(changed, B, 'table')) {
    const a = A.get(`table:${o.name}`);
    if (a) tables.push(...alterTable(a, o));
  }
  const columnChanges: MigrationStatement[] = [];
  for (const o of ofKind(dropped, A, 'column')) {
    if (droppedWithParent(o) || o.meta.parent?.startsWith('composite type:') || o.meta.inherited) continue;
    push(columnChanges, `ALTER TABLE ${tableOf(o)} DROP COLUMN ${last(o)}`, `drops column ${o.name} and its data`);
  }
  for (const o of ofKind(created, B, 'column')) {
    if (createdWithParent(o) || o.meta.inherited) continue;
    if (o.meta.parent?.startsWith('composite type:')) push(columnChanges, `ALTER TYPE ${tableOf(o)} ADD ATTRIBUTE ${quoteIdent(o.path[2] ?? '')} ${attr(o, 'type') ?? ''}`);
    else push(columnChanges, `ALTER TABLE ${tableOf(o)} ADD COLUMN ${columnDefinition(o)}`);
  }
  const columnsKept = [...B.values()].filter((o) => o.kind === 'column' && A.has(`column:${o.name}`) && (changedSet.has(`column:${o.name}`) || A.get(`column:${o.name}`)?.meta.inherited !== o.meta.inherited));
  for (const o of columnsKept) {
    const a = A.get(`column:${o.name}`);
    if (!a || o.meta.inherited) continue;
    // A column inherited before and local now disappears with the parent's column: add it back.
    const parentDrops = a.meta.inherited && (A.get(a.meta.parent ?? '')?.meta.parents ?? []).some((p) => droppedSet.has(`column:${p.slice(p.indexOf(':') + 1)}.${displayIdent(o.path[2] ?? '')}`));
    if (parentDrops) push(columnChanges, `ALTER TABLE ${tableOf(o)} ADD COLUMN ${columnDefinition(o)}`);
    else columnChanges.push(...alterColumn(a, o, rebuiltEnums));
  }
  // Columns of a rebuilt enum move to the new type.
  for (const o of B.values()) {
    if (o.kind !== 'column' || !o.meta.usesType || !rebuiltEnums.has(o.meta.usesType) || o.meta.inherited) continue;
    const a = A.get(`column:${o.name}`);
    if (!a || attr(a, 'type') !== attr(o, 'type')) continue;
    const defaultValue = attr(a, 'default');
    if (defaultValue) push(enumColumns, `ALTER TABLE ${tableOf(o)} ALTER COLUMN ${last(o)} DROP DEFAULT`);
    push(enumColumns, `ALTER TABLE ${tableOf(o)} ALTER COLUMN ${last(o)} TYPE ${attr(o, 'type') ?? ''} USING ${last(o)}::text::${attr(o, 'type') ?? ''}`);
    if (attr(o, 'default')) push(enumColumns, `ALTER TABLE ${tableOf(o)} ALTER COLUMN ${last(o)} SET DEFAULT ${attr(o, 'default') ?? ''}`);
  }

  // 6. functions that use table types, 7. indexes and constraints
  const functions = (keys: string[]) => keys.map((key) => B.get(key)).filter((o): o is SchemaObject => o !== undefined).map((o) => out(`${(attr(o, 'definition') ?? '').trimEnd()}`));
  const late: MigrationStatement[] = [...functions(lateFunctions)];
  const indexKeys = created.concat(changed).filter((key) => B.get(key)?.kind === 'index');
  const indexesLater: MigrationStatement[] = [];
  for (const key of indexKeys) {
    const o = B.get(key);
    if (!o) continue;
    const a = A.get(key);
    if (a && changedAttributes(a, o).size === 1 && changedAttributes(a, o).has('attached_to')) {
      if (attr(o, 'attached_to')) push(late, `ALTER INDEX ${sqlName((attr(o, 'attached_to') ?? '').split('.'))} ATTACH PARTITION ${sqlName(o.path)}`);
      continue;
    }
    // Creating a partitioned index creates (and attaches) the partitions' indexes too.
    if (o.meta.parentIndex && (createdSet.has(o.meta.parentIndex) || changedSet.has(o.meta.parentIndex))) continue;
    const statement = attr(o, 'definition') ?? '';
    if (o.meta.onMaterializedView) push(indexesLater, statement);
    else push(late, statement);
    if (o.meta.parentIndex && !createdSet.has(o.meta.parentIndex)) {
      const parent = B.get(o.meta.parentIndex);
      if (parent) push(late, `ALTER INDEX ${sqlName(parent.path)} ATTACH PARTITION ${sqlName(o.path)}`);
    }
  }
  const constraintAdds = ofKind(created.concat(changed), B, 'constraint');
  const rank = (o: SchemaObject) => ({ p: 0, u: 1, x: 2, c: 3, f: 4 })[o.meta.constraintType ?? 'c'] ?? 3;
  constraintAdds.sort((x, y) => rank(x) - rank(y));
  for (const o of constraintAdds) {
    const deferrable = attr(o, 'deferrable');
    const suffix = `${deferrable === 'not deferrable' || !deferrable ? '' : ` ${deferrable.toUpperCase()}`}${attr(o, 'validated') === 'no' ? ' NOT VALID' : ''}`;
    push(late, `ALTER TABLE ${tableOf(o)} ADD CONSTRAINT ${last(o)} ${attr(o, 'definition') ?? ''}${suffix}`);
  }

  // 8. views in dependency order, then indexes on materialized views
  const viewCreates = new Set<string>();
  for (const key of created) if (B.get(key)?.kind === 'view' || B.get(key)?.kind === 'materialized view') viewCreates.add(key);
  for (const key of topoSort([...viewCreates], (k) => B.get(k)?.meta.dependsOn ?? [])) {
    const o = B.get(key);
    if (!o) continue;
    const options = attr(o, 'options');
    const definition = (attr(o, 'definition') ?? '').trim().replace(/;$/, '');
    push(late, `CREATE ${o.kind.toUpperCase()} ${sqlName(o.path)}${options ? ` WITH (${options})` : ''} AS ${definition}`);
  }
  late.push(...indexesLater);

  // 9. sequence ownership, replica identity, triggers, policies, grants, comments
  const finishing: MigrationStatement[] = [];
  for (const o of ofKind(created.concat(changed), B, 'sequence')) {
    const a = A.get(`sequence:${o.name}`);
    if (attr(o, 'owned_by') !== (a ? attr(a, 'owned_by') : null)) push(finishing, `ALTER SEQUENCE ${sqlName(o.path)} OWNED BY ${attr(o, 'owned_by') ?? 'NONE'}`);
  }
  for (const o of ofKind(created.concat(changed), B, 'table')) {
    const a = A.get(`table:${o.name}`);
    const identity = attr(o, 'replica_identity');
    if (identity && identity !== (a ? attr(a, 'replica_identity') : 'default')) push(finishing, `ALTER TABLE ${sqlName(o.path)} REPLICA IDENTITY ${identity.toUpperCase()}`);
  }
  for (const o of ofKind(created.concat(changed), B, 'trigger')) {
    push(finishing, `${attr(o, 'definition') ?? ''}`);
    const enabled = attr(o, 'enabled');
    if (enabled && enabled !== 'enabled') push(finishing, `ALTER TABLE ${tableOf(o)} ${enabled === 'disabled' ? 'DISABLE' : `ENABLE ${enabled.toUpperCase()}`} TRIGGER ${last(o)}`);
  }
  for (const o of ofKind(created.concat(changed), B, 'policy')) {
    const using = attr(o, 'using');
    const check = attr(o, 'with_check');
    push(finishing, `CREATE POLICY ${last(o)} ON ${tableOf(o)} AS ${attr(o, 'permissive') ?? 'PERMISSIVE'} FOR ${attr(o, 'command') ?? 'ALL'} TO ${attr(o, 'roles') ?? 'PUBLIC'}${using ? ` USING (${using})` : ''}${check ? ` WITH CHECK (${check})` : ''}`);
  }
  for (const o of ofKind(created.concat(changed), B, 'privilege')) push(finishing, grantStatement(o, false));
  if (settings.comments !== 'ignore') {
    for (const o of B.values()) {
      const a = A.get(`${o.kind}:${o.name}`);
      const comment = attr(o, 'comment');
      const before = a ? attr(a, 'comment') : null;
      const target = commentTarget(o);
      if (comment !== before && target && (comment !== null || a)) push(finishing, `COMMENT ON ${target} IS ${comment === null ? 'NULL' : quoteLiteral(comment)}`);
    }
  }

  // 10. drops of removed objects, last: tables (children first), sequences, functions, types, extensions, schemas
  const finalDrops: MigrationStatement[] = [];
  const droppedTables = topoSort(ofKind(dropped, A, 'table').map((o) => `table:${o.name}`).filter((key) => !earlyRelationDrops.has(key)), (key) => A.get(key)?.meta.parents ?? []).reverse();
  for (const key of droppedTables) {
    const o = A.get(key);
    if (o) push(finalDrops, `DROP ${attr(o, 'foreign') === 'yes' ? 'FOREIGN TABLE' : 'TABLE'} ${sqlName(o.path)}`, `drops table ${o.name} and its data`);
  }
  for (const o of ofKind(dropped, A, 'sequence')) push(finalDrops, `DROP SEQUENCE IF EXISTS ${sqlName(o.path)}`, `drops sequence ${o.name}`);
  for (const o of ofKind(dropped, A, 'function', 'procedure')) push(finalDrops, `DROP ${o.kind.toUpperCase()} ${functionSignature(o)}`, `drops ${o.kind} ${o.name}`);
  for (const o of ofKind(dropped, A, 'composite type', 'enum')) push(finalDrops, `DROP TYPE ${sqlName(o.path)}`, `drops type ${o.name}`);
  for (const o of ofKind(dropped, A, 'domain')) push(finalDrops, `DROP DOMAIN ${sqlName(o.path)}`, `drops domain ${o.name}`);
  for (const o of ofKind(dropped, A, 'collation')) push(finalDrops, `DROP COLLATION ${sqlName(o.path)}`, `drops collation ${o.name}`);
  for (const o of ofKind(dropped, A, 'extension')) push(finalDrops, `DROP EXTENSION ${quoteIdent(o.path[1] ?? '')}`, `drops extension ${o.name}`);
  for (const o of ofKind(dropped, A, 'schema')) push(finalDrops, `DROP SCHEMA ${sqlName(o.path)}`, `drops schema ${o.name}`);

  return [
    ...early,
    ...drops,
    ...beforeDrops,
    ...functions(earlyFunctions),
    ...enumRebuild,
    ...tables,
    ...columnChanges,
    ...enumColumns,
    ...enumCleanup,
    ...late,
    ...finishing,
    ...finalDrops,
  ].filter((s) => s.sql !== '');
}

const RELATIONS = new Set(['table', 'view', 'materialized view']);

interface RebuildPlan {
  /** Keys removed from the source model before planning (rebuilt objects and their children). */
  readonly removed: ReadonlySet<string>;
  /** Tables to drop and create again (partitioning changed). */
  readonly tables: readonly string[];
  /** Views to drop (dependents first): removed, changed, or over something that changes shape. */
  readonly viewDropOrder: readonly string[];
}

/**
 * Which objects are rebuilt: tables whose partitioning changes, and views that are removed,
 * changed, or read a column whose type changes or that disappears (directly or through
 * another view). Their children (columns, indexes, triggers, grants) are rebuilt with them.
 */
function planRebuilds(A: Objects, B: Objects): RebuildPlan {
  const tables = [...A.values()]
    .filter((a) => {
      const b = B.get(`${a.kind}:${a.name}`);
      return a.kind === 'table' && b !== undefined && (attr(a, 'partitioned') !== attr(b, 'partitioned') || attr(a, 'partition_key') !== attr(b, 'partition_key'));
    })
    .map((o) => `table:${o.name}`);
  const altered = new Set<string>(tables);
  for (const a of A.values()) {
    if (a.kind !== 'column' || !a.meta.parent) continue;
    const b = B.get(`column:${a.name}`);
    if (!b || attr(a, 'type') !== attr(b, 'type') || attr(a, 'generated') !== attr(b, 'generated') || attr(a, 'collation') !== attr(b, 'collation')) altered.add(a.meta.parent);
    else if (a.meta.usesType && B.get(a.meta.usesType) && attr(A.get(a.meta.usesType) ?? a, 'values') !== attr(B.get(a.meta.usesType) ?? a, 'values')) altered.add(a.meta.parent);
  }
  for (const a of A.values()) {
    if ((a.kind === 'function' || a.kind === 'procedure') && (!B.has(`${a.kind}:${a.name}`) || functionHeader(a) !== functionHeader(B.get(`${a.kind}:${a.name}`) ?? a))) altered.add(`${a.kind}:${a.name}`);
    if (RELATIONS.has(a.kind) && !B.has(`${a.kind}:${a.name}`)) altered.add(`${a.kind}:${a.name}`);
  }
  const views = [...A.values()].filter((o) => o.kind === 'view' || o.kind === 'materialized view').map((o) => `${o.kind}:${o.name}`);
  const rebuilt = new Set<string>();
  const visiting = new Set<string>();
  const needs = (key: string): boolean => {
    if (rebuilt.has(key)) return true;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const a = A.get(key);
    const b = B.get(key);
    const result = !a || !b || changedAttributes(a, b).size > 0 || (a.meta.dependsOn ?? []).some((dep) => altered.has(dep) || (views.includes(dep) && needs(dep)));
    visiting.delete(key);
    return result;
  };
  for (const key of views) if (needs(key)) rebuilt.add(key);
  const removed = new Set<string>([...tables, ...[...rebuilt].filter((key) => B.has(key))]);
  // Grants, triggers and indexes hang off their relation; columns off their table.
  for (const [key, object] of A) if (object.meta.parent !== undefined && removed.has(object.meta.parent)) removed.add(key);
  return { removed, tables, viewDropOrder: topoSort([...rebuilt], (key) => A.get(key)?.meta.dependsOn ?? []).reverse() };
}

function createDomain(o: SchemaObject): string {
  const parts = [`CREATE DOMAIN ${sqlName(o.path)} AS ${attr(o, 'type') ?? 'text'}`];
  if (attr(o, 'collation')) parts.push(`COLLATE ${attr(o, 'collation') ?? ''}`);
  if (attr(o, 'default')) parts.push(`DEFAULT ${attr(o, 'default') ?? ''}`);
  if (attr(o, 'not_null') === 'yes') parts.push('NOT NULL');
  for (const c of o.meta.domainConstraints ?? []) parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  return parts.join(' ');
}

function sequenceOptions(o: SchemaObject): string {
  return `AS ${attr(o, 'type') ?? 'bigint'} INCREMENT BY ${attr(o, 'increment') ?? '1'} MINVALUE ${attr(o, 'min') ?? '1'} MAXVALUE ${attr(o, 'max') ?? '1'} START WITH ${attr(o, 'start') ?? '1'} CACHE ${attr(o, 'cache') ?? '1'}${attr(o, 'cycle') === 'yes' ? ' CYCLE' : ' NO CYCLE'}`;
}

function createTable(o: SchemaObject, B: Objects, columns: SchemaObject[]): MigrationStatement[] {
  const name = sqlName(o.path);
  const statements: MigrationStatement[] = [];
  const partitionOf = attr(o, 'partition_of');
  const foreign = attr(o, 'foreign') === 'yes';
  const unlogged = attr(o, 'unlogged') === 'yes' ? 'UNLOGGED ' : '';
  const partitionBy = attr(o, 'partition_key') ? ` PARTITION BY ${attr(o, 'partition_key') ?? ''}` : '';
  const options = attr(o, 'options') ? ` WITH (${attr(o, 'options') ?? ''})` : '';
  if (partitionOf) {
    statements.push({ sql: `CREATE ${unlogged}TABLE ${name} PARTITION OF ${partitionOf} ${attr(o, 'partition_bound') ?? 'DEFAULT'}${partitionBy}${options}` });
    for (const c of columns) if (attr(c, 'default') && !c.meta.inherited) statements.push({ sql: `ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.path[2] ?? '')} SET DEFAULT ${attr(c, 'default') ?? ''}` });
  } else {
    const local = columns.filter((c) => !c.meta.inherited || B.get(`column:${c.name}`)?.meta.inherited === false);
    const inherits = attr(o, 'inherits') ? ` INHERITS (${attr(o, 'inherits') ?? ''})` : '';
    statements.push({ sql: `CREATE ${foreign ? 'FOREIGN ' : unlogged}TABLE ${name} (${local.map((c) => `\n    ${columnDefinition(c)}`).join(',')}${local.length > 0 ? '\n' : ''})${inherits}${partitionBy}${options}` });
  }
  if (attr(o, 'row_level_security') === 'yes') statements.push({ sql: `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY` });
  if (attr(o, 'force_row_level_security') === 'yes') statements.push({ sql: `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY` });
  return statements;
}

function alterTable(a: SchemaObject, o: SchemaObject): MigrationStatement[] {
  const name = sqlName(o.path);
  const diff = changedAttributes(a, o);
  const statements: MigrationStatement[] = [];
  if (diff.has('unlogged')) statements.push({ sql: `ALTER TABLE ${name} SET ${attr(o, 'unlogged') === 'yes' ? 'UNLOGGED' : 'LOGGED'}` });
  if (diff.has('row_level_security')) statements.push({ sql: `ALTER TABLE ${name} ${attr(o, 'row_level_security') === 'yes' ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY` });
  if (diff.has('force_row_level_security')) statements.push({ sql: `ALTER TABLE ${name} ${attr(o, 'force_row_level_security') === 'yes' ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY` });
  if (diff.has('options')) {
    const before = (attr(a, 'options') ?? '').split(', ').filter(Boolean).map((kv) => kv.split('=')[0] ?? '');
    const after = (attr(o, 'options') ?? '').split(', ').filter(Boolean);
    const reset = before.filter((key) => !after.some((kv) => kv.startsWith(`${key}=`)));
    if (reset.length > 0) statements.push({ sql: `ALTER ${o.kind === 'table' ? 'TABLE' : o.kind.toUpperCase()} ${name} RESET (${reset.join(', ')})` });
    if (after.length > 0) statements.push({ sql: `ALTER TABLE ${name} SET (${after.join(', ')})` });
  }
  if (diff.has('partition_of') || diff.has('partition_bound')) {
    if (attr(a, 'partition_of')) statements.push({ sql: `ALTER TABLE ${attr(a, 'partition_of') ?? ''} DETACH PARTITION ${name}` });
    if (attr(o, 'partition_of')) statements.push({ sql: `ALTER TABLE ${attr(o, 'partition_of') ?? ''} ATTACH PARTITION ${name} ${attr(o, 'partition_bound') ?? 'DEFAULT'}` });
  }
  if (diff.has('inherits')) {
    const before = (attr(a, 'inherits') ?? '').split(', ').filter(Boolean);
    const after = (attr(o, 'inherits') ?? '').split(', ').filter(Boolean);
    for (const parent of before.filter((p) => !after.includes(p))) statements.push({ sql: `ALTER TABLE ${name} NO INHERIT ${parent}` });
    for (const parent of after.filter((p) => !before.includes(p))) statements.push({ sql: `ALTER TABLE ${name} INHERIT ${parent}` });
  }
  return statements;
}

function alterColumn(a: SchemaObject, o: SchemaObject, rebuiltEnums: ReadonlySet<string>): MigrationStatement[] {
  const diff = changedAttributes(a, o);
  const table = tableOf(o);
  const column = last(o);
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${column}`;
  const statements: MigrationStatement[] = [];
  if (o.meta.parent?.startsWith('composite type:')) {
    if (diff.has('type')) statements.push({ sql: `ALTER TYPE ${table} ALTER ATTRIBUTE ${column} TYPE ${attr(o, 'type') ?? ''}` });
    return statements;
  }
  if (diff.has('generated')) {
    if (!attr(o, 'generated')) {
      statements.push({ sql: `${alter} DROP EXPRESSION` });
    } else {
      // A stored expression cannot be added to or changed on an existing column.
      statements.push({ sql: `ALTER TABLE ${table} DROP COLUMN ${column}`, destructive: `rebuilds generated column ${o.name}` });
      statements.push({ sql: `ALTER TABLE ${table} ADD COLUMN ${columnDefinition(o)}` });
      return statements;
    }
  }
  const typeChanges = diff.has('type') || diff.has('collation');
  const enumMoved = o.meta.usesType !== undefined && rebuiltEnums.has(o.meta.usesType);
  if (diff.has('identity') && attr(a, 'identity') && !attr(o, 'identity')) statements.push({ sql: `${alter} DROP IDENTITY` });
  if ((typeChanges || diff.has('default')) && attr(a, 'default')) statements.push({ sql: `${alter} DROP DEFAULT` });
  if (typeChanges && !(enumMoved && !diff.has('type'))) {
    const type = attr(o, 'type') ?? 'text';
    const collation = attr(o, 'collation') ? ` COLLATE ${attr(o, 'collation') ?? ''}` : '';
    const using = diff.has('type') ? ` USING ${column}::${attr(a, 'type')?.includes('.') || type.includes('.') ? 'text::' : ''}${type}` : '';
    statements.push({ sql: `${alter} TYPE ${type}${collation}${using}`, destructive: `changes the type of ${o.name} from ${attr(a, 'type') ?? '?'} to ${type}` });
  }
  if ((typeChanges || diff.has('default')) && attr(o, 'default')) statements.push({ sql: `${alter} SET DEFAULT ${attr(o, 'default') ?? ''}` });
  if (diff.has('not_null') && attr(o, 'not_null') === 'yes') statements.push({ sql: `${alter} SET NOT NULL` });
  if (diff.has('identity') && attr(o, 'identity')) {
    const kind = attr(o, 'identity') === 'always' ? 'ALWAYS' : 'BY DEFAULT';
    statements.push({ sql: attr(a, 'identity') ? `${alter} SET GENERATED ${kind}` : `${alter} ADD GENERATED ${kind} AS IDENTITY (${identityOptions(o)})` });
  } else if (diff.has('identity_options') && attr(o, 'identity') && attr(a, 'identity')) {
    const p = parseSequenceOptions(attr(o, 'identity_options') ?? '');
    statements.push({ sql: `${alter} SET START WITH ${p.start} SET INCREMENT BY ${p.increment} SET MINVALUE ${p.minvalue} SET MAXVALUE ${p.maxvalue} SET CACHE ${p.cache} SET ${p.cycle ? '' : 'NO '}CYCLE` });
  }
  if (diff.has('not_null') && attr(o, 'not_null') === 'no') statements.push({ sql: `${alter} DROP NOT NULL` });
  return statements;
}

/** Renders statements as a script; destructive ones are preceded by a `-- DESTRUCTIVE:` comment. */
export function renderMigration(statements: readonly MigrationStatement[]): string {
  return statements.map((s) => `${s.destructive ? `-- DESTRUCTIVE: ${s.destructive}\n` : ''}${s.sql.trimEnd()};\n`).join('\n');
}
