import { createServer } from 'node:net';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { assertTargetReachable, isLoopbackHost, parseTarget } from '../../../src/load/index.js';

describe('load target', () => {
  it('accepts only loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]']) expect(isLoopbackHost(host), host).to.equal(true);
    for (const host of ['10.0.0.1', '192.168.1.1', 'example.com', '0.0.0.0']) expect(isLoopbackHost(host), host).to.equal(false);
    expect(parseTarget('http://127.0.0.1:8001/').origin).to.equal('http://127.0.0.1:8001');
  });

  it('rejects a remote target, a malformed URL and a non-HTTP scheme with a clear message', () => {
    const reject = (target: string) => {
      try {
        parseTarget(target);
      } catch (error) {
        if (isAccordError(error)) return `${error.code}: ${error.message}`;
        throw error;
      }
      return 'accepted';
    };
    expect(reject('http://192.168.1.5:8001')).to.equal('ACCORD_TARGET_NOT_LOOPBACK: --target: load is only sent to this machine (127.0.0.0/8, localhost, ::1), got host "192.168.1.5"');
    expect(reject('not a url')).to.equal('ACCORD_USAGE: --target: expected a URL like http://127.0.0.1:3000, got "not a url"');
    expect(reject('ftp://127.0.0.1/')).to.match(/^ACCORD_USAGE: --target: expected an http/);
  });

  it('says the target refused the connection when nothing listens there', async () => {
    // A port that was free a moment ago: listen on 0, note it, close.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      await assertTargetReachable(new URL(`http://127.0.0.1:${port}`));
      expect.fail('an unreachable target was accepted');
    } catch (error) {
      expect(isAccordError(error, 'ACCORD_TARGET_UNREACHABLE')).to.equal(true);
      expect((error as Error).message).to.equal(`load target http://127.0.0.1:${port} refused the connection (ECONNREFUSED): start the service first, or omit --target to let accord start the environment`);
    }
  });
});
