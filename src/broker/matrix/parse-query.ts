import { BrokerProblem } from '../problem.js';
import type { LatestBy, MatrixQuery, MatrixSelector } from './types.js';

const SELECTOR_FIELDS = new Set(['pacticipant', 'version', 'latest', 'tag', 'branch', 'environment', 'mainBranch']);

/**
 * Parses the Rails-style query string of `GET /matrix` (`q[][pacticipant]=A&q[][version]=1`).
 * Written by hand because the order of repeated `q[][field]` keys decides which selector a
 * field belongs to, and querystring parsers flatten that order away.
 */
export function parseMatrixQuery(search: URLSearchParams): MatrixQuery {
  const selectors = collectSelectors(search, 'q');
  const ignore = collectSelectors(search, 'ignore');
  const errors: string[] = [];
  const query: MatrixQuery = { selectors, ignore, limit: 100 };
  const latestby = search.get('latestby');
  if (latestby) {
    if (latestby === 'cvpv' || latestby === 'cvp' || latestby === 'cp') query.latestby = latestby as LatestBy;
    else errors.push(`latestby must be one of cvpv, cvp, cp, got ${JSON.stringify(latestby)}`);
  }
  if (search.get('latest') === 'true') query.latest = true;
  const tag = search.get('tag');
  if (tag) query.tag = tag;
  const environment = search.get('environment');
  if (environment) query.environment = environment;
  if (search.get('mainBranch') === 'true') query.mainBranch = true;
  const limit = search.get('limit');
  if (limit !== null) {
    const parsed = Number(limit);
    if (!Number.isInteger(parsed) || parsed < 1) errors.push(`limit must be an integer of at least 1, got ${JSON.stringify(limit)}`);
    else query.limit = parsed;
  }
  errors.push(...validateQuery(query));
  if (errors.length > 0) throw new BrokerProblem(400, 'Bad Request', errors.join('; '), { q: errors });
  return query;
}

/** The selector rules of the broker's `validate_selectors` that need no database. */
function validateQuery(query: MatrixQuery): string[] {
  const errors: string[] = [];
  if (query.selectors.length === 0) errors.push('Please provide 1 or more version selectors.');
  for (const selector of [...query.selectors, ...query.ignore]) {
    if (!selector.pacticipant) errors.push('Please specify the pacticipant name');
  }
  for (const selector of query.selectors) {
    if (selector.version && selector.latest) errors.push(`A version number and latest flag cannot both be specified for ${selector.pacticipant}`);
  }
  const destinations = [query.tag, query.environment, query.mainBranch].filter((value) => value !== undefined);
  if (destinations.length > 1) errors.push('Cannot specify more than one of tag, environment and mainBranch');
  if (query.latest && query.environment) errors.push('Cannot specify latest=true with an environment');
  return errors;
}

function collectSelectors(search: URLSearchParams, prefix: string): MatrixSelector[] {
  const selectors: Array<Record<string, string>> = [];
  const indexed = new Map<string, Record<string, string>>();
  const pattern = new RegExp(`^${prefix}\\[(\\d*)\\]\\[(\\w+)\\]$`);
  for (const [key, value] of search) {
    const match = pattern.exec(key);
    if (!match) continue;
    const [, index = '', field = ''] = match;
    if (!SELECTOR_FIELDS.has(field)) continue;
    let current: Record<string, string> | undefined;
    if (index !== '') {
      current = indexed.get(index);
      if (!current) {
        current = {};
        indexed.set(index, current);
        selectors.push(current);
      }
    } else {
      // `q[][field]`: a repeated field (or a new pacticipant) starts the next selector.
      current = selectors.at(-1);
      if (!current || field in current || field === 'pacticipant') {
        current = {};
        selectors.push(current);
      }
    }
    current[field] = value;
  }
  return selectors.map((raw) => {
    const selector: MatrixSelector = { pacticipant: raw.pacticipant ?? '' };
    if (raw.version) selector.version = raw.version;
    if (raw.latest === 'true') selector.latest = true;
    if (raw.tag) selector.tag = raw.tag;
    if (raw.branch) selector.branch = raw.branch;
    if (raw.environment) selector.environment = raw.environment;
    if (raw.mainBranch === 'true') selector.mainBranch = true;
    return selector;
  });
}

/**
 * Parses `GET /can-i-deploy?pacticipant=&version=&environment=|to=` into a matrix query:
 * one selector, `latestby=cvpv` with an environment and `cvp` otherwise (broker PR #934).
 */
export function parseCanIDeployQuery(search: URLSearchParams): MatrixQuery {
  const pacticipant = search.get('pacticipant');
  const version = search.get('version');
  const environment = search.get('environment');
  const to = search.get('to');
  const errors: string[] = [];
  if (!pacticipant) errors.push('pacticipant: missing');
  if (!version && search.get('latest') !== 'true' && !search.get('tag') && !search.get('branch')) errors.push('version: missing (or give latest=true with tag or branch)');
  if (!environment && !to) errors.push('environment or to: missing');
  if (environment && to) errors.push('environment and to cannot both be given');
  if (errors.length > 0) throw new BrokerProblem(400, 'Bad Request', errors.join('; '), { base: errors });
  const selector: MatrixSelector = { pacticipant: pacticipant as string };
  if (version) selector.version = version;
  const tag = search.get('tag');
  const branch = search.get('branch');
  if (tag) selector.tag = tag;
  if (branch) selector.branch = branch;
  if (search.get('latest') === 'true') selector.latest = true;
  const query: MatrixQuery = { selectors: [selector], ignore: collectSelectors(search, 'ignore'), limit: 100, latestby: environment ? 'cvpv' : 'cvp' };
  if (environment) query.environment = environment;
  if (to) {
    query.tag = to;
    query.latest = true;
  }
  return query;
}
