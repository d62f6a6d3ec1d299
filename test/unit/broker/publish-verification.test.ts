import { expect } from 'chai';
import { verificationResultBody } from '../../../src/broker/client/index.js';

describe('verificationResultBody: what verify --publish sends is what it printed', () => {
  it('a contract mismatch is a failed test result with its mismatch; a passed interaction has none', () => {
    const body = verificationResultBody({
      success: false,
      providerVersion: '2.0.0',
      buildUrl: 'https://ci.example/builds/7',
      results: [
        { description: 'a request for product 10', ok: false, mismatches: [{ attribute: 'contract', location: 'GET /products/{id} 200', message: "body must have required property 'price'" }] },
        { description: 'a request for a product that does not exist', ok: true, mismatches: [] },
      ],
    });
    expect(body).to.deep.equal({
      success: false,
      providerApplicationVersion: '2.0.0',
      buildUrl: 'https://ci.example/builds/7',
      testResults: [
        { interactionDescription: 'a request for product 10', success: false, mismatches: [{ attribute: 'contract', description: "GET /products/{id} 200: body must have required property 'price'" }] },
        { interactionDescription: 'a request for a product that does not exist', success: true },
      ],
      verifiedBy: { implementation: 'accord verify' },
    });
  });

  it('leaves out an absent build URL and an empty location', () => {
    const body = verificationResultBody({ success: false, providerVersion: '1', results: [{ description: 'd', ok: false, mismatches: [{ attribute: 'status', location: '', message: 'expected 200 but was 401' }] }] });
    expect(body).not.to.have.property('buildUrl');
    expect(body.testResults).to.deep.equal([{ interactionDescription: 'd', success: false, mismatches: [{ attribute: 'status', description: 'expected 200 but was 401' }] }]);
  });
});
