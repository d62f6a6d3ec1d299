/**
 * Every broker route that takes a name (pacticipant, version, branch, tag, environment, selector)
 * from its path, its query or its body: an over-long one, or a NUL byte where PostgreSQL text
 * cannot hold one, is answered 400 or 414 as problem+json, without echoing the long value, and
 * nothing is written.
 */
import { expect } from 'chai';
import { pactContent, startHarness } from './broker-harness.js';
import type { ApiResponse, BrokerHarness, TestBroker } from './broker-harness.js';

const base64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');
/** Longer than any name may be (255), shorter than the URL limit, so the name's own limit answers. */
const LONG = 'n'.repeat(300);
const HUGE = 'n'.repeat(10_000);
const OPENAPI = 'openapi: 3.0.3\ninfo: { title: api, version: 1.0.0 }\npaths: {}\n';

interface Case {
  readonly name: string;
  readonly status: 400 | 414;
  readonly detail: RegExp;
  readonly run: (b: TestBroker) => Promise<ApiResponse>;
}

const publish = (b: TestBroker, change: Record<string, unknown> = {}, content: unknown = pactContent('web', 'api'), contract: Record<string, unknown> = {}) =>
  b.api('POST', '/contracts/publish', {
    pacticipantName: 'web',
    pacticipantVersionNumber: '1',
    contracts: [{ consumerName: 'web', providerName: 'api', specification: 'pact', contentType: 'application/json', content: base64(content), ...contract }],
    ...change,
  });
const providerContract = (b: TestBroker, change: Record<string, unknown> = {}, content = OPENAPI) =>
  b.api('POST', '/provider-contracts/provider/api/publish', { pacticipantVersionNumber: '1', contract: { content: base64(content), contentType: 'application/yaml', specification: 'oas' }, ...change });
const tooLong = /must NOT have more than 255 characters/;
const uriTooLong = /longer than 255 characters/;

const CASES: readonly Case[] = [
  // Names in publish bodies, and inside the pact they carry.
  ...(['pacticipantName', 'pacticipantVersionNumber', 'branch'] as const).map((field): Case => ({ name: `publish: ${field}`, status: 400, detail: tooLong, run: (b) => publish(b, { [field]: HUGE }) })),
  { name: 'publish: a tag', status: 400, detail: tooLong, run: (b) => publish(b, { tags: [HUGE] }) },
  { name: 'publish: a contract\'s consumerName', status: 400, detail: tooLong, run: (b) => publish(b, {}, pactContent('web', 'api'), { consumerName: HUGE }) },
  { name: 'publish: the consumer name inside the pact', status: 400, detail: /consumer name/, run: (b) => publish(b, {}, pactContent(HUGE, 'api')) },
  { name: 'publish: a NUL in a tag', status: 400, detail: /NUL character/, run: (b) => publish(b, { tags: ['a\u0000b'] }) },
  { name: 'publish: a NUL byte inside the pact', status: 400, detail: /NUL character/, run: (b) => publish(b, {}, JSON.stringify(pactContent('web', 'api')).replace('a request', 'a\u0000request')) },
  { name: 'publish: a pact nested 10 000 deep', status: 400, detail: /nests objects and arrays more than 256 deep/, run: (b) => publish(b, {}, `{"consumer":{"name":"web"},"provider":{"name":"api"},"interactions":[],"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) },
  // Names in paths.
  { name: 'legacy pact PUT: a consumer name in the path', status: 414, detail: uriTooLong, run: (b) => b.api('PUT', `/pacts/provider/api/consumer/${LONG}/version/1`, pactContent(LONG, 'api')) },
  { name: 'legacy pact PUT: the consumer name inside the pact', status: 400, detail: /consumer name/, run: (b) => b.api('PUT', '/pacts/provider/api/consumer/web/version/1', pactContent(HUGE, 'api')) },
  { name: 'tag PUT: the tag in the path', status: 414, detail: uriTooLong, run: (b) => b.api('PUT', `/pacticipants/web/versions/1/tags/${LONG}`, {}) },
  { name: 'branch PUT: the branch in the path', status: 414, detail: uriTooLong, run: (b) => b.api('PUT', `/pacticipants/web/branches/${LONG}/versions/1`, {}) },
  { name: 'branch PUT: the name in the body', status: 400, detail: tooLong, run: (b) => b.api('PUT', '/pacticipants/web/branches/main/versions/1', { name: HUGE }) },
  { name: 'version PUT: the version in the path', status: 414, detail: uriTooLong, run: (b) => b.api('PUT', `/pacticipants/web/versions/${LONG}`, {}) },
  { name: 'webhook POST: a consumer in the path', status: 414, detail: uriTooLong, run: (b) => b.api('POST', `/webhooks/consumer/${LONG}`, { events: [{ name: 'contract_content_changed' }], request: { method: 'POST', url: 'https://example.com/hook' } }) },
  // Names in queries.
  { name: 'matrix: a pacticipant in the query', status: 414, detail: /the query's q\[\]\[pacticipant\] is longer than 255 characters/, run: (b) => b.api('GET', `/matrix?q[][pacticipant]=${'p'.repeat(3000)}&q[][version]=1&latestby=cvpv`) },
  { name: 'can-i-deploy: a version in the query', status: 414, detail: /the query's version is longer than 255 characters/, run: (b) => b.api('GET', `/can-i-deploy?pacticipant=web&version=${'v'.repeat(3000)}&to=production`) },
  // Names in other bodies.
  { name: 'pacticipant POST: the name', status: 400, detail: tooLong, run: (b) => b.api('POST', '/pacticipants', { name: HUGE }) },
  { name: 'environment POST: the name', status: 400, detail: tooLong, run: (b) => b.api('POST', '/environments', { name: HUGE }) },
  { name: 'verification POST: the provider version', status: 400, detail: tooLong, run: (b) => b.api('POST', '/pacts/provider/api/consumer/web/pact-version/abc/verification-results', { success: true, providerApplicationVersion: HUGE }) },
  { name: 'pacts for verification: a selector\'s branch', status: 400, detail: tooLong, run: (b) => b.api('POST', '/pacts/provider/api/for-verification', { consumerVersionSelectors: [{ branch: HUGE }] }) },
  { name: 'provider contract: the branch', status: 400, detail: tooLong, run: (b) => providerContract(b, { branch: HUGE }) },
  { name: 'provider contract: a NUL byte inside the OpenAPI document', status: 400, detail: /contract\.content: the OpenAPI document holds a NUL character/, run: (b) => providerContract(b, {}, OPENAPI.replace('title: api', 'title: a\u0000pi')) },
];

describe('broker: over-long names and NUL bytes on every route that takes a name', function () {
  this.timeout(120_000);
  let harness: BrokerHarness;
  let b: TestBroker;

  before(async () => {
    harness = await startHarness();
    b = await harness.fresh();
  });
  after(async () => {
    await harness?.stop();
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.status} problem+json, the value not echoed, nothing written`, async () => {
      const before = await b.counts();
      const response = await c.run(b);
      const shown = JSON.stringify(response.body).slice(0, 400);
      expect(response.status, shown).to.equal(c.status);
      expect(response.contentType, shown).to.match(/^application\/problem\+json/);
      expect(response.body.detail, shown).to.match(c.detail);
      expect(JSON.stringify(response.body), 'a long value is not echoed whole').to.not.match(/n{300}|p{300}|v{300}/);
      expect(await b.counts()).to.deep.equal(before);
    });
  }
});
