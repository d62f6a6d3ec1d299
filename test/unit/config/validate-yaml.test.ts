import { expect } from 'chai';
import { formatProblem, parseYamlText, validateYaml } from '../../../src/config/index.js';

// The helpers other capabilities use for their own files (e.g. load.yaml).
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['targetRps'],
  properties: {
    targetRps: { type: 'number', minimum: 1, description: 'a positive number' },
    stages: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { duration: { type: 'string' } } } },
  },
};

describe('validateYaml', () => {
  it('accepts a valid file', () => {
    const parsed = parseYamlText('targetRps: 500\nstages:\n  - duration: 30s\n', '/repo/load.yaml');
    expect(validateYaml(parsed, schema)).to.deep.equal([]);
  });

  it('locates each problem at its line, in items of lists too', () => {
    const parsed = parseYamlText('targetRps: -5\nstages:\n  - duration: 30s\n  - duraton: 10s\n', '/repo/load.yaml');
    const lines = validateYaml(parsed, schema).map((problem) => formatProblem(problem, '/repo'));
    expect(lines).to.deep.equal([
      'load.yaml:1: targetRps: expected a positive number, got -5 (number)',
      'load.yaml:4: stages[1].duraton: unknown key (did you mean "duration"?)',
    ]);
  });

  it('points a missing key at the map that lacks it', () => {
    const parsed = parseYamlText('# comment\nstages: []\n', '/repo/load.yaml');
    const [problem] = validateYaml(parsed, schema);
    expect(problem).to.include({ path: 'targetRps', message: 'required key is missing' });
  });

  it('returns syntax errors with line and column instead of throwing', () => {
    const parsed = parseYamlText('targetRps: 5\ntargetRps: 6\n', '/repo/load.yaml');
    const [problem] = validateYaml(parsed, schema);
    expect(problem && formatProblem(problem, '/repo')).to.equal('load.yaml:2:1: invalid YAML: Map keys must be unique');
  });

  it('lists the known keys when nothing is close', () => {
    const parsed = parseYamlText('targetRps: 5\nzzz: 1\n', '/repo/load.yaml');
    expect(validateYaml(parsed, schema)[0]?.message).to.equal('unknown key (expected one of: targetRps, stages)');
  });
});
