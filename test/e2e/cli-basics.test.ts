import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { accord } from '../support/accord.js';

// What every command shares: --version, one-line usage errors, JSON errors under --format json,
// and a can-i-deploy dry run that keeps its exit-0 promise when the broker cannot be asked.


async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('accord CLI basics', function () {
  this.timeout(30_000);

  it('accord --version prints the version from package.json', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const run = await accord(['--version']);
    expect(run.exitCode).to.equal(0);
    expect(run.stdout).to.equal(version);
  });

  it('a usage error is one line that points at the command\'s help, exit 2', async () => {
    const unknown = await accord(['verify', '--no-such-flag']);
    expect(unknown.exitCode).to.equal(2);
    expect(unknown.stderr).to.equal("accord verify: unknown option '--no-such-flag' (see `accord verify --help`)");
    const missing = await accord(['contract', 'diff']);
    expect(missing.exitCode).to.equal(2);
    expect(missing.stderr).to.equal("accord contract diff: missing required argument 'base' (see `accord contract diff --help`)");
    const choice = await accord(['schema', 'diff', '--format', 'yaml']);
    expect(choice.exitCode).to.equal(2);
    expect(choice.stderr.split('\n')).to.have.length(1);
    expect(choice.stderr).to.match(/^accord schema diff: option '--format <format>' argument 'yaml' is invalid\. Allowed choices are text, json, sql\. \(see `accord schema diff --help`\)$/);
  });

  it('--format json errors are {"error":{code,message}} on stdout', async () => {
    const profile = await accord(['load', '--profile', 'soak', '--format', 'json']);
    expect(profile.exitCode).to.equal(2);
    expect(JSON.parse(profile.stdout)).to.deep.equal({
      error: { code: 'ACCORD_PROFILE_UNKNOWN', message: 'unknown load profile "soak": expected one of smoke, full (from config/integration/load.yaml) or a path to a profile YAML file' },
    });
    const usage = await accord(['verify', '--format', 'json', '--no-such-flag']);
    expect(usage.exitCode).to.equal(2);
    expect(JSON.parse(usage.stdout)).to.deep.equal({ error: { code: 'ACCORD_USAGE', message: "unknown option '--no-such-flag'" } });
    const port = await closedPort();
    const broker = await accord(['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--broker-url', `http://127.0.0.1:${port}`, '--format', 'json']);
    expect(broker.exitCode).to.equal(2);
    expect(JSON.parse(broker.stdout).error).to.deep.equal({ code: 'ACCORD_BROKER_REQUEST_FAILED', message: `cannot reach the Pact Broker at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('can-i-deploy --dry-run exits 0 when the broker is unreachable, saying what it would have answered', async () => {
    const port = await closedPort();
    const run = await accord(['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--to-environment', 'production', '--broker-url', `http://127.0.0.1:${port}`, '--dry-run']);
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`cannot reach the Pact Broker at http://127.0.0.1:${port}`);
    expect(run.stdout).to.include('Computer says no');
    expect(run.stdout).to.include('Dry run enabled: suppressing the failing exit code');
    const json = await accord(['can-i-deploy', '-a', 'service-a', '-e', '1.0.0', '--broker-url', `http://127.0.0.1:${port}`, '--dry-run', '--format', 'json']);
    expect(json.exitCode).to.equal(0);
    expect(JSON.parse(json.stdout)).to.deep.include({ dryRun: true });
    // Bad usage is still bad usage, dry run or not.
    const usage = await accord(['can-i-deploy', '--dry-run']);
    expect(usage.exitCode).to.equal(2);
  });
});
