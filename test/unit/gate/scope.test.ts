import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { renderArchitectureDoc } from '../../../src/docs/architecture-doc.js';
import { architectureDiagram, scopeOf } from '../../../src/gate/index.js';
import { formatMeasured, formatQuantity } from '../../../src/report/index.js';

describe('the system as the config declares it', () => {
  it("the example's scope: what each service uses, in the plan's four kinds, and nothing every process is merely given", async () => {
    const config = await loadConfig('config/integration', { root: path.resolve('examples/orders'), env: {} });
    const scope = await scopeOf(config, { provider: 'service-b' });
    const points = scope.integrationPoints.map((point) => `${point.from} → ${point.to} (${point.kind})`);
    expect(points).to.deep.equal([
      'service-b → inventory (database connection)',
      'service-b → redis (database connection)',
      'service-a → service-b (API endpoint)',
      'service-a → payments (external service)',
      'service-a → redis (database connection)',
      'service-a → orders.events (message queue)',
      'orders.events → service-c (message queue)',
      'service-c → inventory (database connection)',
    ]);
    // The stub stands in for the vendor: no payments-stub → postgres, no payments-stub → redis.
    expect(points.filter((point) => point.includes('payments-stub'))).to.deep.equal([]);
    expect(scope.integrationPoints.find((point) => point.to === 'service-b')?.contract).to.equal('contracts/service-a-to-b.yaml');
    expect(scope.components.map((component) => `${component.name}:${component.kind}`)).to.deep.equal(['service-b:service', 'service-a:service', 'service-c:service', 'inventory:database', 'redis:cache', 'payments:external', 'orders.events:stream']);
    expect(scope.components.find((component) => component.name === 'payments')).to.include({ via: 'payments-stub' });
    const mermaid = architectureDiagram(scope).mermaid;
    expect(mermaid).to.contain('orders_events{{"orders.events"}}').and.contain('payments(["payments, stub payments-stub"])').and.contain('service_a -->|message queue| orders_events');
    expect(mermaid).not.to.contain('payments_stub -->');
  });

  it("the architecture page draws the services' uses: the stream is a stream, not a cache", async () => {
    const config = await loadConfig('config/integration', { root: path.resolve('examples/orders'), env: {} });
    const page = renderArchitectureDoc(config, { services: {}, networks: [], volumes: [] } as never, {}, undefined);
    expect(page).to.contain('service_a -->|produces| stream_orders_events').and.contain('stream_orders_events -->|consumes| service_c');
    expect(page).not.to.contain('service_c -->|RESP');
    expect(page).not.to.match(/payments_stub -->\|(SQL|RESP)/);
  });

  it('a service that declares no uses: its dependsOn are API endpoints and nothing else is invented', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'accord-scope-'));
    try {
      await mkdir(path.join(root, 'config'));
      await writeFile(path.join(root, 'config/environment.yaml'), 'services:\n  b: { command: node b.js }\n  a: { command: node a.js, dependsOn: [b] }\n');
      const scope = await scopeOf(await loadConfig('config', { root, env: {} }));
      expect(scope.integrationPoints).to.deep.equal([{ from: 'a', to: 'b', kind: 'API endpoint' }]);
      expect(scope.components.map((component) => component.name)).to.deep.equal(['b', 'a']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses a use that is not one of the kinds, naming the file, line and the shapes it accepts', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'accord-scope-'));
    try {
      await mkdir(path.join(root, 'config'));
      await writeFile(path.join(root, 'config/environment.yaml'), 'services:\n  a:\n    command: node a.js\n    uses: [{ queue: orders }]\n');
      const error = await loadConfig('config', { root, env: {} }).then(() => undefined, (caught: unknown) => caught as Error);
      expect(error?.message).to.match(/config\/environment\.yaml:4: services\.a\.uses\[0\]: expected database, cache, produces, consumes, http, external \(via only with external\), got "queue"/);
      // Two kinds in one entry: one problem naming the shapes.
      await writeFile(path.join(root, 'config/environment.yaml'), 'services:\n  a:\n    command: node a.js\n    uses: [{ database: x, cache: y }]\n');
      const two = await loadConfig('config', { root, env: {} }).then(() => undefined, (caught: unknown) => caught as Error);
      expect(two?.message).to.match(/config\/environment\.yaml:4: services\.a\.uses\[0\]: expected one of \{database: NAME\}, \{cache: NAME\}, .*, got a map$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('sizes and rates in units people use', () => {
  it('formats bytes and bytes per second in decimal units, other units as numbers', () => {
    expect(formatQuantity(2_000_000_000, 'bytes')).to.equal('2.00 GB');
    expect(formatQuantity(93_000_000, 'bytes')).to.equal('93 MB');
    expect(formatQuantity(50_000_000, 'bytes/s')).to.equal('50 MB/s');
    expect(formatQuantity(1_500_000, 'bytes')).to.equal('1.5 MB');
    expect(formatQuantity(512, 'bytes')).to.equal('512 B');
    expect(formatQuantity(31.234, 'ms')).to.equal('31.23 ms');
    expect(formatMeasured({ actual: 1_210_000_000, limit: 2_000_000_000, unit: 'bytes' })).to.equal('1.21 GB (limit 2.00 GB)');
  });
});
