import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { StartedPostgres } from '../../src/env/index.js';
import { createScratchDatabase, diffModels, generateMigration, introspectDatabase, loadSql, renderMigration } from '../../src/schema/index.js';
import type { DiffOptions, SchemaDifference } from '../../src/schema/index.js';
import { CORPORA } from './corpus.js';

/** migra's four cases that only make sense with a special option (corpus README). */
export const MIGRA_OPTIONS: Record<string, { options: DiffOptions; createOnly?: boolean }> = {
  singleschema: { options: { includeSchemas: ['goodschema'] } },
  excludeschema: { options: { excludeSchemas: ['excludedschema'] } },
  singleschema_ext: { options: { kinds: ['extension'] }, createOnly: true },
  // migra compares extension versions only in this case; we always do (the default).
  extversions: { options: { extensionVersions: 'error' } },
};

/** Creates the roles a corpus needs (cluster-wide; the embedded cluster goes away with the suite). */
export async function createRoles(postgres: StartedPostgres, roles: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: postgres.adminUrl });
  await client.connect();
  try {
    for (const role of roles) await client.query(`DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  } finally {
    await client.end();
  }
}

/**
 * Scratch databases reused across corpus cases, each with one open connection. Creating and
 * dropping a database copies and unlinks ~1000 files of template0, and every new connection
 * forks a backend with cold catalog caches; together they dominated the corpus run. Instead
 * each database is emptied between cases (every user schema and extension dropped, `public`
 * recreated as template0 has it, session settings reset). The corpora use nothing that
 * outlives that reset (checked: no default privileges, event triggers, casts, text search
 * objects, database settings or SET ROLE).
 */
export interface DatabasePool {
  /** Runs `fn` with two empty databases (as connected clients), resetting them afterwards. */
  withPair<T>(left: { sql: string; file: string }, right: { sql: string; file: string }, fn: (left: pg.Client, right: pg.Client) => Promise<T>): Promise<T>;
  /** Closes the connections and drops every database of the pool. */
  close(): Promise<void>;
}

const RESET_SQL = `
RESET ALL;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP EXECUTE format('DROP EXTENSION %I CASCADE', r.extname); END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $$;
CREATE SCHEMA public;
COMMENT ON SCHEMA public IS 'standard public schema';
GRANT ALL ON SCHEMA public TO PUBLIC;`;

/** Creates `size` scratch databases (from template0, in parallel), each with an open connection. */
export async function createDatabasePool(postgres: StartedPostgres, size: number): Promise<DatabasePool> {
  const all = await Promise.all(
    Array.from({ length: size }, async () => {
      // The corpus is the anchors' own test SQL (amcheck among its extensions), not a pull request's.
      const database = await createScratchDatabase(postgres, { trusted: true });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      client.on('notice', () => undefined);
      return { database, client };
    }),
  );
  const free = [...all];
  const waiting: Array<() => void> = [];
  const take = async () => {
    while (free.length === 0) await new Promise<void>((resolveWait) => waiting.push(resolveWait));
    return free.pop() as (typeof all)[number];
  };
  const give = (entry: (typeof all)[number]) => {
    free.push(entry);
    waiting.shift()?.();
  };
  return {
    async withPair(left, right, fn) {
      const a = await take();
      const b = await take();
      try {
        await Promise.all([loadSql(a.client, left.sql, left.file), loadSql(b.client, right.sql, right.file)]);
        return await fn(a.client, b.client);
      } finally {
        try {
          // A failed statement may leave an open transaction behind: roll it back before the reset.
          await Promise.all([a.client.query('ROLLBACK').then(() => a.client.query(RESET_SQL)), b.client.query('ROLLBACK').then(() => b.client.query(RESET_SQL))]);
        } finally {
          give(a);
          give(b);
        }
      }
    },
    async close() {
      await Promise.all(all.map(async ({ database, client }) => {
        await client.end();
        await database.drop();
      }));
    },
  };
}

const errors = (differences: readonly SchemaDifference[]) => differences.filter((d) => d.level === 'error');

/** Result of one migra case: drift found, and whether our SQL turned a into b. */
export interface MigraOutcome {
  readonly name: string;
  readonly detected: boolean;
  readonly differences: number;
  readonly applied: boolean;
  readonly identicalAfter: boolean;
  readonly reason?: string;
  readonly remaining?: readonly SchemaDifference[];
}

/** Runs one migra case: diff a vs b, apply our `--format sql` to a, diff again. */
export async function runMigraCase(pool: DatabasePool, name: string): Promise<MigraOutcome> {
  const dir = join(CORPORA, 'migra', name);
  const special = MIGRA_OPTIONS[name];
  const options = special?.options ?? {};
  const read = (file: string) => ({ sql: readFileSync(join(dir, file), 'utf8'), file: join(dir, file) });
  return pool.withPair(read('a.sql'), read('b.sql'), async (aClient, bClient) => {
    const [a, b] = await Promise.all([introspectDatabase(aClient), introspectDatabase(bClient)]);
    const differences = diffModels(a, b, options);
    let statements = generateMigration(a, b, options);
    if (special?.createOnly) statements = statements.filter((s) => !/^\s*(DROP|ALTER)/i.test(s.sql));
    const script = renderMigration(statements);
    try {
      await loadSql(aClient, script, `${name}/generated.sql`);
    } catch (error) {
      return { name, detected: errors(differences).length > 0, differences: differences.length, applied: false, identicalAfter: false, reason: (error as Error).message };
    }
    const after = await introspectDatabase(aClient);
    let remaining = errors(diffModels(after, b, options));
    if (special?.createOnly) remaining = remaining.filter((d) => d.change !== 'added');
    return { name, detected: errors(differences).length > 0, differences: differences.length, applied: true, identicalAfter: remaining.length === 0, remaining };
  });
}

/** The migra case names. */
export function migraCases(): string[] {
  return readdirSync(join(CORPORA, 'migra'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** One pg-schema-diff case and what we said about it. */
export interface PsdOutcome {
  readonly dir: string;
  readonly label: 'differ' | 'same';
  readonly errorDifferences: number;
  readonly infoDifferences: number;
  readonly sample?: string;
}

interface PsdMeta {
  drift_label: 'differ' | 'same';
  roles: string[];
}

/** Every pg-schema-diff case directory with its label and roles. */
export function psdCases(): { dir: string; meta: PsdMeta }[] {
  const root = join(CORPORA, 'pg-schema-diff');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'meta.json')))
    .map((entry) => ({ dir: entry.name, meta: JSON.parse(readFileSync(join(root, entry.name, 'meta.json'), 'utf8')) as PsdMeta }))
    .sort((x, y) => x.dir.localeCompare(y.dir));
}

/** Loads old.sql and new.sql of a pg-schema-diff case and diffs them (old = actual, new = expected). */
export async function runPsdCase(pool: DatabasePool, dir: string, label: 'differ' | 'same'): Promise<PsdOutcome> {
  const root = join(CORPORA, 'pg-schema-diff', dir);
  const read = (file: string) => ({ sql: readFileSync(join(root, file), 'utf8'), file: join(root, file) });
  return pool.withPair(read('old.sql'), read('new.sql'), async (oldClient, newClient) => {
    const [a, b] = await Promise.all([introspectDatabase(oldClient), introspectDatabase(newClient)]);
    const differences = diffModels(a, b);
    const errorDiffs = errors(differences);
    const first = errorDiffs[0] ?? differences[0];
    return {
      dir,
      label,
      errorDifferences: errorDiffs.length,
      infoDifferences: differences.length - errorDiffs.length,
      ...(first ? { sample: `${first.change} ${first.kind} ${first.object}${first.attribute ? ` (${first.attribute})` : ''}` } : {}),
    };
  });
}

/** Runs `work` over `items` with at most `limit` in flight, keeping input order in the output. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
