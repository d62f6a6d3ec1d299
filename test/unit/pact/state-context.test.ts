import { expect } from 'chai';
import type { Pool } from 'pg';
import { AccordError } from '../../../src/errors/index.js';
import { createStateContexts } from '../../../src/pact/state-context.js';

describe('createStateContexts: what a state handler gets', () => {
  const base = { baseUrl: 'http://127.0.0.1:8080', redisUrl: undefined, postgres: undefined, missingDatabase: 'the states need a database: pass --database-url' };

  it('gives the params and the provider URL; db and pool are the same pool; no Redis without a URL', () => {
    const pool = { query: () => undefined } as unknown as Pool;
    const contexts = createStateContexts({ ...base, pool, onMissingDatabase: () => expect.fail('the database is there') });
    const context = contexts.of({ id: 10 });
    expect(context.params).to.deep.equal({ id: 10 });
    expect(context.baseUrl).to.equal('http://127.0.0.1:8080');
    expect(context.db).to.equal(pool);
    expect(context.pool).to.equal(pool);
    expect(context.redis).to.equal(undefined);
    contexts.close();
  });

  it('without a database, nothing fails until a state reads db (or pool): then the one line, reported once per read', () => {
    const reported: AccordError[] = [];
    const contexts = createStateContexts({ ...base, pool: undefined, onMissingDatabase: (error) => reported.push(error) });
    const context = contexts.of({});
    expect(context.baseUrl).to.equal('http://127.0.0.1:8080');
    expect(() => context.db).to.throw(AccordError, /^the states need a database: pass --database-url$/);
    expect(() => context.pool).to.throw(AccordError);
    expect(reported.map((error) => [error.code, error.message])).to.deep.equal([
      ['ACCORD_USAGE', 'the states need a database: pass --database-url'],
      ['ACCORD_USAGE', 'the states need a database: pass --database-url'],
    ]);
  });

  it('opens Redis only when a state reads it, once for all contexts, and close ends it', async () => {
    const contexts = createStateContexts({ ...base, redisUrl: 'redis://127.0.0.1:9/0', pool: undefined, onMissingDatabase: () => undefined });
    const first = contexts.of({}).redis;
    expect(first).not.to.equal(undefined);
    expect(contexts.of({}).redis).to.equal(first);
    const ended = new Promise((resolve) => first?.once('end', resolve));
    contexts.close();
    await ended;
    expect(first?.status).to.equal('end');
  });
});
