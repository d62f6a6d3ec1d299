/**
 * `accord verify` as a user runs it: exit codes, output formats, bad input, and nothing left
 * running afterwards (every process Accord starts inherits a marker we look for in /proc).
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { accord } from '../support/accord.js';

const fixture = (name: string) => `test/fixtures/pact/${name}`;

/** `accord ...args` with a marker in its environment, to find every process it started. */
async function accordMarked(args: string[], env: Record<string, string> = {}, marker = randomUUID()) {
  return { ...(await accord(args, { env: { ACCORD_E2E_MARKER: marker, ...env } })), marker };
}

/** PIDs of live processes whose environment carries `marker`. */
async function processesWithMarker(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.includes(`ACCORD_E2E_MARKER=${marker}`)) found.push(Number(entry));
  }
  return found;
}

describe('accord verify (CLI)', function () {
  this.timeout(240_000);

  describe('bad input: one clear line, exit 2, before anything starts', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['a pact file that is not JSON', ['--pacts', fixture('pact-not-json')], /pact-not-json\/pact\.json: not JSON \(.*\); a pact file must be JSON$/],
      ['a pact for another provider', ['--pacts', fixture('pact-for-another-provider')], /no pact for provider "service-b" in .*pact-for-another-provider: .*pact\.json is for provider "service-c"/],
      ['a missing pacts directory', ['--pacts', fixture('no-such-directory')], /^accord: \S*test\/fixtures\/pact\/no-such-directory: no such pact file or directory/],
      ['a provider state with no handler', ['--pacts', fixture('unknown-provider-state')], /no handler for provider state "a warehouse exists" \(.*interaction "a request for a warehouse item"\)/],
      ['--publish without a broker', ['--publish', '--provider-version', '2.0.0'], /--publish needs a Pact Broker: set PACT_BROKER_BASE_URL/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const result = await accordMarked(['verify', ...args]);
        expect(result.exitCode, result.stderr).to.equal(2);
        expect(result.stdout).to.equal('');
        const lines = result.stderr.trim().split('\n');
        expect(lines, result.stderr).to.have.length(1);
        expect(lines[0]).to.match(/^accord: /);
        expect(lines[0]).to.match(message);
      });
    }
  });

  it('a Service B that will not start: exit 2 with its log tail, nothing left running', async () => {
    const result = await accordMarked(['verify', '--config', fixture('service-b-will-not-start/config')]);
    expect(result.exitCode, result.stderr).to.equal(2);
    expect(result.stderr).to.match(/^accord: service-b exited .* before it became healthy/m, result.stderr);
    expect(result.stderr).to.include('LOG_LEVEL must be one of');
    expect(result.stdout).to.equal('');
    expect(await processesWithMarker(result.marker)).to.deep.equal([]);
  });

  it('a failing verification: exit 1, the issue\'s JSON shape naming interaction and mismatch, nothing left running', async () => {
    const result = await accordMarked(['verify', '--free-ports', '--pacts', fixture('unexpected-status-code'), '--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).to.deep.equal({
      ok: false,
      interactions: [
        {
          description: 'a request for an item expecting 201',
          providerStates: ['an item exists'],
          ok: false,
          mismatches: [{ attribute: 'status', location: 'status', message: 'expected 201 but was 200' }],
        },
      ],
    });
    expect(await processesWithMarker(result.marker)).to.deep.equal([]);
  });
  // --publish (the broker's pacts verified, the results published there) is proven against a
  // running provider in verify-running.test.ts: the publishing is the same, the start is not.
});
