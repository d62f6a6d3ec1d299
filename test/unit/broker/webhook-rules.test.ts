import { expect } from 'chai';
import { BrokerProblem } from '../../../src/broker/problem.js';
import { parseWebhook } from '../../../src/broker/webhooks/parse-webhook.js';
import { REDACTED, redactHeaders } from '../../../src/broker/webhooks/redact-headers.js';
import { renderRequest } from '../../../src/broker/webhooks/send-request.js';
import { DEFAULT_TARGET_POLICY, isLinkLocalOrMetadata, targetRefusal } from '../../../src/broker/webhooks/target-policy.js';
import { renderBody, renderTemplate, verificationStatuses } from '../../../src/broker/webhooks/template.js';

const refusalOf = (body: unknown, policy = DEFAULT_TARGET_POLICY) => {
  try {
    parseWebhook(body, policy);
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(BrokerProblem);
    return (error as BrokerProblem).errors;
  }
};
const hook = (url: string) => ({ events: [{ name: 'contract_published' }], request: { method: 'POST', url } });

describe('webhook rules', () => {
  describe('where a webhook may call', () => {
    it('refuses link-local and metadata addresses unless the whitelist names them', () => {
      for (const host of ['169.254.169.254', 'metadata.google.internal', '100.100.100.200', '[fe80::1]', '[fd00:ec2::254]', '[::ffff:169.254.169.254]']) {
        expect(targetRefusal(`https://${host}/x`, DEFAULT_TARGET_POLICY), host).to.include('link-local or cloud metadata');
      }
      expect(targetRefusal('https://169.254.169.254/x', { schemeWhitelist: ['https'], hostWhitelist: ['169.254.0.0/16'] })).to.equal(undefined);
      expect(isLinkLocalOrMetadata('10.0.0.1')).to.equal(false);
    });
    it('allows only listed schemes and, with a host whitelist, only listed hosts (names, wildcards, ranges, /regex/)', () => {
      expect(targetRefusal('http://ci.example.com/x', DEFAULT_TARGET_POLICY)).to.include('scheme "http" is not allowed');
      expect(targetRefusal('https://ci.example.com/x', DEFAULT_TARGET_POLICY)).to.equal(undefined);
      const policy = { schemeWhitelist: ['https', 'http'], hostWhitelist: ['*.example.com', '10.1.0.0/16', '/^ci\\d+\\.corp$/', 'build.local'] };
      for (const url of ['https://a.example.com/', 'http://10.1.2.3:8080/', 'https://ci7.corp/', 'https://build.local/']) expect(targetRefusal(url, policy), url).to.equal(undefined);
      for (const url of ['https://example.com.evil.org/', 'https://example.com/', 'http://10.2.0.1/', 'https://ci7.corp.evil/', 'https://other.local/']) expect(targetRefusal(url, policy), url).to.include('not in the webhook host whitelist');
      expect(targetRefusal('https://${pactbroker.consumerName}.example.com/', policy)).to.equal('the host may not be a template parameter');
    });
    it('says so when the webhook is created, naming the field', () => {
      expect(refusalOf(hook('https://169.254.169.254/latest'))?.['request.url']?.[0]).to.include('this webhook could never be delivered');
      expect(refusalOf(hook('https://ci.example.com/hook'))).to.equal(undefined);
      expect(refusalOf({ events: [], request: { method: 'TRACE', url: 'https://ci.example.com/' } })).to.have.keys('events', 'request.method');
      expect(refusalOf({ ...hook('https://ci.example.com/'), consumer: { label: 'mobile' } })?.consumer?.[0]).to.include('label is not supported');
      expect(refusalOf({ ...hook('https://ci.example.com/'), request: { method: 'POST', url: 'https://ci.example.com/', headers: { 'X-A': 'one\r\nInjected: yes' } } })).to.have.key('request.headers.X-A');
    });
  });

  describe('templates', () => {
    const params = { pactUrl: 'https://broker/pacts/provider/b/consumer/a/pact-version/abc', consumerVersionNumber: '1.0 beta', consumerName: 'a"b' };
    it('renders ${pactbroker.…} values: URL-encoded in the URL, as text in JSON strings; unknown names stay', () => {
      const rendered = renderRequest({ method: 'post', url: 'https://ci/x?v=${pactbroker.consumerVersionNumber}', headers: { 'X-Pact': '${pactbroker.pactUrl}' }, body: { name: '${pactbroker.consumerName}', other: '${pactbroker.nope}', n: 1 } }, params);
      expect(rendered.method).to.equal('POST');
      expect(rendered.url).to.equal('https://ci/x?v=1.0%20beta');
      expect(rendered.headers['X-Pact']).to.equal(params.pactUrl);
      expect(JSON.parse(rendered.body ?? '')).to.deep.equal({ name: 'a"b', other: '${pactbroker.nope}', n: 1 });
      expect(renderTemplate('${pactbroker.consumerVersionNumber}', params)).to.equal('1.0 beta');
      expect(renderBody(undefined, params)).to.equal(undefined);
    });
    it('gives each CI host its verification status words', () => {
      expect(verificationStatuses(true)).to.deep.equal({ githubVerificationStatus: 'success', bitbucketVerificationStatus: 'SUCCESSFUL', azureDevOpsVerificationStatus: 'succeeded', gitlabVerificationStatus: 'success' });
      expect(verificationStatuses(false).githubVerificationStatus).to.equal('failure');
      expect(verificationStatuses(undefined).bitbucketVerificationStatus).to.equal('INPROGRESS');
    });
    it('adds basic auth from username and password', () => {
      expect(renderRequest({ method: 'GET', url: 'https://ci/', headers: {}, username: 'u', password: 'p' }, {}).headers.Authorization).to.equal(`Basic ${Buffer.from('u:p').toString('base64')}`);
    });
  });

  it('redacts header values that look like secrets, keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'X-Api-Key': 'k', 'PRIVATE-TOKEN': 't', 'X-Thing': 'ghp_abcdefghijklmnop', 'Content-Type': 'application/json', Accept: 'application/vnd.github.everest-preview+json' })).to.deep.equal({
      Authorization: REDACTED,
      'X-Api-Key': REDACTED,
      'PRIVATE-TOKEN': REDACTED,
      'X-Thing': REDACTED,
      'Content-Type': 'application/json',
      Accept: 'application/vnd.github.everest-preview+json',
    });
  });
});
