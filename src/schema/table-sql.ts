import type { MigrationStatement } from './generate-sql.js';
import { attr, changedAttributes } from './migration-plan.js';
import type { Objects } from './migration-plan.js';
import type { SchemaObject } from './model.js';
import { quoteIdent, sqlName } from './names.js';

/** The table part ([schema, table]) of a column, constraint, trigger or policy as SQL. */
export const tableOf = (object: SchemaObject): string => sqlName(object.path.slice(0, 2));

/** The object's own name (the last part of its path) as SQL. */
export const last = (object: SchemaObject): string => quoteIdent(object.path[object.path.length - 1] ?? '');

/** A column as it is written in CREATE TABLE or ADD COLUMN. */
export function columnDefinition(column: SchemaObject): string {
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
  const sequence = parseSequenceOptions(attr(column, 'identity_options') ?? '');
  return `START WITH ${sequence.start} INCREMENT BY ${sequence.increment} MINVALUE ${sequence.minvalue} MAXVALUE ${sequence.maxvalue} CACHE ${sequence.cache}${sequence.cycle ? ' CYCLE' : ' NO CYCLE'}`;
}

function parseSequenceOptions(text: string): { start: string; increment: string; minvalue: string; maxvalue: string; cache: string; cycle: boolean } {
  const get = (word: string) => new RegExp(`${word} (-?\\d+)`).exec(text)?.[1] ?? '1';
  return { start: get('start'), increment: get('increment'), minvalue: get('minvalue'), maxvalue: get('maxvalue'), cache: get('cache'), cycle: / cycle$/.test(text) && !/no cycle$/.test(text) };
}

/** CREATE TABLE (a partition, a foreign table or a plain one with its local columns) and its row-level security. */
export function createTable(table: SchemaObject, to: Objects, columns: SchemaObject[]): MigrationStatement[] {
  const name = sqlName(table.path);
  const statements: MigrationStatement[] = [];
  const partitionOf = attr(table, 'partition_of');
  const foreign = attr(table, 'foreign') === 'yes';
  const unlogged = attr(table, 'unlogged') === 'yes' ? 'UNLOGGED ' : '';
  const partitionBy = attr(table, 'partition_key') ? ` PARTITION BY ${attr(table, 'partition_key') ?? ''}` : '';
  const options = attr(table, 'options') ? ` WITH (${attr(table, 'options') ?? ''})` : '';
  if (partitionOf) {
    statements.push({ sql: `CREATE ${unlogged}TABLE ${name} PARTITION OF ${partitionOf} ${attr(table, 'partition_bound') ?? 'DEFAULT'}${partitionBy}${options}` });
    for (const column of columns) if (attr(column, 'default') && !column.meta.inherited) statements.push({ sql: `ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(column.path[2] ?? '')} SET DEFAULT ${attr(column, 'default') ?? ''}` });
  } else {
    const local = columns.filter((column) => !column.meta.inherited || to.get(`column:${column.name}`)?.meta.inherited === false);
    const inherits = attr(table, 'inherits') ? ` INHERITS (${attr(table, 'inherits') ?? ''})` : '';
    statements.push({ sql: `CREATE ${foreign ? 'FOREIGN ' : unlogged}TABLE ${name} (${local.map((column) => `\n    ${columnDefinition(column)}`).join(',')}${local.length > 0 ? '\n' : ''})${inherits}${partitionBy}${options}` });
  }
  if (attr(table, 'row_level_security') === 'yes') statements.push({ sql: `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY` });
  if (attr(table, 'force_row_level_security') === 'yes') statements.push({ sql: `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY` });
  return statements;
}

/** The ALTER TABLEs that turn a kept table into its new shape (logging, security, options, partition, parents). */
export function alterTable(previous: SchemaObject, table: SchemaObject): MigrationStatement[] {
  const name = sqlName(table.path);
  const diff = changedAttributes(previous, table);
  const statements: MigrationStatement[] = [];
  if (diff.has('unlogged')) statements.push({ sql: `ALTER TABLE ${name} SET ${attr(table, 'unlogged') === 'yes' ? 'UNLOGGED' : 'LOGGED'}` });
  if (diff.has('row_level_security')) statements.push({ sql: `ALTER TABLE ${name} ${attr(table, 'row_level_security') === 'yes' ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY` });
  if (diff.has('force_row_level_security')) statements.push({ sql: `ALTER TABLE ${name} ${attr(table, 'force_row_level_security') === 'yes' ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY` });
  if (diff.has('options')) {
    const before = (attr(previous, 'options') ?? '').split(', ').filter(Boolean).map((kv) => kv.split('=')[0] ?? '');
    const after = (attr(table, 'options') ?? '').split(', ').filter(Boolean);
    const reset = before.filter((key) => !after.some((kv) => kv.startsWith(`${key}=`)));
    if (reset.length > 0) statements.push({ sql: `ALTER ${table.kind === 'table' ? 'TABLE' : table.kind.toUpperCase()} ${name} RESET (${reset.join(', ')})` });
    if (after.length > 0) statements.push({ sql: `ALTER TABLE ${name} SET (${after.join(', ')})` });
  }
  if (diff.has('partition_of') || diff.has('partition_bound')) {
    if (attr(previous, 'partition_of')) statements.push({ sql: `ALTER TABLE ${attr(previous, 'partition_of') ?? ''} DETACH PARTITION ${name}` });
    if (attr(table, 'partition_of')) statements.push({ sql: `ALTER TABLE ${attr(table, 'partition_of') ?? ''} ATTACH PARTITION ${name} ${attr(table, 'partition_bound') ?? 'DEFAULT'}` });
  }
  if (diff.has('inherits')) {
    const before = (attr(previous, 'inherits') ?? '').split(', ').filter(Boolean);
    const after = (attr(table, 'inherits') ?? '').split(', ').filter(Boolean);
    for (const parent of before.filter((parentName) => !after.includes(parentName))) statements.push({ sql: `ALTER TABLE ${name} NO INHERIT ${parent}` });
    for (const parent of after.filter((parentName) => !before.includes(parentName))) statements.push({ sql: `ALTER TABLE ${name} INHERIT ${parent}` });
  }
  return statements;
}

