import type { MigrationStatement } from './generate-sql.js';
import { attr } from './migration-plan.js';
import type { SchemaObject } from './model.js';
import { quoteIdent, sqlName } from './names.js';
import { last, tableOf } from './table-sql.js';

/** A statement, with the reason it is destructive when it is. */
export const statement = (sql: string, destructive?: string): MigrationStatement => (destructive ? { sql, destructive } : { sql });

/** A function or procedure as SQL names it in DROP and COMMENT: name and argument types. */
export function functionSignature(object: SchemaObject): string {
  return `${sqlName(object.path.slice(0, 2))}(${object.path[2] ?? ''})`;
}

/** What COMMENT ON names for an object, or undefined for kinds that take no comment. */
export function commentTarget(object: SchemaObject): string | undefined {
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

/** GRANT (or, with `revoke`, REVOKE) of one privilege; empty when the privilege names no target. */
export function grantStatement(object: SchemaObject, revoke: boolean): string {
  const target = object.meta.target;
  const grant = object.meta.grant;
  if (!target || !grant) return '';
  const columns = target.columns ? ` (${quoteIdent(target.columns)})` : '';
  const grantee = grant.grantee === 'OWNER' ? 'CURRENT_USER' : grant.grantee;
  if (revoke) return `REVOKE ${grant.privilege}${columns} ON ${target.keyword} ${target.sql} FROM ${grantee}`;
  return `GRANT ${grant.privilege}${columns} ON ${target.keyword} ${target.sql} TO ${grantee}${attr(object, 'grantable') === 'yes' ? ' WITH GRANT OPTION' : ''}`;
}

/** CREATE DOMAIN with its collation, default, NOT NULL and constraints. */
export function createDomain(domain: SchemaObject): string {
  const parts = [`CREATE DOMAIN ${sqlName(domain.path)} AS ${attr(domain, 'type') ?? 'text'}`];
  if (attr(domain, 'collation')) parts.push(`COLLATE ${attr(domain, 'collation') ?? ''}`);
  if (attr(domain, 'default')) parts.push(`DEFAULT ${attr(domain, 'default') ?? ''}`);
  if (attr(domain, 'not_null') === 'yes') parts.push('NOT NULL');
  for (const constraint of domain.meta.domainConstraints ?? []) parts.push(`CONSTRAINT ${quoteIdent(constraint.name)} ${constraint.definition}`);
  return parts.join(' ');
}

/** The options of CREATE or ALTER SEQUENCE. */
export function sequenceOptions(sequence: SchemaObject): string {
  return `AS ${attr(sequence, 'type') ?? 'bigint'} INCREMENT BY ${attr(sequence, 'increment') ?? '1'} MINVALUE ${attr(sequence, 'min') ?? '1'} MAXVALUE ${attr(sequence, 'max') ?? '1'} START WITH ${attr(sequence, 'start') ?? '1'} CACHE ${attr(sequence, 'cache') ?? '1'}${attr(sequence, 'cycle') === 'yes' ? ' CYCLE' : ' NO CYCLE'}`;
}
