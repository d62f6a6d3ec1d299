import { expect } from 'chai';
import { diffModels, formatDifferencesText } from '../../../src/schema/index.js';
import { objectKey } from '../../../src/schema/index.js';
import { model, object, table } from './model-builders.js';

describe('diffModels', () => {
  const items = table('items', [
    ['sku', 'text'],
    ['stock', 'integer'],
  ]);

  it('finds nothing between equal models', () => {
    expect(diffModels(model(...items), model(...items))).to.deep.equal([]);
  });

  it('reports an extra column in the actual schema as added, naming it', () => {
    const actual = model(...table('items', [['sku', 'text'], ['stock', 'integer'], ['note', 'text']]));
    expect(diffModels(actual, model(...items))).to.deep.equal([
      { kind: 'column', object: 'public.items.note', change: 'added', attribute: null, expected: null, actual: 'text', level: 'error' },
    ]);
  });

  it('reports a missing table once, not once per column', () => {
    const differences = diffModels(model(), model(...items));
    expect(differences).to.deep.equal([{ kind: 'table', object: 'public.items', change: 'removed', attribute: null, expected: null, actual: null, level: 'error' }]);
  });

  it('names every object of a missing schema (tables, views, functions), not the schema alone', () => {
    const audit = [
      object('schema', ['audit'], {}, {}, 'audit'),
      object('table', ['audit', 'events'], {}),
      object('column', ['audit', 'events', 'id'], { type: 'bigint' }, { parent: objectKey('table', 'audit.events') }),
      object('view', ['audit', 'recent'], { definition: 'SELECT id FROM audit.events' }),
      object('function', ['audit', 'record()'], { definition: 'CREATE FUNCTION audit.record() …' }),
    ];
    const differences = diffModels(model(...items), model(...items, ...audit));
    expect(differences.map((d) => `${d.kind} ${d.object} ${d.change}`)).to.deep.equal([
      'schema audit removed',
      'table audit.events removed',
      'view audit.recent removed',
      'function audit.record() removed',
    ]);
    const text = formatDifferencesText(differences, { actual: 'the database', expected: 'schema.sql' });
    expect(text).to.include('  error  schema audit: missing\n');
    expect(text).to.include('  error  table audit.events: missing\n');
    expect(text).to.include('  error  view audit.recent: missing (expected: SELECT id FROM audit.events)\n');
    expect(text).not.to.match(/removed|only in actual/);
  });

  it('words each difference from the expected schema\'s side: missing, unexpected, differs (expected X, found Y)', () => {
    const actual = model(...table('items', [['sku', 'text'], ['stock', 'bigint'], ['note', 'text']]));
    const expected = model(...items, ...table('orders', [['id', 'uuid']]));
    const text = formatDifferencesText(diffModels(actual, expected), { actual: 'the database', expected: 'schema.sql' });
    expect(text.split('\n').filter((line) => line.startsWith('  '))).to.deep.equal([
      '  error  column public.items.note: unexpected (found: text)',
      '  error  column public.items.stock: type differs: expected integer, found bigint',
      '  error  table public.orders: missing',
    ]);
  });

  it('reports a changed attribute with both values', () => {
    const actual = model(...table('items', [['sku', 'text'], ['stock', 'bigint']]));
    expect(diffModels(actual, model(...items))).to.deep.equal([
      { kind: 'column', object: 'public.items.stock', change: 'changed', attribute: 'type', expected: 'integer', actual: 'bigint', level: 'error' },
    ]);
  });

  it('reports column order and comments as info by default, as errors on request, or not at all', () => {
    const actual = model(...table('items', [['stock', 'integer'], ['sku', 'text', { comment: 'the key' }]]));
    const info = diffModels(actual, model(...items));
    expect(info.map((d) => [d.attribute, d.level])).to.deep.equal([
      ['column order', 'info'],
      ['comment', 'info'],
    ]);
    expect(info[0]).to.include({ expected: 'sku, stock', actual: 'stock, sku' });
    expect(diffModels(actual, model(...items), { columnOrder: 'error', comments: 'error' }).map((d) => d.level)).to.deep.equal(['error', 'error']);
    expect(diffModels(actual, model(...items), { columnOrder: 'ignore', comments: 'ignore' })).to.deep.equal([]);
  });

  it('keeps enum value order significant', () => {
    const a = model(object('enum', ['public', 'status'], { values: "'b', 'a'" }));
    const b = model(object('enum', ['public', 'status'], { values: "'a', 'b'" }));
    expect(diffModels(a, b)).to.have.length(1);
  });

  it('filters by schema and by kind', () => {
    const other = object('table', ['audit', 'log'], {});
    expect(diffModels(model(other), model(), { excludeSchemas: ['audit'] })).to.deep.equal([]);
    expect(diffModels(model(other), model(), { includeSchemas: ['public'] })).to.deep.equal([]);
    expect(diffModels(model(other), model(), { kinds: ['extension'] })).to.deep.equal([]);
    expect(diffModels(model(other), model())).to.have.length(1);
  });
});
