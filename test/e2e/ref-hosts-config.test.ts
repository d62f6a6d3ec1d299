/**
 * contracts.yaml's `refs.allowHosts`: the config key that lets a contract's `$ref`s fetch http(s)
 * URLs from the hosts it names, as `--allow-ref-host` does. Proven against a real HTTP server:
 * fetched with the key, refused (and never asked) without it, and a key that is not a host name
 * is bad config.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { accord } from '../support/accord.js';

const contract = (port: number) => `openapi: 3.0.3
info: { title: refs, version: 1.0.0 }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema:
                $ref: 'http://127.0.0.1:${port}/schemas/thing.yaml'
`;

describe('contracts.yaml refs.allowHosts: remote $refs only from the hosts it names', function () {
  this.timeout(120_000);
  let root: string;
  let requests: string[];
  let server: ReturnType<typeof createServer>;
  let port: number;

  before(async () => {
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/yaml' }).end('type: object\nproperties:\n  id: { type: string }\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    root = await mkdtemp(join(tmpdir(), 'accord-ref-hosts-'));
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  /** A project whose contracts.yaml has `config` after its path, linted by the CLI there. */
  async function lintWith(name: string, config: string) {
    const project = join(root, name);
    await mkdir(join(project, 'config'), { recursive: true });
    await writeFile(join(project, 'contract.yaml'), contract(port));
    await writeFile(join(project, 'config', 'contracts.yaml'), `path: contract.yaml\n${config}`);
    return accord(['contract', 'lint', '--config', 'config'], { cwd: project, timeoutMs: 90_000 });
  }

  it('fetches from a named host, refuses without the key, and refuses a key that is no host name', async () => {
    const [allowed, notAllowed, badKey] = await Promise.all([
      lintWith('allowed', 'refs:\n  allowHosts: [127.0.0.1]\n'),
      lintWith('not-allowed', ''),
      lintWith('bad-key', "refs:\n  allowHosts: ['http://127.0.0.1/']\n"),
    ]);
    expect(allowed.exitCode, allowed.stderr + allowed.stdout).to.equal(0);
    expect(requests, 'the allowed project fetched the schema, the others asked nothing').to.deep.equal(['/schemas/thing.yaml']);
    expect(notAllowed.exitCode, notAllowed.stderr).to.equal(2);
    expect(notAllowed.stderr.trim()).to.match(/^accord: contract\.yaml:\d+:\d+: \$ref refused: `http:\/\/127\.0\.0\.1:\d+\/schemas\/thing\.yaml` is a URL: .*--allow-ref-host or contracts\.yaml refs\.allowHosts$/);
    expect(badKey.exitCode, badKey.stderr).to.equal(2);
    expect(badKey.stderr).to.match(/contracts\.yaml:3.*refs\.allowHosts\[0\].*host name/);
  });
});
