/**
 * Conformance with two external corpora (ACCORD_CORPORA): migra's 26 fixtures and
 * stripe/pg-schema-diff's 415 acceptance cases, on one embedded PostgreSQL 14 for the whole
 * suite; scratch databases created from template0 once per lane, emptied after each case and
 * dropped at the end (see createDatabasePool for why they are reused).
 * Prints the figures; docs/conformance/schema-misses.md lists every miss with its reason.
 */
import { expect } from 'chai';
import { startPostgres } from '../../src/env/index.js';
import type { StartedPostgres } from '../../src/env/index.js';
import { expectAtLeastRecorded } from './corpus.js';
import { createDatabasePool, createRoles, inBatches, migraCases, psdCases, runMigraCase, runPsdCase } from './schema-harness.js';
import type { DatabasePool, MigraOutcome, PsdOutcome } from './schema-harness.js';

// Two cores: more lanes than this only queue on the server.
const LANES = 4;

describe('schema diff conformance with the migra and pg-schema-diff corpora', function () {
  this.timeout(1_200_000);
  let postgres: StartedPostgres;
  let pool: DatabasePool;

  before(async () => {
    postgres = await startPostgres({ databaseUrl: undefined });
    const roles = new Set(['schemainspect_test_role', 'postgres', ...psdCases().flatMap((c) => c.meta.roles)]);
    await createRoles(postgres, [...roles]);
    pool = await createDatabasePool(postgres, LANES * 2);
  });
  after(async () => {
    await pool?.close();
    await postgres?.stop();
  });

  it('migra: finds drift in all 26 cases, and --format sql turns a into b in at least 90%', async () => {
    const started = Date.now();
    const outcomes: MigraOutcome[] = await inBatches(migraCases(), LANES, (name) => runMigraCase(pool, name));
    const detected = outcomes.filter((o) => o.detected).length;
    const converged = outcomes.filter((o) => o.identicalAfter).length;
    console.log(`      migra: ${outcomes.length} cases, drift found in ${detected}, generated SQL a→b identical in ${converged} (${((100 * converged) / outcomes.length).toFixed(1)}%), ${Date.now() - started} ms`);
    for (const o of outcomes.filter((x) => !x.identicalAfter)) console.log(`      miss ${o.name}: ${o.reason ?? JSON.stringify(o.remaining?.slice(0, 3))}`);
    expect(outcomes).to.have.length(26);
    expect(outcomes.filter((o) => !o.detected).map((o) => o.name)).to.deep.equal([]);
    expect(converged / outcomes.length).to.be.at.least(0.9);
    expectAtLeastRecorded('migra.driftFound', { agree: detected, total: outcomes.length });
    expectAtLeastRecorded('migra.converged', { agree: converged, total: outcomes.length });
  });

  it('pg-schema-diff: no false "identical" on 394 differing cases, no false drift on 21 equal ones', async () => {
    const started = Date.now();
    const cases = psdCases();
    const outcomes: PsdOutcome[] = await inBatches(cases, LANES, (c) => runPsdCase(pool, c.dir, c.meta.drift_label));
    const differ = outcomes.filter((o) => o.label === 'differ');
    const same = outcomes.filter((o) => o.label === 'same');
    const falseIdentical = differ.filter((o) => o.errorDifferences === 0);
    const falseDrift = same.filter((o) => o.errorDifferences > 0);
    const infoOnly = differ.filter((o) => o.errorDifferences === 0 && o.infoDifferences > 0);
    console.log(
      `      pg-schema-diff: ${outcomes.length} cases (${differ.length} differ, ${same.length} same); drift found in ${differ.length - falseIdentical.length}/${differ.length}, ` +
        `false identical ${falseIdentical.length} (${infoOnly.length} with info-level differences only), false drift ${falseDrift.length}/${same.length}; ${Date.now() - started} ms`,
    );
    for (const o of [...falseIdentical, ...falseDrift]) console.log(`      miss ${o.label} ${o.dir}: ${o.sample ?? 'no difference found'}`);
    expect(outcomes).to.have.length(415);
    expectAtLeastRecorded('pgSchemaDiff.agree', { agree: outcomes.length - falseIdentical.length - falseDrift.length, total: outcomes.length });
    expect(falseIdentical.map((o) => o.dir)).to.deep.equal([]);
    expect(falseDrift.map((o) => `${o.dir}: ${o.sample ?? ''}`)).to.deep.equal([]);
  });
});
