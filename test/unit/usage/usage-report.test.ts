import { expect } from 'chai';
import type { PactJson } from '../../../src/pact-file/index.js';
import { renderUsageMarkdown, renderUsageText, usageOf } from '../../../src/usage/index.js';
import type { ConsumerPact, UsageReport } from '../../../src/usage/index.js';

const Node = {
  type: 'object',
  properties: { id: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
};

const document = {
  openapi: '3.0.3',
  info: { title: 'tree', version: '1.0.0' },
  servers: [{ url: 'https://api.example.com/v1' }],
  paths: {
    '/nodes/{id}': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } }, '404': { description: 'none' } } } },
    '/nodes/{id}/labels': { get: { responses: { '2XX': { description: 'ok', content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } } } } },
    '/stats': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { count: { type: 'integer' } } } } } } } } },
  },
  components: { schemas: { Node } },
};

function pact(consumer: string, interactions: unknown[]): ConsumerPact {
  return { consumer, version: '2.1.0', label: `${consumer}.json`, pact: { consumer: { name: consumer }, provider: { name: 'tree' }, interactions } as PactJson };
}

const report: UsageReport = usageOf(document, [
  pact('web', [
    // Through the server's path prefix and with a trailing slash.
    { description: 'a node and its children', request: { method: 'GET', path: '/v1/nodes/n1/' }, response: { status: 200, body: { id: 'n1', children: [{ id: 'n2' }] } } },
    { description: 'a missing node', request: { method: 'GET', path: '/nodes/nope' }, response: { status: 404 } },
  ]),
  pact('cli', [{ description: 'labels', request: { method: 'GET', path: '/nodes/n1/labels' }, response: { status: 201, body: { colour: 'red' } } }]),
], { contract: 'tree.yaml', source: 'pacts' });

describe('usage: the contract usage report', () => {
  it('per operation and response field, who reads it, through $ref recursion and additionalProperties', () => {
    const fields = (operation: string) => Object.fromEntries((report.operations.find((entry) => entry.operation === operation)?.fields ?? []).map((field) => [`${field.status} ${field.field}`, field.usedBy.map((user) => `${user.consumer} ${user.version ?? ''}: ${user.interaction}`)]));
    expect(fields('GET /nodes/{id}')).to.deep.equal({
      '200 id': ['web 2.1.0: a node and its children'],
      '200 children': ['web 2.1.0: a node and its children'],
      '200 children[]': ['web 2.1.0: a node and its children'],
      '200 children[].id': ['web 2.1.0: a node and its children'],
      // The recursion stops where Node recurs, so children[].children is listed once and read by no one.
      '200 children[].children': [],
      '200 children[].children[]': [],
    });
    expect(fields('GET /nodes/{id}/labels')).to.deep.equal({ '2XX *': ['cli 2.1.0: labels'] });
    expect(report.operations.find((entry) => entry.operation === 'GET /nodes/{id}')?.usedBy.map((user) => user.interaction)).to.deep.equal(['a node and its children', 'a missing node']);
  });

  it('lists what no consumer uses apart, and renders it in text and Markdown', () => {
    expect(report.unused.operations).to.deep.equal(['GET /stats']);
    expect(report.unused.fields.map((field) => `${field.operation} ${field.status ?? ''} ${field.field}`)).to.deep.equal([
      'GET /nodes/{id} 200 children[].children',
      'GET /nodes/{id} 200 children[].children[]',
      'GET /stats 200 count',
    ]);
    expect(report.consumers).to.deep.equal([{ consumer: 'cli', version: '2.1.0' }, { consumer: 'web', version: '2.1.0' }]);
    const text = renderUsageText(report);
    expect(text).to.contain('GET /stats: unused');
    expect(text).to.match(/^ {2}GET \/stats 200 count$/m);
    expect(text).to.contain('2 of 3 operations used, 5 of 8 response fields read');
    const markdown = renderUsageMarkdown(report);
    expect(markdown).to.contain('| `200 count` | **unused** |');
    expect(markdown).to.contain('| `200 id` | web 2.1.0 (a node and its children) |');
  });
});