/** The statements that turn a kept column into its new shape; `rebuiltEnums` are moved by their own step. */
export function alterColumn(previous: SchemaObject, current: SchemaObject, rebuiltEnums: ReadonlySet<string>): MigrationStatement[] {
  const diff = changedAttributes(previous, current);
  const table = tableOf(current);
  const column = last(current);
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${column}`;
  const statements: MigrationStatement[] = [];
  if (current.meta.parent?.startsWith('composite type:')) {
    if (diff.has('type')) statements.push({ sql: `ALTER TYPE ${table} ALTER ATTRIBUTE ${column} TYPE ${attr(current, 'type') ?? ''}` });
    return statements;
  }
  if (diff.has('generated')) {
    if (!attr(current, 'generated')) {
      statements.push({ sql: `${alter} DROP EXPRESSION` });
    } else {
      // A stored expression cannot be added to or changed on an existing column.
      statements.push({ sql: `ALTER TABLE ${table} DROP COLUMN ${column}`, destructive: `rebuilds generated column ${current.name}` });
      statements.push({ sql: `ALTER TABLE ${table} ADD COLUMN ${columnDefinition(current)}` });
      return statements;
    }
  }
  const typeChanges = diff.has('type') || diff.has('collation');
  const enumMoved = current.meta.usesType !== undefined && rebuiltEnums.has(current.meta.usesType);
  if (diff.has('identity') && attr(previous, 'identity') && !attr(current, 'identity')) statements.push({ sql: `${alter} DROP IDENTITY` });
  if ((typeChanges || diff.has('default')) && attr(previous, 'default')) statements.push({ sql: `${alter} DROP DEFAULT` });
  if (typeChanges && !(enumMoved && !diff.has('type'))) {
    const type = attr(current, 'type') ?? 'text';
    const collation = attr(current, 'collation') ? ` COLLATE ${attr(current, 'collation') ?? ''}` : '';
    const using = diff.has('type') ? ` USING ${column}::${attr(previous, 'type')?.includes('.') || type.includes('.') ? 'text::' : ''}${type}` : '';
    statements.push({ sql: `${alter} TYPE ${type}${collation}${using}`, destructive: `changes the type of ${current.name} from ${attr(previous, 'type') ?? '?'} to ${type}` });
  }
  if ((typeChanges || diff.has('default')) && attr(current, 'default')) statements.push({ sql: `${alter} SET DEFAULT ${attr(current, 'default') ?? ''}` });
  if (diff.has('not_null') && attr(current, 'not_null') === 'yes') statements.push({ sql: `${alter} SET NOT NULL` });
  statements.push(...identityChanges(previous, current, diff, alter));
  if (diff.has('not_null') && attr(current, 'not_null') === 'no') statements.push({ sql: `${alter} DROP NOT NULL` });
  return statements;
}

/** An identity added or switched (ALWAYS / BY DEFAULT), or its sequence options changed. */
function identityChanges(previous: SchemaObject, current: SchemaObject, diff: ReadonlySet<string>, alter: string): MigrationStatement[] {
  if (diff.has('identity') && attr(current, 'identity')) {
    const kind = attr(current, 'identity') === 'always' ? 'ALWAYS' : 'BY DEFAULT';
    return [{ sql: attr(previous, 'identity') ? `${alter} SET GENERATED ${kind}` : `${alter} ADD GENERATED ${kind} AS IDENTITY (${identityOptions(current)})` }];
  }
  if (diff.has('identity_options') && attr(current, 'identity') && attr(previous, 'identity')) {
    const sequence = parseSequenceOptions(attr(current, 'identity_options') ?? '');
    return [{ sql: `${alter} SET START WITH ${sequence.start} SET INCREMENT BY ${sequence.increment} SET MINVALUE ${sequence.minvalue} SET MAXVALUE ${sequence.maxvalue} SET CACHE ${sequence.cache} SET ${sequence.cycle ? '' : 'NO '}CYCLE` }];
  }
  return [];
}
