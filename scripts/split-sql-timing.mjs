#!/usr/bin/env node
// Times splitSql on generated SQL of growing size (1, 5, 20 MB by default) and prints the time per
// size, to show the splitter is linear: `node --import tsx --conditions accord-source scripts/split-sql-timing.mjs [MB...]`.
// Each script mixes what the lexer treats specially: comments, quoted strings and identifiers,
// dollar-quoted bodies, BEGIN ATOMIC bodies and one long statement with many parentheses.
import { performance } from 'node:perf_hooks';
import { splitSql } from '../src/schema/split-sql.ts';

const pieces = [
  '-- a comment; with a semicolon\n',
  "create table t_N (id int primary key, note text default 'a;b', \"odd;name\" int);\n",
  '/* block; /* nested */ comment */ insert into t_N values (1, E\'x\\\';y\', 2);\n',
  'create function f_N() returns int language plpgsql as $body$ begin return 1; end; $body$;\n',
  'create function g_N() returns int language sql begin atomic select 1; select 2; end;\n',
];

function generate(bytes) {
  const parts = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const piece = pieces[n % pieces.length].replaceAll('_N', `_${n}`);
    parts.push(piece);
    size += piece.length;
  }
  // One statement of a megabyte: a long VALUES list.
  parts.push(`insert into big values ${Array.from({ length: 50_000 }, (_, k) => `(${k}, 'v${k};')`).join(', ')};\n`);
  return parts.join('');
}

const sizes = process.argv.slice(2).map(Number).filter((mb) => mb > 0);
let previous;
for (const mb of sizes.length > 0 ? sizes : [1, 5, 20]) {
  const sql = generate(mb * 1024 * 1024);
  const started = performance.now();
  const statements = splitSql(sql);
  const ms = performance.now() - started;
  const perMb = ms / (sql.length / 1024 / 1024);
  console.log(`${(sql.length / 1024 / 1024).toFixed(1)} MB: ${statements.length} statements in ${ms.toFixed(0)} ms (${perMb.toFixed(1)} ms/MB)${previous ? `, ${(perMb / previous).toFixed(2)}x the ms/MB of the size before` : ''}`);
  previous = perMb;
}
