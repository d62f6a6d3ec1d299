import { EXAMPLE_ROOT } from '../support/accord.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { Result } from 'execa';
import { startStub } from '../../src/stub/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/accord.js');
const VENDOR = path.join(EXAMPLE_ROOT, 'contracts/external/payments.yaml');

type Run = Result<{ reject: false; cwd: string }>;

/** Runs `accord ...args` as a user would. */
function accord(args: string[]): Promise<Run> {
  return execa('node', [BIN, ...args], { cwd: ROOT, reject: false, env: { CI: 'true', NO_COLOR: '1' } }) as Promise<Run>;
}

function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.exitCode, run.stderr).to.equal(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).to.have.length(1);
  expect(lines[0]).to.match(pattern);
}

describe('accord stub serve and the vendor contract (CLI end to end)', function () {
  this.timeout(120_000);

  it('lints the vendor contract (exit 0) and a malformed copy with file:line:col (exit 1)', async () => {
    const [ok, malformed] = await Promise.all([accord(['contract', 'lint', VENDOR]), accord(['contract', 'lint', path.join(ROOT, 'test/fixtures/contract/vendor-malformed/contract.yaml')])]);
    expect(ok.exitCode, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain(`${VENDOR}: valid OpenAPI 3.1.0`);
    expect(malformed.exitCode).to.equal(1);
    expect(malformed.stdout).to.contain('vendor-malformed/contract.yaml:72:19: error [example-valid]');
  });

  it('refuses an unknown fault mode and an unreadable contract: one line, exit 2', async () => {
    const [fault, yaml, port] = await Promise.all([
      accord(['stub', 'serve', VENDOR, '--fault', 'meltdown']),
      accord(['stub', 'serve', path.join(ROOT, 'test/fixtures/contract/yaml-syntax-error/contract.yaml')]),
      accord(['stub', 'serve', VENDOR, '--port', 'eighty']),
    ]);
    expectOneLineError(fault, /^accord: unknown fault mode "meltdown": expected one of none, latency, error, timeout, reset$/);
    expectOneLineError(yaml, /^accord: \S*test\/fixtures\/contract\/yaml-syntax-error\/contract\.yaml:\d+:\d+: YAML syntax error/);
    expectOneLineError(port, /--port must be an integer from 0 to 65535, got "eighty"/);
  });

  it('serves, validates and records until Ctrl-C (exit 130, recording flushed)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'accord-stub-e2e-'));
    const record = path.join(dir, 'payments.jsonl');
    const child = execa('node', [BIN, 'stub', 'serve', VENDOR, '--port', '0', '--format', 'json', '--record', record], { cwd: ROOT, reject: false, env: { CI: 'true' } });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        child.once('exit', () => reject(new Error('the stub exited before listening')));
      });
      const { url } = JSON.parse(line) as { url: string };
      const sent = await fetch(`${url}/payments`, { method: 'POST', headers: { authorization: 'Bearer sk_test_e2e', 'content-type': 'application/json', 'idempotency-key': 'e2e-1' }, body: JSON.stringify({ currency: 'EUR', reference: 'o', paymentMethod: { type: 'card', token: 'tok_visa_4242' } }) });
      expect(sent.status).to.equal(422);
      expect(((await sent.json()) as { detail: string }).detail).to.contain('body `amount` is required');
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).to.equal(130);
      const recorded = (await readFile(record, 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as { outcome: string; request: { headers: Record<string, string> } });
      expect(recorded.map((entry) => entry.outcome)).to.deep.equal(['rejected']);
      expect(recorded[0]?.request.headers['idempotency-key']).to.equal('e2e-1');
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a request the vendor contract forbids: the stub answers 422 naming the field, check-pacts --recorded fails naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'accord-recorded-'));
    const good = path.join(dir, 'good.jsonl');
    const bad = path.join(dir, 'bad.jsonl');
    try {
      const headers = { authorization: 'Bearer sk_test_e2e', 'content-type': 'application/json', 'idempotency-key': 'rec-1' };
      const body = { amount: 1299, currency: 'EUR', reference: 'order-9', paymentMethod: { type: 'card', token: 'tok_visa_4242' } };
      for (const [file, sent] of [[good, body], [bad, { ...body, amount: undefined }]] as const) {
        const stub = await startStub({ contract: VENDOR, record: file });
        try {
          const answer = await fetch(`${stub.url}/payments`, { method: 'POST', headers, body: JSON.stringify(sent) });
          if (file === bad) {
            expect(answer.status).to.equal(422);
            expect(((await answer.json()) as { detail: string }).detail).to.equal('authorizePayment (POST /payments): body `amount` is required');
          } else expect(answer.status).to.equal(201);
        } finally {
          await stub.stop();
        }
      }
      const [passes, fails, broken] = await Promise.all([
        accord(['contract', 'check-pacts', '--recorded', good]),
        accord(['contract', 'check-pacts', '--recorded', bad, '--format', 'json']),
        accord(['contract', 'check-pacts', '--recorded', path.join(ROOT, 'package.json')]),
      ]);
      expect(passes.exitCode, passes.stdout + passes.stderr).to.equal(0);
      expect(fails.exitCode, fails.stderr).to.equal(1);
      const result = JSON.parse(fails.stdout) as { ok: boolean; findings: { code: string; interaction: string; location: string; message: string }[] };
      expect(result.ok).to.equal(false);
      expect(result.findings).to.deep.equal([{ code: 'request.body.incompatible', level: 'error', pact: bad, interaction: 'authorizePayment (POST /payments)', location: `${bad}:1`, message: 'request body `amount` is required' }]);
      expectOneLineError(broken, /package\.json:1: not an exchange|package\.json:1: not a JSON line/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
