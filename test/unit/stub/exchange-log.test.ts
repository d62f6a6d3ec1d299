import { expect } from 'chai';
import { createExchangeLog } from '../../../src/stub/exchange-log.js';
import type { Exchange } from '../../../src/stub/exchange-log.js';

const exchange = (n: number): Exchange => ({
  time: new Date(n).toISOString(),
  contract: 'payments.yaml',
  operation: `op${n}`,
  request: { method: 'GET', path: `/${n}`, query: {}, headers: {}, body: undefined },
  response: { status: 200, headers: {}, body: null },
  outcome: 'example',
  durationMs: 0,
});

describe('exchange log', () => {
  it('keeps the last `limit` exchanges, oldest first, once it has wrapped', () => {
    const log = createExchangeLog(undefined, 3);
    for (let n = 1; n <= 2; n++) log.add(exchange(n));
    expect(log.list().map((e) => e.operation)).to.deep.equal(['op1', 'op2']);
    for (let n = 3; n <= 7; n++) log.add(exchange(n));
    expect(log.list().map((e) => e.operation)).to.deep.equal(['op5', 'op6', 'op7']);
    log.clear();
    expect(log.list()).to.deep.equal([]);
    log.add(exchange(8));
    expect(log.list().map((e) => e.operation)).to.deep.equal(['op8']);
  });
});
