import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';

/** A normalised `pg_dump --schema-only`, or why none could be taken. */
export type SchemaDump = { ok: true; lines: string[] } | { ok: false; reason: string };

/** The `pg_dump` on PATH, if any (the embedded PostgreSQL package ships none). */
export async function findPgDump(path: string = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'pg_dump');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Dumps the schema of `url` as comparable lines: no comments, no SET noise, no owners, no
 * grants (privileges are compared structurally; owners legitimately differ), no
 * node-pg-migrate table. A pg_dump that refuses the server (older major) is a reason, not an error.
 */
export async function dumpSchema(pgDump: string, url: string, ignoreTables: readonly string[], scope: { includeSchemas: readonly string[]; excludeSchemas: readonly string[] } = { includeSchemas: [], excludeSchemas: [] }): Promise<SchemaDump> {
  const help = await execa(pgDump, ['--help'], { reject: false });
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--no-comments', '--no-tablespaces'];
  if (help.stdout.includes('--restrict-key')) args.push('--restrict-key=accord');
  for (const table of ignoreTables) args.push('-T', table, '-T', `${table}_id_seq`);
  for (const schema of scope.includeSchemas) args.push('-n', schema);
  for (const schema of scope.excludeSchemas) args.push('-N', schema);
  const result = await execa(pgDump, [...args, '--dbname', url], { reject: false, timeout: 60_000 });
  if (result.exitCode !== 0) {
    const firstLine = result.stderr.split('\n').find((line) => line.trim()) ?? `exit code ${String(result.exitCode)}`;
    return { ok: false, reason: firstLine.replace(/^pg_dump: (error: )?/, '') };
  }
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--') && !/^\\(un)?restrict /.test(line) && !/^SET /.test(line) && !line.startsWith('SELECT pg_catalog.set_config'));
  return { ok: true, lines };
}

/** Lines only in `actual` and only in `expected` (multiset difference), at most `limit` each. */
export function dumpDifference(actual: readonly string[], expected: readonly string[], limit = 5): { extra: string[]; missing: string[] } {
  const count = (lines: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    return counts;
  };
  const take = (from: readonly string[], other: Map<string, number>) => {
    const out: string[] = [];
    for (const line of from) {
      const left = other.get(line) ?? 0;
      if (left > 0) other.set(line, left - 1);
      else out.push(line.trim());
    }
    return out.slice(0, limit);
  };
  return { extra: take(actual, count(expected)), missing: take(expected, count(actual)) };
}
