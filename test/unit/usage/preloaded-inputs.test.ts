import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadContract } from '../../../src/contract/index.js';
import { AccordError, ErrorCodes } from '../../../src/errors/index.js';
import { contractUsage, diffWithConsumers, loadConsumerPacts, parseConsumerSource } from '../../../src/usage/index.js';

// The gate reads the working contract and the pacts once and hands them to both the diff and the
// usage report: what it hands over must give the same answers as the paths would.
describe('usage: a contract and pacts read once, for the diff and the usage report', () => {
  let dir: string;
  const widget = (fields: Record<string, unknown>) => ({
    openapi: '3.0.3',
    info: { title: 'widgets', version: '1.0.0' },
    paths: { '/widgets/{id}': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } } } } } },
    components: { schemas: { Widget: { type: 'object', required: Object.keys(fields), properties: fields } } },
  });
  const pact = {
    consumer: { name: 'panel' },
    provider: { name: 'widgets' },
    interactions: [{ description: 'one widget', request: { method: 'GET', path: '/widgets/w1' }, response: { status: 200, body: { id: 'w1', colour: 'red' } } }],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-usage-preloaded-'));
    await writeFile(join(dir, 'base.json'), JSON.stringify(widget({ id: { type: 'string' }, colour: { type: 'string' }, size: { type: 'integer' } })));
    // The revision drops `colour` (read by the consumer) and `size` (read by no one).
    await writeFile(join(dir, 'revision.json'), JSON.stringify(widget({ id: { type: 'string' } })));
    await mkdir(join(dir, 'pacts'));
    await writeFile(join(dir, 'pacts/panel-widgets.json'), JSON.stringify(pact));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('diffWithConsumers: a loaded revision and read pacts give the verdict the paths give, and the source is not read again', async () => {
    const fromPaths = await diffWithConsumers('base.json', 'revision.json', { cwd: dir, consumers: 'pacts', policy: 'consumers' });
    expect(fromPaths.ok).to.equal(false);
    expect(fromPaths.consumers.affected).to.deep.equal([{ consumer: 'panel', version: null }]);

    const revision = await loadContract('revision.json', { cwd: dir, allowAsyncApi: true });
    const pacts = await loadConsumerPacts(parseConsumerSource('pacts'), { cwd: dir });
    // No `pacts-moved` directory exists: only the pacts handed over can answer.
    const handedOver = await diffWithConsumers('base.json', revision, { cwd: dir, consumers: 'pacts-moved', policy: 'consumers', pacts });
    expect(handedOver.changes).to.deep.equal(fromPaths.changes);
    expect(handedOver.consumers).to.deep.equal({ ...fromPaths.consumers, source: 'pacts-moved' });
    expect(handedOver.ok).to.equal(false);

    const missing = await diffWithConsumers('base.json', revision, { cwd: dir, consumers: 'pacts-moved', policy: 'consumers' }).catch((error: unknown) => error);
    expect(missing).to.be.instanceOf(AccordError);
    expect((missing as AccordError).code).to.equal(ErrorCodes.FILE_NOT_FOUND);
  });

  it('contractUsage: a loaded contract and read pacts give the report the paths give', async () => {
    const fromPaths = await contractUsage('base.json', { cwd: dir, consumers: 'pacts' });
    expect(fromPaths.unused.fields.map((field) => field.field)).to.deep.equal(['size']);

    const base = await loadContract('base.json', { cwd: dir, allowAsyncApi: true });
    const pacts = await loadConsumerPacts(parseConsumerSource('pacts'), { cwd: dir });
    const handedOver = await contractUsage(base, { cwd: dir, consumers: 'pacts-moved', pacts });
    expect(handedOver).to.deep.equal({ ...fromPaths, source: 'pacts-moved' });
  });
});
