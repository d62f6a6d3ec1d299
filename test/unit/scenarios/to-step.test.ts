import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { EXAMPLE_ROLES } from './example-roles.js';
import { buildTrace, parseLogLines, renderSequenceDiagram, toScenariosStep } from '../../../src/scenarios/index.js';
import type { ScenariosResult } from '../../../src/scenarios/index.js';

const FIXTURE = new URL('../../fixtures/scenarios/b-unavailable-logs/', import.meta.url);

describe('toScenariosStep', () => {
  it('one check per scenario check, the traces as evidence and the recorded sequence diagrams in details', async () => {
    const lines = [...parseLogLines(await readFile(new URL('service-a.log', FIXTURE), 'utf8')), ...parseLogLines(await readFile(new URL('service-b.log', FIXTURE), 'utf8'))];
    const diagram = renderSequenceDiagram(buildTrace('b-unavailable', lines, Date.parse('2026-01-01T00:00:00.900Z'), Date.parse('2026-01-01T00:00:04.000Z')), EXAMPLE_ROLES);
    const result: ScenariosResult = {
      ok: false,
      scenarios: [
        { name: 'b-unavailable', title: 'B unavailable', ok: false, durationMs: 4000, traceFile: 'reports/traces/b-unavailable.json', diagram, checks: [{ name: 'A answers 503', ok: true, detail: '503' }, { name: 'A retried', ok: false, detail: 'made 1 attempt' }] },
      ],
    };
    const step = toScenariosStep(result);
    expect(step).to.include({ id: 'scenarios', status: 'fail', durationMs: 4000 });
    expect(step.checks.map((check) => [check.id, check.status])).to.deep.equal([
      ['b-unavailable/A answers 503', 'pass'],
      ['b-unavailable/A retried', 'fail'],
    ]);
    expect(step.evidence).to.deep.equal([{ label: 'trace b-unavailable', href: 'reports/traces/b-unavailable.json' }]);
    const diagrams = step.details?.diagrams as { title: string; mermaid: string }[];
    expect(diagrams).to.have.length(1);
    expect(diagrams[0]?.mermaid).to.match(/^sequenceDiagram\n/);
    expect(diagrams[0]?.mermaid).to.include('A-xB: POST /reservations');
  });

  it('no scenario run is a failure, not a pass', () => {
    expect(toScenariosStep({ ok: true, scenarios: [] }).status).to.equal('fail');
  });
});
