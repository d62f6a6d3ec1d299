import { objectKey } from '../../../src/schema/index.js';
import type { ObjectKind, SchemaModel, SchemaObject, SchemaObjectMeta } from '../../../src/schema/index.js';

/** A hand-built catalog object (tests of the diff and the SQL generator need no database). */
export function object(kind: ObjectKind, path: string[], attributes: Record<string, string | null>, meta: SchemaObjectMeta = {}, name = path.join('.')): SchemaObject {
  return { kind, name, path, attributes, meta };
}

/** A model holding `objects`. */
export function model(...objects: SchemaObject[]): SchemaModel {
  return { serverVersion: '14', objects: new Map(objects.map((o) => [objectKey(o.kind, o.name), o])) };
}

/** A table `public.<name>` with plain columns. */
export function table(name: string, columns: Array<[string, string, Record<string, string | null>?]>, tableAttributes: Record<string, string | null> = {}): SchemaObject[] {
  const key = objectKey('table', `public.${name}`);
  return [
    object('table', ['public', name], { unlogged: 'no', row_level_security: 'no', comment: null, ...tableAttributes }),
    ...columns.map(([column, type, extra], i) =>
      object('column', ['public', name, column], { type, not_null: 'no', default: null, position: String(i + 1), comment: null, ...extra }, { parent: key, inherited: false }),
    ),
  ];
}
