import { expect } from 'chai';
import { filterRequest } from '../../../src/pact/request-filter.js';
import type { FilteredRequest } from '../../../src/pact/index.js';

const request = (): FilteredRequest => ({ baseUrl: 'http://127.0.0.1:8080', method: 'GET', url: '/products/10?x=1', path: '/products/10', headers: { authorization: 'Bearer expired' } });

describe('filterRequest: a states module request filter, pact-js style or promise style', () => {
  it('an Express-style filter finishes when it calls next(), even later than it returns', async () => {
    const filtered = request();
    await filterRequest((req, _res, next) => {
      setTimeout(() => {
        req.headers.authorization = 'Bearer fresh';
        next();
      }, 10);
    })(filtered);
    expect(filtered.headers.authorization).to.equal('Bearer fresh');
  });

  it('an async filter without next finishes when its promise resolves', async () => {
    const filtered = request();
    await filterRequest(async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      delete req.headers.authorization;
      req.headers['x-api-key'] = 'k';
    })(filtered);
    expect(filtered.headers).to.deep.equal({ 'x-api-key': 'k' });
  });

  it('next(error), a throw and a rejection all reject with an Error', async () => {
    const reasons = await Promise.all([
      filterRequest((_req, _res, next) => next('no token service'))(request()).catch((error: Error) => error.message),
      filterRequest(() => {
        throw new Error('thrown');
      })(request()).catch((error: Error) => error.message),
      filterRequest(async () => Promise.reject(new Error('rejected')))(request()).catch((error: Error) => error.message),
      // Takes next, but its promise rejects before it calls it.
      filterRequest(async (_req, _res, _next) => Promise.reject(new Error('rejected before next')))(request()).catch((error: Error) => error.message),
    ]);
    expect(reasons).to.deep.equal(['no token service', 'thrown', 'rejected', 'rejected before next']);
  });
});
