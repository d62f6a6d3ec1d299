import { inScope, resolveDiffOptions } from './diff.js';
import type { DiffOptions } from './diff.js';
import type { SchemaModel, SchemaObject } from './model.js';

/** Objects of one model, in scope, by key. */
export type Objects = ReadonlyMap<string, SchemaObject>;

/** One attribute of an object, null when it is not set. */
export const attr = (object: SchemaObject, name: string): string | null => object.attributes[name] ?? null;

// Attributes whose change needs no statement (reported only) or is handled elsewhere.
const PASSIVE = new Set(['comment', 'position', 'inherited', 'table']);

/** The attributes (other than the passive ones) whose values differ between two versions of an object. */
export function changedAttributes(previous: SchemaObject, current: SchemaObject): Set<string> {
  const out = new Set<string>();
  for (const key of new Set([...Object.keys(previous.attributes), ...Object.keys(current.attributes)])) {
    if (!PASSIVE.has(key) && (previous.attributes[key] ?? null) !== (current.attributes[key] ?? null)) out.add(key);
  }
  return out;
}

/** Topological order of `keys` by `deps` (dependencies first); cycles keep their input order. */
export function topoSort(keys: readonly string[], deps: (key: string) => readonly string[]): string[] {
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

/** The header of a function definition (everything up to its body): CREATE OR REPLACE can change the body only. */
export function functionHeader(object: SchemaObject): string {
  const definition = attr(object, 'definition') ?? '';
  return definition.split(/\n AS |\nAS |\nBEGIN ATOMIC/)[0]?.replace(/\n (LANGUAGE|IMMUTABLE|STABLE|VOLATILE|STRICT|SECURITY|LEAKPROOF|PARALLEL|COST|ROWS|SET|WINDOW|CALLED|RETURNS NULL|SUPPORT)[^\n]*/g, '') ?? '';
}

/** The kinds of object that own a name among relations (a table may become a view). */
export const RELATIONS = new Set(['table', 'view', 'materialized view']);

/** Which objects are rebuilt rather than altered. */
export interface RebuildPlan {
  /** Keys removed from the source model before planning (rebuilt objects and their children). */
  readonly removed: ReadonlySet<string>;
  /** Tables to drop and create again (partitioning changed). */
  readonly tables: readonly string[];
  /** Views to drop (dependents first): removed, changed, or over something that changes shape. */
  readonly viewDropOrder: readonly string[];
}

/** What a migration works from: both scoped models and which keys it creates, drops or changes. */
export interface MigrationPlan {
  readonly settings: Required<DiffOptions>;
  /** The `from` database in scope, rebuilt objects included. */
  readonly source: Objects;
  /** The `from` database in scope as the planner sees it: rebuilt objects taken out, to be created anew. */
  readonly from: Objects;
  /** The `to` database in scope. */
  readonly to: Objects;
  readonly rebuild: RebuildPlan;
  readonly created: readonly string[];
  readonly dropped: readonly string[];
  readonly changed: readonly string[];
  readonly createdSet: ReadonlySet<string>;
  readonly droppedSet: ReadonlySet<string>;
  readonly changedSet: ReadonlySet<string>;
}

/** Scopes both models, takes the rebuilt objects out of the source and sorts every key into created, dropped and changed. */
export function planMigration(fromModel: SchemaModel, toModel: SchemaModel, options: DiffOptions): MigrationPlan {
  const settings = resolveDiffOptions(options);
  const scoped = (model: SchemaModel): Objects => new Map([...model.objects].filter(([, object]) => inScope(object, settings)));
  const source = scoped(fromModel);
  const to = scoped(toModel);
  // Some objects cannot be altered into their new shape: drop them first, then plan as if they were new.
  const rebuild = planRebuilds(source, to);
  const from: Objects = new Map([...source].filter(([key, object]) => !rebuild.removed.has(key) && !(object.meta.parent !== undefined && rebuild.removed.has(object.meta.parent))));
  const created = [...to.keys()].filter((key) => !from.has(key));
  const dropped = [...from.keys()].filter((key) => !to.has(key));
  const changed = [...to.keys()].filter((key) => {
    const previous = from.get(key);
    const current = to.get(key);
    return previous !== undefined && current !== undefined && changedAttributes(previous, current).size > 0;
  });
  return { settings, source, from, to, rebuild, created, dropped, changed, createdSet: new Set(created), droppedSet: new Set(dropped), changedSet: new Set(changed) };
}

/** The objects of `keys` in `models` whose kind is one of `kinds`, in key order. */
export function ofKind(keys: readonly string[], models: Objects, ...kinds: string[]): SchemaObject[] {
  return keys.map((key) => models.get(key)).filter((object): object is SchemaObject => object !== undefined && kinds.includes(object.kind));
}

/** True when the object's parent is dropped (the parent's drop takes it along). */
export const droppedWithParent = (plan: MigrationPlan, object: SchemaObject): boolean => object.meta.parent !== undefined && plan.droppedSet.has(object.meta.parent);

/** True when the object's parent is created (the parent's creation brings it). */
export const createdWithParent = (plan: MigrationPlan, object: SchemaObject): boolean => object.meta.parent !== undefined && plan.createdSet.has(object.meta.parent);

/** The columns of a table or composite type, in their position order. */
export function columnsOf(models: Objects, parentKey: string): SchemaObject[] {
  return [...models.values()].filter((column) => column.kind === 'column' && column.meta.parent === parentKey).sort((x, y) => Number(attr(x, 'position')) - Number(attr(y, 'position')));
}

/**
 * Which objects are rebuilt: tables whose partitioning changes, and views that are removed,
 * changed, or read a column whose type changes or that disappears (directly or through
 * another view). Their children (columns, indexes, triggers, grants) are rebuilt with them.
 */
function planRebuilds(source: Objects, to: Objects): RebuildPlan {
  const tables = repartitionedTables(source, to);
  const altered = alteredShapes(source, to, tables);
  const views = [...source.values()].filter((object) => object.kind === 'view' || object.kind === 'materialized view').map((view) => `${view.kind}:${view.name}`);
  const rebuilt = new Set<string>();
  const visiting = new Set<string>();
  const needs = (key: string): boolean => {
    if (rebuilt.has(key)) return true;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const previous = source.get(key);
    const current = to.get(key);
    const result = !previous || !current || changedAttributes(previous, current).size > 0 || (previous.meta.dependsOn ?? []).some((dep) => altered.has(dep) || (views.includes(dep) && needs(dep)));
    visiting.delete(key);
    return result;
  };
  for (const key of views) if (needs(key)) rebuilt.add(key);
  const removed = new Set<string>([...tables, ...[...rebuilt].filter((key) => to.has(key))]);
  // Grants, triggers and indexes hang off their relation; columns off their table.
  for (const [key, object] of source) if (object.meta.parent !== undefined && removed.has(object.meta.parent)) removed.add(key);
  return { removed, tables, viewDropOrder: topoSort([...rebuilt], (key) => source.get(key)?.meta.dependsOn ?? []).reverse() };
}

/** Tables whose partitioning (partitioned or its key) changes: they are dropped and created again. */
function repartitionedTables(source: Objects, to: Objects): string[] {
  return [...source.values()]
    .filter((previous) => {
      const current = to.get(`${previous.kind}:${previous.name}`);
      return previous.kind === 'table' && current !== undefined && (attr(previous, 'partitioned') !== attr(current, 'partitioned') || attr(previous, 'partition_key') !== attr(current, 'partition_key'));
    })
    .map((table) => `table:${table.name}`);
}

/** Keys of the objects a view may read whose shape changes: rebuilt tables, tables with an altered column, changed function headers, removed relations. */
function alteredShapes(source: Objects, to: Objects, rebuiltTables: readonly string[]): Set<string> {
  const altered = new Set<string>(rebuiltTables);
  for (const previous of source.values()) {
    if (previous.kind !== 'column' || !previous.meta.parent) continue;
    const current = to.get(`column:${previous.name}`);
    if (!current || attr(previous, 'type') !== attr(current, 'type') || attr(previous, 'generated') !== attr(current, 'generated') || attr(previous, 'collation') !== attr(current, 'collation')) altered.add(previous.meta.parent);
    else if (previous.meta.usesType && to.get(previous.meta.usesType) && attr(source.get(previous.meta.usesType) ?? previous, 'values') !== attr(to.get(previous.meta.usesType) ?? previous, 'values')) altered.add(previous.meta.parent);
  }
  for (const previous of source.values()) {
    const key = `${previous.kind}:${previous.name}`;
    if ((previous.kind === 'function' || previous.kind === 'procedure') && (!to.has(key) || functionHeader(previous) !== functionHeader(to.get(key) ?? previous))) altered.add(key);
    if (RELATIONS.has(previous.kind) && !to.has(key)) altered.add(key);
  }
  return altered;
}
