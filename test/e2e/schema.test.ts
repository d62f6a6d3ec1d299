import { join } from 'node:path';
/**
 * `accord schema diff` as a user runs it: exit codes 0/1/2, the three output formats,
 * and one clear line for bad input.
 */
import { expect } from 'chai';
import { getFreePort } from '../../src/env/index.js';
import { accord, REPO_ROOT } from '../support/accord.js';

const fixture = (name: string, file = 'a.sql') => `test/fixtures/schema/${name}/${file}`;

const schemaDiff = (args: string[]) => accord(['schema', 'diff', ...args]);

describe('accord schema diff (CLI)', function () {
  this.timeout(180_000);

  it('exits 0 with "identical": true for the same schema written two ways (--from/--to, json)', async () => {
    const result = await schemaDiff(['--from', fixture('identical-schemas', 'a.sql'), '--to', fixture('identical-schemas', 'b.sql'), '--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({ identical: true, differences: [] });
  });

  it('exits 1 on drift and names the object in json and text', async () => {
    const args = ['--from', fixture('column-added', 'a.sql'), '--to', fixture('column-added', 'b.sql')];
    const json = await schemaDiff([...args, '--format', 'json']);
    expect(json.exitCode, json.stderr).to.equal(1);
    expect(JSON.parse(json.stdout)).to.deep.equal({
      identical: false,
      differences: [{ kind: 'column', object: 'public.items.note', change: 'added', attribute: null, expected: null, actual: 'text', level: 'error', finding: 'unexpected' }],
    });
    const text = await schemaDiff([...args, '--format', 'text', '--no-pg-dump']);
    expect(text.exitCode).to.equal(1);
    expect(text.stdout).to.match(/DRIFT: 1 difference/);
    expect(text.stdout).to.match(/error\s+column public\.items\.note: unexpected \(found: text\)/);
  });

  it('prints the statements that turn the first schema into the second, destructive ones marked (--format sql)', async () => {
    const result = await schemaDiff(['--from', fixture('column-added', 'a.sql'), '--to', fixture('column-added', 'b.sql'), '--format', 'sql']);
    expect(result.exitCode).to.equal(1);
    expect(result.stdout).to.contain('-- DESTRUCTIVE: drops column public.items.note and its data\nALTER TABLE "public"."items" DROP COLUMN "note";');
  });

  it('passes by default: a database migrated from migrations/ matches schemas/database-v2.sql', async () => {
    const result = await schemaDiff(['--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({ identical: true, differences: [] });
    expect(result.stderr).to.match(/schema version: 3 migration\(s\) recorded, 3 file\(s\) .*all match/);
  });

  describe('bad input: one clear line, exit 2', () => {
    it('SQL that does not load: the Postgres error with file and line', async () => {
      const result = await schemaDiff(['--from', fixture('sql-does-not-load'), '--to', fixture('identical-schemas', 'b.sql')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim()).to.equal(`accord: ${join(REPO_ROOT, 'test/fixtures/schema/sql-does-not-load/a.sql')}:4: type "no_such_type" does not exist`);
    });

    it('a file that does not exist', async () => {
      const result = await schemaDiff(['--from', fixture('no-such-case'), '--to', fixture('identical-schemas', 'b.sql')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim()).to.equal(`accord: schema file ${join(REPO_ROOT, 'test/fixtures/schema/no-such-case/a.sql')} does not exist`);
    });

    it('a database that is unreachable', async () => {
      const port = await getFreePort();
      const result = await schemaDiff(['--database-url', `postgres://accord:secret@127.0.0.1:${port}/app`, '--to', fixture('identical-schemas', 'b.sql')]);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim()).to.equal(`accord: cannot connect to PostgreSQL at postgres://accord:***@127.0.0.1:${port}/app: connect ECONNREFUSED 127.0.0.1:${port}`);
    });
  });
});
