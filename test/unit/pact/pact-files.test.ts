import { resolve } from 'node:path';
import { expect } from 'chai';
import { loadPactFiles, parsePact } from '../../../src/pact/index.js';
import { rejection } from '../../support/rejection.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => resolve(ROOT, 'test/fixtures/pact', name);


describe('loadPactFiles / parsePact', () => {
  it('reads every interaction with its provider states and parameters', async () => {
    const [pact] = await loadPactFiles(fixture('state-leak-exists-first'), { provider: 'service-b', cwd: ROOT });
    expect(pact?.consumer).to.equal('service-a');
    expect(pact?.specification).to.equal('4.0');
    expect(pact?.interactions.map((interaction) => [interaction.description, interaction.providerStates])).to.deep.equal([
      ['a request for an item that exists', [{ name: 'an item exists', params: { sku: 'LEAK-1', stock: 5 } }]],
      ['a request for an item that does not exist', [{ name: 'no item exists', params: { sku: 'LEAK-1' } }]],
    ]);
  });

  it('names the file when a pact is not JSON', async () => {
    const error = await rejection(loadPactFiles(fixture('pact-not-json'), { provider: 'service-b', cwd: ROOT }));
    expect(error.code).to.equal('ACCORD_PACT_INVALID');
    expect(error.message).to.match(/^test\/fixtures\/pact\/pact-not-json\/pact\.json: not JSON \(.*\); a pact file must be JSON$/);
  });

  it('refuses a directory that holds only pacts for another provider', async () => {
    const error = await rejection(loadPactFiles(fixture('pact-for-another-provider'), { provider: 'service-b', cwd: ROOT }));
    expect(error.code).to.equal('ACCORD_PACT_INVALID');
    expect(error.message).to.include('is for provider "service-c"');
  });

  it('refuses a missing pacts directory', async () => {
    const error = await rejection(loadPactFiles(fixture('no-such-directory'), { provider: 'service-b', cwd: ROOT }));
    expect(error.code).to.equal('ACCORD_FILE_NOT_FOUND');
  });

  it('reads a pact V2 providerState and says what is wrong with a malformed document', () => {
    const v2 = parsePact(JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [{ description: 'd', providerState: 's', request: { method: 'get', path: '/x' }, response: { status: 200 } }] }), 'v2.json');
    expect(v2.interactions[0]).to.deep.equal({ description: 'd', providerStates: [{ name: 's', params: {} }], method: 'GET', path: '/x', kind: 'http' });
    expect(() => parsePact('{"consumer":{"name":"a"},"provider":{},"interactions":[]}', 'p.json')).to.throw(/^p\.json: not a pact: expected `provider\.name`, found top-level keys consumer, provider, interactions$/);
    expect(() => parsePact('{"consumer":{"name":"a"},"provider":{"name":"b"},"interactions":{}}', 'p.json')).to.throw(/expected `interactions` as a list/);
  });
});
