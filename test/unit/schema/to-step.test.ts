import { expect } from 'chai';
import { diffModels, toSchemaStep } from '../../../src/schema/index.js';
import type { SchemaDiffResult, SchemaModel } from '../../../src/schema/index.js';
import { model, table } from './model-builders.js';

function resultOf(actual: SchemaModel, expected: SchemaModel): SchemaDiffResult {
  const differences = diffModels(actual, expected);
  const ok = differences.every((difference) => difference.level !== 'error');
  return { ok, identical: ok, differences, statements: [], notes: [], actual, expected };
}

describe('toSchemaStep', () => {
  const items = table('items', [['sku', 'text'], ['stock', 'integer']]);
  const options = { expected: 'examples/orders/schemas/database-v2.sql', actual: 'the migrated database' };

  it('identical schemas: one passing check', () => {
    const step = toSchemaStep(resultOf(model(...items), model(...items)), options);
    expect(step).to.include({ id: 'schema', status: 'pass' });
    expect(step.checks).to.have.length(1);
  });

  it('a drifted column fails with what was expected and what was found; column order only warns', () => {
    const drifted = toSchemaStep(resultOf(model(...table('items', [['sku', 'text'], ['stock', 'bigint']])), model(...items)), options);
    expect(drifted.status).to.equal('fail');
    expect(drifted.checks[0]).to.include({ id: 'column:public.items.stock.type', status: 'fail', message: 'type: expected integer, got bigint' });
    const reordered = toSchemaStep(resultOf(model(...table('items', [['stock', 'integer'], ['sku', 'text']])), model(...items)), options);
    expect(reordered.status).to.equal('warn');
  });
});
