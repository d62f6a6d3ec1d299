import { expect } from 'chai';
import { generateMigration, renderMigration } from '../../../src/schema/index.js';
import { model, object, table } from './model-builders.js';

describe('generateMigration', () => {
  it('adds a missing column and drops an extra one, marking the drop destructive', () => {
    const from = model(...table('items', [['sku', 'text'], ['old', 'text']]));
    const to = model(...table('items', [['sku', 'text'], ['stock', 'integer', { not_null: 'yes', default: '0' }]]));
    const statements = generateMigration(from, to);
    expect(statements.map((s) => s.sql)).to.deep.equal(['ALTER TABLE "public"."items" DROP COLUMN "old"', 'ALTER TABLE "public"."items" ADD COLUMN "stock" integer DEFAULT 0 NOT NULL']);
    expect(statements[0]?.destructive).to.equal('drops column public.items.old and its data');
    expect(renderMigration(statements)).to.match(/^-- DESTRUCTIVE: drops column public\.items\.old and its data\nALTER TABLE/);
  });

  it('creates before it drops: removed tables come last', () => {
    const from = model(...table('legacy', [['id', 'integer']]));
    const to = model(object('schema', ['app'], { comment: null }, {}, 'app'), ...table('items', [['sku', 'text']]));
    const sql = generateMigration(from, to).map((s) => s.sql);
    expect(sql[0]).to.equal('CREATE SCHEMA IF NOT EXISTS "app"');
    expect(sql[1]).to.match(/^CREATE TABLE "public"."items"/);
    expect(sql[sql.length - 1]).to.equal('DROP TABLE "public"."legacy"');
  });

  it('adds enum values in place and rebuilds an enum that loses one', () => {
    const from = model(object('enum', ['public', 'status'], { values: "'a', 'c'" }, { labels: ['a', 'c'] }));
    const added = generateMigration(from, model(object('enum', ['public', 'status'], { values: "'a', 'b', 'c'" }, { labels: ['a', 'b', 'c'] })));
    expect(added.map((s) => s.sql)).to.deep.equal([`ALTER TYPE "public"."status" ADD VALUE 'b' AFTER 'a'`]);
    const removed = generateMigration(from, model(object('enum', ['public', 'status'], { values: "'a'" }, { labels: ['a'] })));
    expect(removed.map((s) => s.sql)).to.deep.equal([
      'ALTER TYPE "public"."status" RENAME TO "status__old_version_to_be_dropped"',
      `CREATE TYPE "public"."status" AS ENUM ('a')`,
      'DROP TYPE "public"."status__old_version_to_be_dropped"',
    ]);
    expect(removed[2]?.destructive).to.contain('c');
  });

  it('plans nothing for equal models', () => {
    const items = table('items', [['sku', 'text']]);
    expect(generateMigration(model(...items), model(...items))).to.deep.equal([]);
  });
});
