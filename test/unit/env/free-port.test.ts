import { createServer } from 'node:net';
import { expect } from 'chai';
import { getFreePort } from '../../../src/env/index.js';
import { ephemeralLow } from '../../../src/env/free-port.js';

describe('getFreePort: a port for a server started next', () => {
  it('is below the ephemeral range, where no outgoing connection can take it before the server binds', async () => {
    const low = await ephemeralLow();
    expect(low).to.be.greaterThan(11_000, 'this machine leaves room below its ephemeral range');
    for (let index = 0; index < 10; index += 1) {
      const port = await getFreePort();
      expect(port).to.be.at.least(10_000).and.below(low);
    }
  });

  it('is one the caller can listen on, and not handed out twice in one process', async () => {
    const ports = await Promise.all(Array.from({ length: 30 }, () => getFreePort()));
    expect(new Set(ports).size).to.equal(ports.length);
    const port = ports[0] ?? 0;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
