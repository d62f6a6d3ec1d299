import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { publishPacts } from '../../../src/broker/client/publish-pacts.js';
import type { BrokerClient } from '../../../src/broker/client/broker-client.js';
import { checkPacts } from '../../../src/contract/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { loadPactFiles } from '../../../src/pact/index.js';
import { pactProblems, readPactFiles } from '../../../src/pact-file/index.js';
import { rejection } from '../../support/rejection.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const EXAMPLE_CONTRACT = 'examples/orders/contracts/service-a-to-b.yaml';

// publish must refuse before it talks to a broker: a client that is ever called fails the test.
const unreachable = new Proxy({}, { get: () => () => Promise.reject(new Error('the broker was called')) }) as BrokerClient;

describe('readPactFiles: one reader, one set of rules, one message', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'accord-pact-file-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function dir(name: string, files: Record<string, string>): Promise<string> {
    const at = path.join(work, name);
    await rm(at, { recursive: true, force: true });
    await mkdir(at, { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(at, file), text);
    return at;
  }

  /** The one line `check-pacts`, `verify` and `publish` give for the pacts in `location`. */
  async function linesFrom(location: string): Promise<{ code: string; message: string }[]> {
    return [
      await rejection(checkPacts({ pacts: location, contract: EXAMPLE_CONTRACT, cwd: REPO_ROOT })),
      await rejection(loadPactFiles(location, { provider: 'service-b', cwd: REPO_ROOT })),
      await rejection(publishPacts(unreachable, { paths: [location], consumerVersion: '1.0.0' })),
    ];
  }

  it('reads every *.json of a directory in name order, labelled as messages show them', async () => {
    const location = await dir('two', {
      'b.json': JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'service-b' }, interactions: [] }),
      'a.json': JSON.stringify({ consumer: { name: 'c' }, provider: { name: 'service-b' }, messages: [{ description: 'an event' }] }),
      'notes.txt': 'not a pact',
    });
    const read = await readPactFiles(location, { cwd: REPO_ROOT });
    expect(read.map((file) => file.label)).to.deep.equal([path.join(location, 'a.json'), path.join(location, 'b.json')]);
    expect(read.map((file) => file.pact.consumer.name)).to.deep.equal(['c', 'a']);
  });

  it('gives a pact that is not JSON the same line from check-pacts, verify and publish', async () => {
    const location = await dir('not-json', { 'p.json': '{ "consumer": }' });
    const lines = await linesFrom(location);
    expect(lines[0]?.message).to.match(/p\.json: not JSON \(Unexpected token .*\); a pact file must be JSON$/);
    expect(lines).to.deep.equal([lines[0], lines[0], lines[0]]);
    expect(lines[0]?.code).to.equal(ErrorCodes.PACT_INVALID);
  });

  it('gives a pact whose interactions are not a list the same line from all three', async () => {
    const location = await dir('interactions-not-a-list', { 'p.json': JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'service-b' }, interactions: {} }) });
    const lines = await linesFrom(location);
    expect(lines).to.deep.equal(Array(3).fill({
      code: ErrorCodes.PACT_INVALID,
      message: `${path.join(location, 'p.json')}: not a pact: expected \`interactions\` as a list, found top-level keys consumer, provider, interactions`,
    }));
  });

  it('gives an interaction with malformed provider states the same line from all three', async () => {
    const location = await dir('states-not-a-list', { 'p.json': JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'service-b' }, interactions: [{ description: 'd', providerStates: 'an item exists' }] }) });
    const lines = await linesFrom(location);
    expect(lines).to.deep.equal(Array(3).fill({
      code: ErrorCodes.PACT_INVALID,
      message: `${path.join(location, 'p.json')}: not a pact: interactions[0]: expected \`providerStates\` to be a list, got \`an item exists\` (string)`,
    }));
  });

  it('refuses a pact without an interactions key, from all three alike (an empty list is a pact with none)', async () => {
    const location = await dir('no-interactions', { 'p.json': JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'service-b' } }) });
    expect(await linesFrom(location)).to.deep.equal(
      Array(3).fill({ code: ErrorCodes.PACT_INVALID, message: `${path.join(location, 'p.json')}: not a pact: no \`interactions\` (nor \`messages\`): a pact lists what the consumer expects, even when that is nothing (\`"interactions": []\`)` }),
    );
    const none = await dir('empty-interactions', { 'p.json': JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'service-b' }, interactions: [] }) });
    const [summary] = await loadPactFiles(none, { provider: 'service-b' });
    expect(summary?.interactions).to.deep.equal([]);
  });

  it('refuses an empty directory and a missing one, from all three alike', async () => {
    const empty = await dir('empty', {});
    expect(await linesFrom(empty)).to.deep.equal(Array(3).fill({ code: ErrorCodes.FILE_NOT_FOUND, message: `${empty}: no pact files (*.json) (consumer tests write them there)` }));
    const missing = await linesFrom('test/fixtures/pact/no-such-directory');
    expect(missing).to.deep.equal(Array(3).fill({ code: ErrorCodes.FILE_NOT_FOUND, message: 'test/fixtures/pact/no-such-directory: no such pact file or directory (expected pact JSON files, as written by the consumer tests)' }));
  });

  it('lists every problem of a document that is not a pact', () => {
    expect(pactProblems([])).to.deep.equal(['expected a JSON object with `consumer`, `provider` and `interactions`, got a list']);
    expect(pactProblems({ consumer: { name: '' }, provider: {}, messages: 1 })).to.deep.equal([
      'expected `consumer.name` and `provider.name` and `messages` as a list, found top-level keys consumer, provider, messages',
    ]);
    expect(pactProblems({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [{ description: 'x', providerStates: [{}] }, 3, { type: 'Asynchronous/Messages' }] })).to.deep.equal([
      'interactions[0]: expected `providerStates[0].name` to be a string, got nothing',
      'interactions[1]: expected an object, got `3` (number)',
    ]);
    expect(pactProblems({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions: [] })).to.deep.equal([]);
  });
});
