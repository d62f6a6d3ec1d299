import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { assertStatesDefined, defineProviderStates, isProviderStates } from '../../../src/pact/index.js';
import type { PactFileSummary } from '../../../src/pact/index.js';

describe('defineProviderStates', () => {
  const noop = async () => undefined;

  it('registers plain functions as setups and keeps { setup, teardown } as given', () => {
    const teardown = async () => undefined;
    const states = defineProviderStates({ 'an item exists': noop, 'the database is down': { setup: noop, teardown } }, { cacheKeys: ['item:*'] });
    expect(isProviderStates(states)).to.equal(true);
    expect(states.names).to.deep.equal(['an item exists', 'the database is down']);
    expect(states.get('an item exists')).to.deep.equal({ setup: noop });
    expect(states.get('the database is down')?.teardown).to.equal(teardown);
    expect(states.get('unknown')).to.equal(undefined);
    expect(states.cacheKeys).to.deep.equal(['item:*']);
  });

  it('keeps the beforeEach / afterEach hooks and the request filter, and refuses one that is not a function', () => {
    const beforeEach = async () => undefined;
    const requestFilter = () => undefined;
    const states = defineProviderStates({ 'an item exists': noop }, { beforeEach, requestFilter });
    expect(states.beforeEach).to.equal(beforeEach);
    expect(states.afterEach).to.equal(undefined);
    expect(states.requestFilter).to.equal(requestFilter);
    expect(() => defineProviderStates({}, { afterEach: 'cleanup' as never })).to.throw(/^defineProviderStates: afterEach must be a function, got /);
  });

  it('refuses a handler that is not a function or { setup }', () => {
    expect(() => defineProviderStates({ broken: { teardown: noop } as never })).to.throw(/expected state "broken" to be a function or \{ setup, teardown\? \}, got an object with keys teardown/);
  });

  it('assertStatesDefined names every state without a handler, with its pact and interaction', () => {
    const states = defineProviderStates({ 'an item exists': noop });
    const pact: PactFileSummary = {
      file: '/repo/pacts/a-b.json',
      consumer: 'a',
      provider: 'b',
      specification: '4.0',
      interactions: [
        { description: 'ok', providerStates: [{ name: 'an item exists', params: {} }], method: 'GET', path: '/', kind: 'http' },
        { description: 'needs a warehouse', providerStates: [{ name: 'a warehouse exists', params: {} }], method: 'GET', path: '/', kind: 'http' },
      ],
    };
    expect(() => assertStatesDefined([pact], states, '/repo')).to.throw(/no handler for provider state "a warehouse exists" \(pacts\/a-b\.json, interaction "needs a warehouse"\)/);
    try {
      assertStatesDefined([pact], states, '/repo');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_PROVIDER_STATE_MISSING')).to.equal(true);
    }
    expect(() => assertStatesDefined([{ ...pact, interactions: [pact.interactions[0] as never] }], states, '/repo')).not.to.throw();
  });
});
