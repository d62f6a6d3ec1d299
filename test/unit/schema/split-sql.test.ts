import { expect } from 'chai';
import { lineAt, splitSql } from '../../../src/schema/split-sql.js';

describe('splitSql', () => {
  it('splits at top-level semicolons and records each statement line', () => {
    const statements = splitSql('create table a (id int);\n\ncreate table b (id int);\n');
    expect(statements.map((s) => [s.text, s.line])).to.deep.equal([
      ['create table a (id int)', 1],
      ['create table b (id int)', 3],
    ]);
  });

  it('keeps semicolons inside strings, quoted identifiers, comments and dollar quotes', () => {
    const sql = [
      "insert into t values ('a;b', E'c\\';d');",
      'create table "x;y" (id int); -- trailing; comment',
      '/* block; /* nested; */ still; */ select 1;',
      'create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;',
      'create function g() returns int language sql as $$ select 1; $$;',
    ].join('\n');
    const statements = splitSql(sql);
    expect(statements).to.have.length(5);
    expect(statements[0]?.text).to.equal("insert into t values ('a;b', E'c\\';d')");
    expect(statements[3]?.text).to.contain('$body$ begin return 1; end; $body$');
    expect(statements[4]?.line).to.equal(5);
  });

  it('keeps a BEGIN ATOMIC body in one statement', () => {
    const statements = splitSql('create function f() returns int language sql begin atomic select 1; select 2; end;\nselect 3;');
    expect(statements.map((s) => s.text)).to.deep.equal(['create function f() returns int language sql begin atomic select 1; select 2; end', 'select 3']);
  });

  it('starts a statement at its first word: leading comments do not move its line', () => {
    const statements = splitSql('-- header\n/* block */\n\nselect 1;\n-- why\nselect\n2;');
    expect(statements.map((s) => [s.text, s.line, s.offset])).to.deep.equal([
      ['select 1', 4, 23],
      ['select\n2', 6, 40],
    ]);
  });

  it('ends an unterminated comment, string or dollar quote at the end of the file', () => {
    expect(splitSql("select 1; select '/* never closed").map((s) => s.text)).to.deep.equal(['select 1', "select '/* never closed"]);
    expect(splitSql('select 1; /* /* never closed */').map((s) => s.text)).to.deep.equal(['select 1']);
    expect(splitSql('select $x$ never closed;').map((s) => s.text)).to.deep.equal(['select $x$ never closed;']);
  });

  it('drops empty and comment-only pieces', () => {
    expect(splitSql(';;\n-- only a comment\n;')).to.deep.equal([]);
  });

  it('maps an offset to its 1-based line', () => {
    expect(lineAt('a\nb\nc', 0)).to.equal(1);
    expect(lineAt('a\nb\nc', 4)).to.equal(3);
  });
});
