import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import type { SchemaObject, ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { SECTION_SCHEMAS } from '../../../src/config/schemas.js';
import { gateSchema } from '../../../src/gate/gate-config.js';
import { loadFileSchema, profileFileSchema } from '../../../src/load/profile-schema.js';
import { scenariosSchema } from '../../../src/scenarios/scenarios-config.js';
import { brokerConfigSchema } from '../../../src/broker/broker-config.js';
import { AJV_OPTIONS } from '../../../src/config/precompiled.js';

// The build (npm test's pretest) writes dist/config/validators.generated.cjs: ajv's standalone code
// for these schemas, which the CLI uses instead of compiling them at every start.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const PRECOMPILED = path.join(ROOT, 'dist/config/precompiled.js');
const schemas: Record<string, SchemaObject> = { ...SECTION_SCHEMAS, gate: gateSchema, load: loadFileSchema, profile: profileFileSchema, scenarios: scenariosSchema, broker: brokerConfigSchema };

// Values each schema must judge: wrong types at the top and one level down, unknown keys, a
// missing required key, and a plausible valid one, so error lists of every kind are compared.
const samples: unknown[] = [
  {},
  null,
  'text',
  [1, 2],
  { services: { A: {} } },
  { services: { api: { command: 'node x.js', port: 70000, uses: [{ database: 'a', cache: 'b' }] } } },
  { postgres: true, redis: { port: 'x' } },
  { contract: 42, consumers: ['x'] },
  { steps: { lint: 'yes' }, unknownKey: 1 },
  { profiles: { smoke: { stages: [{ duration: -1 }] } } },
  { target: 'http://localhost', stages: [{ rate: 'fast' }], thresholds: { 'http.p99': 'x' } },
  { scenarios: [{ name: 1 }] },
  { port: 'x', database: { url: 3 }, webhooks: { replicas: -1 } },
];

const shape = (validate: ValidateFunction, value: unknown) => {
  validate(value);
  return (validate.errors ?? []).map((error) => ({ path: error.instancePath, keyword: error.keyword, params: error.params, message: error.message, description: (error.parentSchema as { description?: unknown } | undefined)?.description }));
};

describe('validators compiled by the build (ajv standalone)', () => {
  const ajv = new Ajv({ ...AJV_OPTIONS });

  it('exist for every schema Accord validates YAML with, and judge every sample as run-time compilation does', async () => {
    expect(existsSync(PRECOMPILED), 'dist/ is built before the tests').to.equal(true);
    const { precompiledValidator } = (await import(pathToFileURL(PRECOMPILED).href)) as { precompiledValidator(schema: object): ValidateFunction | undefined };
    for (const [name, schema] of Object.entries(schemas)) {
      const shipped = precompiledValidator(schema);
      expect(shipped, `a precompiled validator for the ${name} schema`).to.be.a('function');
      const compiled = ajv.compile(schema);
      for (const value of samples) expect(shape(shipped as ValidateFunction, value), `${name}: ${JSON.stringify(value)}`).to.deep.equal(shape(compiled, value));
    }
  });

  it('are not used for a schema the build did not see', async () => {
    const { precompiledValidator } = (await import(pathToFileURL(PRECOMPILED).href)) as { precompiledValidator(schema: object): ValidateFunction | undefined };
    expect(precompiledValidator({ ...gateSchema, description: 'changed since the build' })).to.equal(undefined);
  });
});
