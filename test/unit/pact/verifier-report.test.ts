import { expect } from 'chai';
import { parseVerifierReport } from '../../../src/pact/index.js';

// The shape pact_ffi's verifier JSON had for a run with one body, one status failure and one pass.
const REPORT = JSON.stringify({
  result: false,
  notices: [],
  output: ['\nVerifying a pact between \u001b[1mservice-a\u001b[0m and \u001b[1mservice-b\u001b[0m'],
  pendingErrors: [],
  errors: [
    {
      interaction: 'Verifying a pact between service-a and service-b Given an item exists - get item',
      mismatch: { interactionId: '', type: 'mismatches', mismatches: [{ actual: '["name","sku"]', expected: '["color","sku"]', mismatch: 'Actual map is missing the following keys: color', path: '$', type: 'BodyMismatch' }] },
    },
    {
      interaction: 'Verifying a pact between service-a and service-b Given nobody handles this - missing state',
      mismatch: { interactionId: '', type: 'mismatches', mismatches: [{ actual: 404, expected: 200, mismatch: 'expected 200 but was 404', type: 'StatusMismatch' }] },
    },
    { interaction: 'Verifying a pact between service-a and service-b - broken', mismatch: { type: 'error', message: 'Request failed with an error: connection refused' } },
  ],
  interactionResults: [
    { description: 'get item', duration: '84ms', result: 'Error' },
    { description: 'no state', duration: '28ms', result: 'OK' },
    { description: 'missing state', duration: '28ms', result: 'Error' },
    { description: 'broken', duration: '1ms', result: 'Error' },
  ],
});

describe('parseVerifierReport', () => {
  it('gives each interaction, in run order, its mismatches as attribute/location/message', () => {
    const report = parseVerifierReport(REPORT);
    expect(report.ok).to.equal(false);
    expect(report.output).to.equal('\nVerifying a pact between service-a and service-b');
    expect(report.interactions).to.deep.equal([
      { description: 'get item', ok: false, mismatches: [{ attribute: 'body', location: '$', message: 'Actual map is missing the following keys: color' }] },
      { description: 'no state', ok: true, mismatches: [] },
      { description: 'missing state', ok: false, mismatches: [{ attribute: 'status', location: 'status', message: 'expected 200 but was 404' }] },
      { description: 'broken', ok: false, mismatches: [{ attribute: 'error', location: '', message: 'Request failed with an error: connection refused' }] },
    ]);
  });
});
