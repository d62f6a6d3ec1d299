import { expect } from 'chai';
import type { ResolvedServiceConfig } from '../../../src/config/index.js';
import { serviceEnvironment, urlVariable } from '../../../src/env/index.js';

const serviceA: ResolvedServiceConfig = {
  name: 'service-a',
  command: ['node', 'a.js'],
  cwd: '/repo',
  port: 0,
  health: '/health',
  env: { B_RETRIES: '3', PORT: '9999', LOG_LEVEL: 'debug' },
  dependsOn: ['service-b'],
  secrets: ['SERVICE_B_TOKEN'],
  startTimeoutMs: 1000,
  stopGraceMs: 1000,
  uses: [],
};

describe('serviceEnvironment', () => {
  const endpoints = {
    host: '127.0.0.1',
    port: 40001,
    databaseUrl: 'postgres://accord:pw@127.0.0.1:40003/accord_1',
    redisUrl: 'redis://127.0.0.1:40004',
    urls: new Map([
      ['service-b', 'http://127.0.0.1:40002'],
      ['service-a', 'http://127.0.0.1:40001'],
    ]),
    secrets: { SERVICE_B_TOKEN: 'token-value', PORT: '1' },
  };

  it('injects ports and URLs, the env file and the config env; the environment owns PORT/HOST/URLs', () => {
    expect(serviceEnvironment(serviceA, endpoints)).to.deep.equal({
      LOG_LEVEL: 'debug',
      SERVICE_B_TOKEN: 'token-value',
      B_RETRIES: '3',
      PORT: '40001',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://accord:pw@127.0.0.1:40003/accord_1',
      REDIS_URL: 'redis://127.0.0.1:40004',
      SERVICE_B_URL: 'http://127.0.0.1:40002',
    });
  });

  it('gives a service only the URLs of what it depends on', () => {
    const env = serviceEnvironment({ ...serviceA, name: 'service-b', dependsOn: [], env: {} }, endpoints);
    expect(env).to.not.have.property('SERVICE_A_URL');
    expect(env).to.not.have.property('SERVICE_B_URL');
    expect(env.LOG_LEVEL).to.equal('info');
  });

  it('names URL variables after the service', () => {
    expect(urlVariable('service-b')).to.equal('SERVICE_B_URL');
    expect(urlVariable('pact-broker')).to.equal('PACT_BROKER_URL');
  });
});
