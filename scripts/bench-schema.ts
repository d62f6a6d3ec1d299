/**
 * Schema diff speed: two databases of 500 tables (10 columns, 2 indexes, 1 foreign key each),
 * the second with 5 small changes; times introspecting both (in parallel, as `accord schema
 * diff` does) plus the diff. Goal: <= 2 s. Run: npx tsx scripts/bench-schema.ts
 */
import { cpus, loadavg } from 'node:os';
import { startPostgres } from '../src/env/index.js';
import { createScratchDatabase, diffModels, introspectDatabase, loadSql } from '../src/schema/index.js';

const TABLES = 500;
const RUNS = 5;

function schemaSql(variant: boolean): string {
  const statements: string[] = [];
  for (let i = 0; i < TABLES; i++) {
    const columns = ['id bigint PRIMARY KEY', `parent_id bigint${i > 0 ? ` REFERENCES t${i - 1}(id)` : ''}`];
    for (let c = 2; c < 10; c++) columns.push(`c${c} ${c % 3 === 0 ? 'text' : c % 3 === 1 ? 'integer NOT NULL DEFAULT 0' : 'timestamptz'}`);
    if (variant && i % 100 === 0) columns.push('extra text');
    statements.push(`CREATE TABLE t${i} (${columns.join(', ')})`);
    statements.push(`CREATE INDEX t${i}_c2_idx ON t${i} (c2)`);
    statements.push(`CREATE INDEX t${i}_c3_c4_idx ON t${i} (c3, c4)${variant && i === 7 ? ' WHERE c4 > 0' : ''}`);
  }
  // One FK per table: t0 references the last table so every table has exactly one.
  statements.push(`ALTER TABLE t0 ADD FOREIGN KEY (parent_id) REFERENCES t${TABLES - 1}(id)`);
  return `${statements.join(';\n')};\n`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const postgres = await startPostgres({ databaseUrl: undefined });
try {
  const [a, b] = await Promise.all([createScratchDatabase(postgres), createScratchDatabase(postgres)]);
  try {
    const loadStart = performance.now();
    await Promise.all([loadSql(a.url, schemaSql(false), 'bench-a.sql'), loadSql(b.url, schemaSql(true), 'bench-b.sql')]);
    console.log(`setup: ${TABLES} tables x 10 columns, 2 indexes, 1 FK each, in two databases: loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);
    const totals: number[] = [];
    const introspections: number[] = [];
    const diffs: number[] = [];
    let found = 0;
    let objects = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const [left, right] = await Promise.all([introspectDatabase(a.url), introspectDatabase(b.url)]);
      const introspected = performance.now();
      const differences = diffModels(left, right);
      const finished = performance.now();
      introspections.push(introspected - started);
      diffs.push(finished - introspected);
      totals.push(finished - started);
      found = differences.length;
      objects = left.objects.size;
    }
    console.log(`objects per database: ${objects}; differences found: ${found} (5 added columns, 1 changed index)`);
    console.log(`runs: ${RUNS}; introspect both (median): ${median(introspections).toFixed(0)} ms; diff (median): ${median(diffs).toFixed(1)} ms`);
    console.log(`introspect + diff: median ${median(totals).toFixed(0)} ms, min ${Math.min(...totals).toFixed(0)} ms, max ${Math.max(...totals).toFixed(0)} ms (goal <= 2000 ms)`);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
} finally {
  await postgres.stop();
}
