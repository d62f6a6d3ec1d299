import { expect } from 'chai';
import { AccordError, ErrorCodes } from '../../../src/errors/index.js';
import { OFF_THREAD_BYTES, firstDuplicateKeyOffset, parseBoundedText, parseBoundedYaml, parseOffThread } from '../../../src/input/index.js';
import { parseDocument } from 'yaml';

/** YAML of one mapping with `count` keys (about 16 bytes each), then `tail`. */
function manyKeys(count: number, tail = ''): string {
  const lines = ['a:'];
  for (let n = 0; n < count; n += 1) lines.push(`  key${n}: value${n}`);
  return `${lines.join('\n')}\n${tail}`;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('parsing large documents off the main thread', function () {
  this.timeout(120_000);

  it('gives a large YAML document the value the calling thread would, while timers keep firing', async () => {
    const text = manyKeys(30_000, 'inf: .inf\nlist: [1, "two", null, true]\n');
    expect(Buffer.byteLength(text)).to.be.above(OFF_THREAD_BYTES);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const started = Date.now();
    const parsed = await parseOffThread({ label: 'big.yaml', text, format: 'yaml' });
    const ms = Date.now() - started;
    clearInterval(timer);
    expect(parsed).to.deep.equal(parseBoundedYaml('big.yaml', text));
    expect((parsed as { value: { inf: number } }).value.inf).to.equal(Infinity);
    // On the calling thread not one tick could run during the parse.
    expect(ticks, `${ticks} ticks in ${ms} ms`).to.be.above(Math.min(10, ms / 50));
  });

  it('reads large JSON as JSON, and falls back to YAML for text that only starts like JSON', async () => {
    const value = { openapi: '3.0.3', paths: Object.fromEntries(Array.from({ length: 10_000 }, (_, n) => [`/p${n}`, { get: { summary: `s${n}` } }])) };
    const json = JSON.stringify(value);
    expect(await parseOffThread({ label: 'c.json', text: json, format: 'json-or-yaml' })).to.deep.equal({ ok: true, value });
    const flowYaml = `${json.slice(0, -1)}, unquoted: yes}`;
    const parsed = await parseOffThread({ label: 'c.yaml', text: flowYaml, format: 'json-or-yaml' });
    expect((parsed as { value: { unquoted: string } }).value.unquoted).to.equal('yes');
  });

  it('carries limits and syntax errors across the thread as the calling thread reports them', async () => {
    const deep = `{"a": ${'['.repeat(300_000)}${']'.repeat(300_000)}}`;
    const error = await rejection(parseOffThread({ label: 'deep.json', text: deep, format: 'json', code: ErrorCodes.PACT_INVALID }));
    expect(error).to.be.instanceOf(AccordError);
    expect((error as AccordError).code).to.equal(ErrorCodes.PACT_INVALID);
    expect(error.message).to.equal('deep.json: objects and arrays are nested more than 256 deep');
    const broken = `{"a": "${'x'.repeat(OFF_THREAD_BYTES)}", `;
    const syntax = await rejection(parseOffThread({ label: 'broken.json', text: broken, format: 'json' }));
    expect(syntax).to.be.instanceOf(SyntaxError);
    expect(syntax.message).to.equal((() => { try { JSON.parse(broken); } catch (e) { return (e as Error).message; } return ''; })());
    const yaml = `${manyKeys(20_000)}b: [1,\n`;
    const failed = await parseOffThread({ label: 'broken.yaml', text: yaml, format: 'yaml' });
    expect(failed).to.deep.equal(parseBoundedText({ label: 'broken.yaml', text: yaml, format: 'yaml' }));
    expect(failed.ok).to.equal(false);
  });

  it('finds a repeated key in one pass: 40 000 keys in well under the minute the yaml package took', () => {
    const text = manyKeys(40_000, 'b:\n  key7: 1\n  key7: 2\n');
    const started = Date.now();
    const parsed = parseBoundedYaml('dup.yaml', text);
    expect(Date.now() - started).to.be.below(20_000);
    expect(parsed).to.deep.equal({ ok: false, line: 40_004, column: 3, reason: 'Map keys must be unique' });
    expect(parseBoundedYaml('dup.yaml', text, undefined, { uniqueKeys: false }).ok).to.equal(true);
    expect(firstDuplicateKeyOffset(parseDocument('a: 1\nb: {x: 1, y: [ {x: 1}, {x: 2} ]}\n1: one\n"1": string one\n', { uniqueKeys: false }).contents)).to.equal(undefined);
    expect(firstDuplicateKeyOffset(parseDocument('a: [ {x: 1, x: 2} ]\n', { uniqueKeys: false }).contents)).to.equal(12);
  });
});
