import { expect } from 'chai';
import { AccordError } from '../../../src/errors/index.js';
import { brokerBaseOf } from '../../../src/pact/pact-url-source.js';

const refusal = (pactUrl: string, brokerUrl?: string) => {
  try {
    brokerBaseOf(pactUrl, brokerUrl);
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(AccordError);
    return (error as AccordError).message;
  }
};

describe('verify --pact-url: which broker the pact belongs to', () => {
  const pactUrl = 'https://broker.example.com/base/pacts/provider/service-b/consumer/service-a/pact-version/abc';

  it('takes the broker from the pact URL, or checks the URL is on the given broker', () => {
    expect(brokerBaseOf(pactUrl, undefined)).to.equal('https://broker.example.com/base');
    expect(brokerBaseOf(pactUrl, 'https://broker.example.com/base/')).to.equal('https://broker.example.com/base');
  });

  it('refuses a URL elsewhere than the configured broker (its token goes to that broker only), and what is not a pact URL', () => {
    expect(refusal(pactUrl, 'https://other.example.com')).to.include('is not on the Pact Broker https://other.example.com');
    expect(refusal('https://broker.example.com.evil.org/pacts/provider/b/consumer/a/pact-version/x', 'https://broker.example.com')).to.include('is not on the Pact Broker');
    expect(refusal('file:///etc/passwd')).to.include('expected an http(s) URL');
    expect(refusal('not a url')).to.include('expected the http(s) URL of a pact');
    expect(refusal('https://broker.example.com/somewhere/else')).to.include('expected a pact URL of a Pact Broker');
  });
});
