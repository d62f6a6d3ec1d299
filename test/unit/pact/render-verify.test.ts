import { expect } from 'chai';
import { renderVerifyJunit, renderVerifyText, toVerifyJson } from '../../../src/pact/index.js';
import type { VerifyResult } from '../../../src/pact/index.js';

const RESULT: VerifyResult = {
  ok: false,
  provider: 'service-b',
  interactions: [
    { description: 'a request for an item', providerStates: ['an item exists'], ok: true, mismatches: [], consumer: 'service-a', stateSetupMs: 3 },
    {
      description: 'a request for <stock> & more',
      providerStates: [],
      ok: false,
      mismatches: [{ attribute: 'contract', location: '$.stock', message: 'GET /items/X → 200: $.stock must be >= 0' }],
      consumer: 'service-a',
      stateSetupMs: 2,
    },
  ],
  verifierOutput: '',
  published: undefined,
  timings: { verifyMs: 1500 },
};

describe('verify result rendering', () => {
  it('JSON has exactly the issue\'s shape and nothing more', () => {
    expect(toVerifyJson(RESULT)).to.deep.equal({
      ok: false,
      interactions: [
        { description: 'a request for an item', providerStates: ['an item exists'], ok: true, mismatches: [] },
        { description: 'a request for <stock> & more', providerStates: [], ok: false, mismatches: [{ attribute: 'contract', location: '$.stock', message: 'GET /items/X → 200: $.stock must be >= 0' }] },
      ],
    });
  });

  it('text names each interaction, its states and its mismatches', () => {
    const text = renderVerifyText(RESULT);
    expect(text).to.include('PASS  a request for an item (given "an item exists")');
    expect(text).to.include('FAIL  a request for <stock> & more\n        contract $.stock: GET /items/X → 200: $.stock must be >= 0');
    expect(text).to.include('verify: 1 of 2 interaction(s) failed for service-b');
  });

  it('JUnit has one test case per interaction and an escaped failure', () => {
    const xml = renderVerifyJunit(RESULT);
    expect(xml).to.include('<testsuites name="accord verify" tests="2" failures="1" time="1.500">');
    expect(xml).to.include('<testcase classname="pact.service-a.service-b" name="a request for an item (given an item exists)"/>');
    expect(xml).to.include('name="a request for &lt;stock&gt; &amp; more"');
    expect(xml).to.include('<failure message="contract $.stock: GET /items/X → 200: $.stock must be &gt;= 0">');
  });
});
