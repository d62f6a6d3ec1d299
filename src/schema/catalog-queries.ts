/**
 * Catalog queries of the introspector (PostgreSQL 13+). Each returns one row per object.
 * They run with `search_path = pg_catalog`, so every user name in a definition is
 * schema-qualified and the text does not depend on the role's or database's search_path.
 */

// User schemas only: no system catalogs, no TOAST or temporary schemas.
const userSchema = (alias: string) =>
  `${alias}.nspname NOT IN ('pg_catalog', 'information_schema') AND ${alias}.nspname !~ '^pg_toast' AND ${alias}.nspname !~ '^pg_temp_'`;

// Objects an extension created belong to the extension, not to the schema under test.
const notExtensionOwned = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend ed WHERE ed.classid = '${catalog}'::regclass AND ed.objid = ${oid} AND ed.deptype = 'e')`;

const qualified = (nsp: string, name: string) => `quote_ident(${nsp}) || '.' || quote_ident(${name})`;

export const SCHEMAS_SQL = `
SELECT n.nspname AS name, obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_namespace n
WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_namespace', 'n.oid')}`;

export const EXTENSIONS_SQL = `
SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace`;

export const COLLATIONS_SQL = `
SELECT n.nspname AS schema, c.collname AS name, c.collprovider AS provider, c.collcollate AS lc_collate,
  c.collctype AS lc_ctype, c.collisdeterministic AS deterministic, obj_description(c.oid, 'pg_collation') AS comment
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_collation', 'c.oid')}`;

export const ENUMS_SQL = `
SELECT n.nspname AS schema, t.typname AS name,
  array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels, obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_type', 't.oid')}
GROUP BY n.nspname, t.typname, t.oid`;

export const DOMAINS_SQL = `
SELECT n.nspname AS schema, t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base_type,
  t.typnotnull AS not_null, t.typdefault AS "default",
  (SELECT ${qualified('cn.nspname', 'co.collname')} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
    JOIN pg_type bt ON bt.oid = t.typbasetype WHERE co.oid = t.typcollation AND t.typcollation <> bt.typcollation) AS collation,
  ARRAY(SELECT c.conname::text FROM pg_constraint c WHERE c.contypid = t.oid ORDER BY c.conname) AS constraint_names,
  ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contypid = t.oid ORDER BY c.conname) AS constraint_definitions,
  obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND ${userSchema('n')} AND ${notExtensionOwned('pg_type', 't.oid')}`;

