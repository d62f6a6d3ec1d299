import type { FilteredRequest, ProviderRequestFilter } from './provider-states.js';

/**
 * A states module's request filter as a promise: pact-js users write Express-style
 * `(req, res, next)` filters, others return (or resolve); both are waited for, whichever comes first.
 */
export function filterRequest(filter: ProviderRequestFilter): (request: FilteredRequest) => Promise<void> {
  return (request) =>
    new Promise<void>((resolve, reject) => {
      const next = (error?: unknown) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error))));
      try {
        const returned = filter(request, undefined, next);
        // A filter that takes `next` finishes by calling it; one that does not, by returning.
        if (filter.length < 3) Promise.resolve(returned).then(() => resolve(), reject);
        else if (returned instanceof Promise) returned.catch(reject);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
}
