import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { refPolicyFor, refusedRef } from '../../../src/contract/ref-policy.js';
import { ErrorCodes, printable } from '../../../src/errors/index.js';
import { jsonSyntaxError, nestingDepth, parseBoundedYaml, textNestingDepth } from '../../../src/input/index.js';

describe('bounded parsing of untrusted documents', () => {
  it('measures nesting without recursion, a million deep included', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i += 1) deep = [deep];
    expect(nestingDepth(deep)).to.equal(257);
    expect(nestingDepth({ a: [{ b: 1 }] })).to.equal(3);
    expect(textNestingDepth('{"a": "[[[[", "b": [[1]]}')).to.equal(3);
    expect(textNestingDepth(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).to.equal(257);
  });

  it('parses YAML within the limits and refuses an alias bomb, deep flow nesting and a document too large', () => {
    expect(parseBoundedYaml('ok.yaml', 'a: &x [1, 2]\nb: *x\n')).to.deep.equal({ ok: true, value: { a: [1, 2], b: [1, 2] } });
    const bomb = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]`)].join('\n');
    expect(() => parseBoundedYaml('bomb.yaml', bomb, ErrorCodes.CONFIG_INVALID)).to.throw(/^bomb\.yaml: YAML aliases expand beyond the limit of 10000/);
    expect(() => parseBoundedYaml('deep.yaml', `a: ${'['.repeat(5000)}${']'.repeat(5000)}`)).to.throw(/^deep\.yaml: objects and arrays are nested more than 256 deep$/);
    expect(() => parseBoundedYaml('big.yaml', `a: "${'x'.repeat(5 * 1024 * 1024)}"`)).to.throw(/^big\.yaml: 5\.0 MB of YAML is more than the 2 MB a YAML document may be/);
    const broken = parseBoundedYaml('broken.yaml', 'a: [1,\n');
    expect(broken.ok).to.equal(false);
  });

  it('says where JSON is broken without quoting the text (it may be a secret)', () => {
    const error = (text: string) => {
      try {
        JSON.parse(text);
      } catch (caught) {
        return jsonSyntaxError(text, caught as Error);
      }
      return '';
    };
    expect(error('root:$6$secret:19000:0:99999:7:::')).to.equal("Unexpected token 'r'");
    expect(error('{"a": 1')).to.match(/^Expected ',' or '}' after property value at line 1, column 8$/);
  });

  it('shows control characters escaped and cuts long values', () => {
    expect(printable('a\u0000b\u001b[31mc\nd\u2028')).to.equal('a\\x00b\\x1b[31mc\\nd\\u2028');
    expect(printable('x'.repeat(500), 10)).to.equal(`${'x'.repeat(10)}…`);
  });
});

describe('$ref policy: references stay inside the project', () => {
  let root: string;
  let project: string;
  let contract: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'accord-ref-policy-'));
    project = join(root, 'project');
    await mkdir(join(project, 'api', 'parts'), { recursive: true });
    await writeFile(join(root, 'secret.txt'), 'secret');
    await writeFile(join(project, 'api', 'parts', 'a.yaml'), 'type: string');
    await writeFile(join(project, 'shared.yaml'), 'type: string');
    await symlink(join(root, 'secret.txt'), join(project, 'api', 'parts', 'link.yaml'));
    contract = join(project, 'api', 'contract.yaml');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('follows files under the contract folder and the project', () => {
    const policy = refPolicyFor(contract, project);
    expect(refusedRef('./parts/a.yaml#/x', contract, policy)).to.equal(undefined);
    expect(refusedRef('../shared.yaml', contract, policy)).to.equal(undefined);
    expect(refusedRef('#/components/schemas/A', contract, policy)).to.equal(undefined);
  });

  it('refuses files outside, links leading outside, devices and URLs of hosts not allowed', () => {
    const policy = refPolicyFor(contract, project);
    expect(refusedRef('../../secret.txt', contract, policy)).to.match(/leads outside/);
    expect(refusedRef('/etc/shadow', contract, policy)).to.match(/^`\/etc\/shadow` leads outside/);
    expect(refusedRef('file:///etc/shadow', contract, policy)).to.match(/leads outside/);
    expect(refusedRef('%2e%2e/%2e%2e/secret.txt', contract, policy)).to.match(/leads outside/);
    expect(refusedRef('./parts/link.yaml', contract, policy)).to.match(/leads outside/);
    expect(refusedRef('https://example.com/a.json', contract, policy)).to.match(/--allow-ref-host/);
    expect(refusedRef('ftp://example.com/a.json', contract, policy)).to.match(/only file and http\(s\)/);
    const allowing = refPolicyFor(contract, project, ['Example.com']);
    expect(refusedRef('https://example.com/a.json', contract, allowing)).to.equal(undefined);
    expect(refusedRef('http://169.254.169.254/latest', contract, allowing)).to.match(/--allow-ref-host/);
  });
});
