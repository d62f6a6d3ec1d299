import { expect } from 'chai';
import { pactProblems } from '../../../src/pact-file/index.js';

const http = (extra: Record<string, unknown> = {}) => ({ description: 'd', request: { method: 'GET', path: '/x' }, response: { status: 200 }, ...extra });
const pact = (version: string | undefined, interactions: unknown[], extra: Record<string, unknown> = {}) => ({
  consumer: { name: 'a' },
  provider: { name: 'b' },
  interactions,
  ...(version === undefined ? {} : { metadata: { pactSpecification: { version } } }),
  ...extra,
});

describe('pact specification checks (V1–V4, HTTP and message)', () => {
  it('accepts well-formed pacts of each version', () => {
    expect(pactProblems(pact(undefined, [http()]))).to.deep.equal([]);
    expect(pactProblems(pact('2.0.0', [http({ response: { status: 200, matchingRules: { '$.body.id': { match: 'type' }, '$.body.name': { regex: '^a' } } } })]))).to.deep.equal([]);
    expect(pactProblems(pact('3.0.0', [http({ response: { status: 200, matchingRules: { body: { '$.id': { matchers: [{ match: 'integer' }], combine: 'AND' } }, path: { matchers: [{ match: 'regex', regex: '^/x' }] } } } })]))).to.deep.equal([]);
    expect(pactProblems({ consumer: { name: 'a' }, provider: { name: 'b' }, messages: [{ description: 'm', contents: {} }], metadata: { pactSpecification: { version: '3.0.0' } } })).to.deep.equal([]);
    expect(pactProblems(pact('4.0', [{ ...http(), type: 'Synchronous/HTTP' }, { type: 'Asynchronous/Messages', description: 'e', contents: { content: {} }, matchingRules: { body: {} } }]))).to.deep.equal([]);
  });

  it('names an unknown version, a missing interactions key and an unknown V4 type', () => {
    expect(pactProblems(pact('9.9.9', [http()]))).to.deep.equal(['unknown pact specification version `9.9.9` (string): Accord reads versions 1 to 4']);
    expect(pactProblems({ consumer: { name: 'a' }, provider: { name: 'b' } })[0]).to.match(/^no `interactions`/);
    expect(pactProblems(pact('4.0', [{ type: 'Synchronous/Telepathy', description: 'x' }]))).to.deep.equal([
      'interactions[0]: unknown interaction type `Synchronous/Telepathy` (string) (expected Synchronous/HTTP, Asynchronous/Messages, Synchronous/Messages)',
    ]);
  });

  it('needs a request and a response in an HTTP interaction', () => {
    expect(pactProblems(pact('3.0.0', [{ description: 'x', response: { status: 200 } }]))).to.deep.equal(['interactions[0]: an HTTP interaction needs a `request` object, got nothing']);
    expect(pactProblems(pact('4.0', [{ type: 'Synchronous/HTTP', description: 'x', request: { method: 'GET', path: '/' } }]))).to.deep.equal(['interactions[0]: an HTTP interaction needs a `response` object, got nothing']);
    expect(pactProblems(pact('2.0.0', [http({ request: { method: 7, path: '/' }, response: { status: 999 } })]))).to.deep.equal([
      'interactions[0]: expected `request.method` to be a string, got `7` (number)',
      'interactions[0]: expected `response.status` to be an HTTP status (100-599), got `999` (number)',
    ]);
  });

  it('refuses broken matching rules: wrong shape for the version, unknown matcher, invalid regex', () => {
    const rules = (matchingRules: unknown, version = '3.0.0') => pactProblems(pact(version, [http({ response: { status: 200, matchingRules } })]));
    expect(rules('nope')).to.deep.equal(['interactions[0].response.matchingRules: expected an object, got `nope` (string)']);
    expect(rules({ body: { '$.id': { matchers: 'type' } } })).to.deep.equal(['interactions[0].response.matchingRules.body[$.id]: expected `{ "matchers": [...] }`, got `matchers` `type` (string)']);
    expect(rules({ body: { '$.id': { matchers: [{ match: 'telepathy' }] } } })).to.deep.equal(['interactions[0].response.matchingRules.body[$.id].matchers[0]: unknown matcher `telepathy` (string)']);
    expect(rules({ body: { '$.id': { matchers: [{ match: 'regex', regex: '([' }] } } })).to.deep.equal(['interactions[0].response.matchingRules.body[$.id].matchers[0]: `regex` `([` (string) is not a valid regular expression']);
    expect(rules({ bogus: {} })[0]).to.match(/unknown matching rule category `bogus`/);
    expect(rules({ 'body.id': { match: 'type' } }, '2.0.0')).to.deep.equal(['interactions[0].response.matchingRules: V2 rule keys are paths starting with `$`, got `body.id` (string)']);
  });

  it('shows control characters in a value escaped and cuts long ones', () => {
    const [problem] = pactProblems(pact('4.0', [{ type: `bad\u0000\u001b[31m${'x'.repeat(100)}`, description: 'x' }]));
    expect(problem).to.contain('bad\\x00\\x1b[31m');
    expect(problem).to.contain('…');
    expect(problem?.length).to.be.below(250);
  });
});
