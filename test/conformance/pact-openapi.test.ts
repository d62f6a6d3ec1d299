import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkPacts } from '../../src/contract/index.js';
import type { PactFinding } from '../../src/contract/index.js';
import { isAccordError } from '../../src/errors/index.js';
import { corpusCases, expectAtLeastRecorded, listedDisagreements, ratio } from './corpus.js';

interface Outcome {
  success: boolean | null;
  errors?: { code: string }[];
  warnings?: { code: string }[];
  error_count?: number;
  spec_invalid?: boolean;
}

const CONFORMANCE_FILE = 'docs/conformance/contract-pact-openapi.md';
const OBSERVED_OPC = '@pactflow/openapi-pact-comparator@2.3.1';

/** Runs one case exactly as `accord contract check-pacts --pacts pact.json --contract spec.yaml` does. */
async function runCase(dir: string): Promise<{ findings: PactFinding[] } | { rejected: string }> {
  const spec = existsSync(path.join(dir, 'spec.yaml')) ? 'spec.yaml' : 'spec.json';
  try {
    return { findings: (await checkPacts({ pacts: 'pact.json', contract: spec, cwd: dir })).findings };
  } catch (error) {
    if (isAccordError(error)) return { rejected: error.message };
    throw error;
  }
}

function codes(list: { code: string }[]): string {
  return list.map((item) => item.code).sort().join(',');
}

describe('contract check-pacts conformance with PactFlow (corpora/pact-openapi)', () => {
  it('agrees on success/failure and on error codes (≥ 95%)', async function () {
    this.timeout(60_000);
    const disagree = { success: [] as string[], codes: [] as string[] };
    // Pacts the spec they claim does not allow (no interactions, an unknown interaction type):
    // every Accord command refuses them as bad input, by rule, where the comparator reads on.
    // They are listed apart, must be refused, and do not count for or against the agreement.
    const refusedByRule = listedDisagreements(CONFORMANCE_FILE).get('refused') ?? new Set<string>();
    const refused: string[] = [];
    let successTotal = 0;
    let successAgree = 0;
    let codesTotal = 0;
    let codesAgree = 0;
    for (const { name, dir } of corpusCases('pact-openapi')) {
      const file = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { expected: Outcome; observed: Record<string, Outcome> };
      // Cases upstream asserts nothing about (052-054) are compared with the comparator's recorded output.
      const expected = file.expected.success === null && file.expected.spec_invalid !== true ? (file.observed[OBSERVED_OPC] as Outcome) : file.expected;
      const outcome = await runCase(dir);
      if (refusedByRule.has(name)) {
        expect(outcome, `${name} is listed as refused by rule`).to.have.property('rejected');
        refused.push(name);
        continue;
      }

      successTotal += 1;
      codesTotal += 1;
      if ('rejected' in outcome) {
        const agrees = expected.spec_invalid === true;
        if (agrees) successAgree += 1;
        else disagree.success.push(name);
        if (agrees) codesAgree += 1;
        else disagree.codes.push(name);
        continue;
      }
      const errors = outcome.findings.filter((finding) => finding.level === 'error');
      if (expected.spec_invalid !== true && (errors.length === 0) === expected.success) successAgree += 1;
      else disagree.success.push(name);
      // Full upstream snapshots give every error; the SMV e2e assertions give a count and the codes they name.
      const codesMatch = expected.error_count === undefined
        ? codes(errors) === codes(expected.errors ?? [])
        : errors.length === expected.error_count && (expected.errors ?? []).every((item) => errors.some((error) => error.code === item.code));
      if (codesMatch && expected.spec_invalid !== true) codesAgree += 1;
      else disagree.codes.push(name);
    }
    console.log(`      pact-openapi corpus: success/failure agrees ${ratio(successAgree, successTotal)} (goal ≥ 95%)`);
    console.log(`      pact-openapi corpus: error codes agree ${ratio(codesAgree, codesTotal)} (goal ≥ 95%)`);

    expect(successAgree / successTotal).to.be.at.least(0.95);
    expect(codesAgree / codesTotal).to.be.at.least(0.95);
    expectAtLeastRecorded('pactOpenapi.success', { agree: successAgree, total: successTotal });
    expectAtLeastRecorded('pactOpenapi.errorCodes', { agree: codesAgree, total: codesTotal });
    expect(refused).to.have.members([...refusedByRule]);
    const listed = listedDisagreements(CONFORMANCE_FILE);
    expect(disagree.success, `success disagreements listed in ${CONFORMANCE_FILE}`).to.have.members([...(listed.get('success') ?? [])]);
    expect(disagree.codes, `error-code disagreements listed in ${CONFORMANCE_FILE}`).to.have.members([...(listed.get('error codes') ?? [])]);
  });
});
