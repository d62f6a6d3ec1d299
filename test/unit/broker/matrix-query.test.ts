import { expect } from 'chai';
import { matrixQuery } from '../../../src/broker/client/can-i-deploy.js';
import { parseCanIDeployQuery, parseMatrixQuery } from '../../../src/broker/matrix/parse-query.js';
import { BrokerProblem } from '../../../src/broker/problem.js';

const parse = (query: string) => parseMatrixQuery(new URLSearchParams(query));

describe('broker matrix queries', () => {
  describe('matrixQuery (what accord can-i-deploy sends)', () => {
    // The queries the Rust `pact broker can-i-deploy` 0.8.8 was observed sending.
    it('sends cvpv and the environment for one selector to an environment', () => {
      expect(matrixQuery({ selectors: [{ pacticipant: 'service-a', version: '1.0.0' }], toEnvironment: 'production' })).to.equal(
        'q[][pacticipant]=service-a&q[][version]=1.0.0&latestby=cvpv&environment=production',
      );
    });

    it('keeps each selector and ignore in command-line order, --latest TAG as latest with tag', () => {
      const query = matrixQuery({
        selectors: [{ pacticipant: 'A', version: '1.0.0' }, { pacticipant: 'B', latest: 'main' }],
        ignore: [{ pacticipant: 'C' }, { pacticipant: 'D', version: '9' }],
      });
      expect(query).to.equal('q[][pacticipant]=A&q[][version]=1.0.0&q[][pacticipant]=B&q[][latest]=true&q[][tag]=main&ignore[][pacticipant]=C&ignore[][pacticipant]=D&ignore[][version]=9&latestby=cvpv');
    });

    it('sends cvp and latest=true for one selector without a destination, and the legacy tag form', () => {
      expect(matrixQuery({ selectors: [{ pacticipant: 'A', branch: 'feat-x' }] })).to.equal('q[][pacticipant]=A&q[][branch]=feat-x&latestby=cvp&latest=true');
      expect(matrixQuery({ selectors: [{ pacticipant: 'A', version: '1.0.0' }], to: 'prod' })).to.equal('q[][pacticipant]=A&q[][version]=1.0.0&tag=prod&latestby=cvp&latest=true');
    });
  });

  describe('parseMatrixQuery (what the broker reads)', () => {
    it('pairs repeated q[][field] keys with the pacticipant before them', () => {
      const query = parse('q[][pacticipant]=A&q[][version]=1.0.0&q[][pacticipant]=B&q[][latest]=true&q[][tag]=main&ignore[][pacticipant]=C&ignore[][pacticipant]=D&ignore[][version]=9&latestby=cvpv');
      expect(query.selectors).to.deep.equal([{ pacticipant: 'A', version: '1.0.0' }, { pacticipant: 'B', latest: true, tag: 'main' }]);
      expect(query.ignore).to.deep.equal([{ pacticipant: 'C' }, { pacticipant: 'D', version: '9' }]);
      expect(query).to.include({ latestby: 'cvpv', limit: 100 });
    });

    it('round-trips every query accord sends', () => {
      const sent = matrixQuery({ selectors: [{ pacticipant: 'A', version: '1' }, { pacticipant: 'B', mainBranch: true }], toEnvironment: 'prod', ignore: [{ pacticipant: 'C' }] });
      const query = parse(sent);
      expect(query.selectors).to.deep.equal([{ pacticipant: 'A', version: '1' }, { pacticipant: 'B', mainBranch: true }]);
      expect(query).to.include({ environment: 'prod', latestby: 'cvpv' });
    });

    it('refuses what the broker refuses, naming every problem', () => {
      const problem = (query: string) => {
        try {
          parse(query);
        } catch (error) {
          expect(error).to.be.instanceOf(BrokerProblem);
          return error as BrokerProblem;
        }
        throw new Error(`expected ${query} to be refused`);
      };
      expect(problem('latestby=cvpv').message).to.match(/1 or more version selectors/);
      expect(problem('q[][pacticipant]=A&q[][version]=1&q[][latest]=true').message).to.match(/version number and latest flag cannot both be specified/);
      const many = problem('q[][pacticipant]=A&tag=prod&environment=production&limit=0&latestby=newest');
      expect(many.errors?.q).to.have.length(3);
      expect(problem('q[][pacticipant]=A&latest=true&environment=production').message).to.match(/latest=true with an environment/);
    });
  });

  describe('parseCanIDeployQuery', () => {
    it('uses cvpv with an environment and cvp with a tag (broker PR #934)', () => {
      expect(parseCanIDeployQuery(new URLSearchParams('pacticipant=A&version=1&environment=prod'))).to.include({ latestby: 'cvpv', environment: 'prod' });
      expect(parseCanIDeployQuery(new URLSearchParams('pacticipant=A&version=1&to=prod'))).to.include({ latestby: 'cvp', tag: 'prod', latest: true });
    });

    it('refuses a query with no destination', () => {
      expect(() => parseCanIDeployQuery(new URLSearchParams('pacticipant=A&version=1'))).to.throw(BrokerProblem, /environment or to: missing/);
    });
  });
});