export const RELATIONS_SQL = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
  c.relpersistence AS persistence, c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
  CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full'
    ELSE 'using index ' || coalesce((SELECT quote_ident(ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = c.oid AND i.indisreplident), '?') END AS replica_identity,
  array_to_string(ARRAY(SELECT o FROM unnest(c.reloptions) AS o ORDER BY o), ', ') AS options,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
  (SELECT string_agg(${qualified('pn.nspname', 'pc.relname')}, ', ' ORDER BY i.inhseqno)
    FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE i.inhrelid = c.oid) AS parents,
  ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parent_schemas,
  ARRAY(SELECT pc.relname::text FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parent_names,
  c.relispartition AS is_partition,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f') AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}`;

export const SEQUENCES_SQL = `
SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
  s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
  (SELECT ${qualified('tn.nspname', 't.relname')} || '.' || quote_ident(a.attname)
    FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
    LIMIT 1) AS owned_by,
  (SELECT n2.nspname || '.' || t.relname FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n2 ON n2.oid = t.relnamespace
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LIMIT 1) AS owner_table,
  EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i') AS is_identity,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}`;

export const COLUMNS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, c.relkind AS table_kind, a.attname AS name,
  row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
  format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
  CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
  a.attidentity AS identity,
  CASE WHEN a.attidentity <> '' THEN (SELECT 'start ' || s.seqstart || ' increment ' || s.seqincrement
      || ' minvalue ' || s.seqmin || ' maxvalue ' || s.seqmax || ' cache ' || s.seqcache || CASE WHEN s.seqcycle THEN ' cycle' ELSE ' no cycle' END
    FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid
    WHERE d.classid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i' LIMIT 1) END AS identity_options,
  CASE WHEN a.attcollation <> t.typcollation THEN ${qualified('cn.nspname', 'co.collname')} END AS collation,
  a.attislocal AS is_local, a.attinhcount AS inherit_count,
  CASE WHEN bt.typtype IN ('e', 'd') THEN bt.typtype END AS uses_type_kind, bn.nspname AS uses_type_schema, bt.typname AS uses_type_name,
  col_description(c.oid, a.attnum) AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END
JOIN pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'c', 'f')
  AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}`;

export const CONSTRAINTS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, co.conname AS name, co.contype AS type,
  pg_get_constraintdef(co.oid) AS definition, co.condeferrable AS deferrable, co.condeferred AS deferred,
  co.convalidated AS validated, (co.conparentid <> 0 OR (NOT co.conislocal AND co.coninhcount > 0)) AS inherited,
  obj_description(co.oid, 'pg_constraint') AS comment
FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE co.contype IN ('p', 'u', 'c', 'f', 'x') AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}`;

export const INDEXES_SQL = `
SELECT n.nspname AS schema, t.relname AS table, t.relkind AS table_kind, ic.relname AS name,
  pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid,
  (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits inh JOIN pg_class pc ON pc.oid = inh.inhparent
    JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE inh.inhrelid = ic.oid) AS parent_index,
  obj_description(ic.oid, 'pg_class') AS comment
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'ic.oid')} AND ${notExtensionOwned('pg_class', 't.oid')}
  AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))`;

export const FUNCTIONS_SQL = `
SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, p.prokind AS kind,
  pg_get_functiondef(p.oid) AS definition, obj_description(p.oid, 'pg_proc') AS comment,
  ARRAY(SELECT DISTINCT rn.nspname || '.' || rc.relname FROM pg_depend d JOIN pg_type rt ON rt.oid = d.refobjid
    JOIN pg_class rc ON rc.oid = rt.typrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_type'::regclass) AS row_types
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w') AND ${userSchema('n')} AND ${notExtensionOwned('pg_proc', 'p.oid')}`;

export const TRIGGERS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, tg.tgname AS name, pg_get_triggerdef(tg.oid) AS definition,
  tg.tgenabled AS enabled, obj_description(tg.oid, 'pg_trigger') AS comment
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}`;

export const POLICIES_SQL = `
SELECT n.nspname AS schema, c.relname AS table, p.polname AS name,
  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
  CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS permissive,
  (SELECT string_agg(role_name, ', ' ORDER BY role_name) FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END AS role_name
    FROM unnest(p.polroles) AS r) AS role_names) AS roles,
  pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
  obj_description(p.oid, 'pg_policy') AS comment
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${userSchema('n')}`;

export const VIEW_DEPENDENCIES_SQL = `
SELECT DISTINCT vn.nspname AS schema, v.relname AS name,
  CASE WHEN d.refclassid = 'pg_class'::regclass THEN rc.relkind::text ELSE 'F' END AS ref_kind,
  coalesce(rcn.nspname, pn.nspname) AS ref_schema, coalesce(rc.relname, pp.proname) AS ref_name,
  CASE WHEN pp.oid IS NOT NULL THEN pg_get_function_identity_arguments(pp.oid) END AS ref_args
FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refobjid <> r.ev_class
LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
LEFT JOIN pg_namespace rcn ON rcn.oid = rc.relnamespace
LEFT JOIN pg_proc pp ON d.refclassid = 'pg_proc'::regclass AND pp.oid = d.refobjid
LEFT JOIN pg_namespace pn ON pn.oid = pp.pronamespace
WHERE v.relkind IN ('v', 'm') AND ${userSchema('vn')} AND (rc.oid IS NOT NULL OR pp.oid IS NOT NULL)`;

export const PRIVILEGES_SQL = `
WITH objects AS (
  SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS keyword, n.nspname AS schema, c.relname AS name,
    NULL::text AS args, NULL::text AS column_name,
    coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's'::"char" ELSE 'r'::"char" END, c.relowner)) AS acl, c.relowner AS owner
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}
  UNION ALL
  SELECT 'COLUMN', n.nspname, c.relname, NULL, a.attname, a.attacl, c.relowner
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND ${userSchema('n')} AND ${notExtensionOwned('pg_class', 'c.oid')}
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), NULL,
    coalesce(p.proacl, acldefault('f', p.proowner)), p.proowner
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p', 'w') AND ${userSchema('n')} AND ${notExtensionOwned('pg_proc', 'p.oid')}
  UNION ALL
  SELECT 'SCHEMA', n.nspname, NULL, NULL, NULL, coalesce(n.nspacl, acldefault('n', n.nspowner)), n.nspowner
  FROM pg_namespace n WHERE ${userSchema('n')} AND ${notExtensionOwned('pg_namespace', 'n.oid')}
)
SELECT o.keyword, o.schema, o.name, o.args, o.column_name,
  CASE WHEN x.grantee = 0 THEN 'PUBLIC' WHEN x.grantee = o.owner THEN 'OWNER' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee,
  x.privilege_type AS privilege, x.is_grantable AS grantable
FROM objects o, aclexplode(o.acl) AS x`;
