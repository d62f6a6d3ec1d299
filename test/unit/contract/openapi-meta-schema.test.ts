import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { expect } from 'chai';

// The build (npm test's pretest) writes dist/contract/openapi-3.{0,1}-meta.generated.cjs, which
// `accord contract lint` validates with instead of letting swagger-parser compile the meta-schema.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const MODULE = path.join(ROOT, 'dist/contract/openapi-meta-schema.js');

interface MetaModule {
  precompiledMetaValidator(kind: 'openapi-3.0' | 'openapi-3.1'): ValidateFunction | undefined;
}

const info = { title: 't', version: '1' };
// Documents each version's meta-schema must judge: valid, a missing required field, wrong types
// at several depths, an unknown key, a bad enum and a bad schema in components.
const samples = (openapi: string): object[] => [
  { openapi, info, paths: {} },
  { openapi, paths: {} },
  { openapi, info: { title: 3 }, paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } },
  { openapi, info, paths: { '/a': { get: { parameters: [{ name: 'x', in: 'body' }], responses: {} } } } },
  { openapi, info, paths: { noSlash: {} }, extra: true },
  { openapi, info, paths: {}, components: { schemas: { A: { type: 7, properties: [] } } } },
  { openapi, info, paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { $ref: 5 } } } }, responses: { default: {} } } } } },
];

async function swaggerParserErrors(document: object): Promise<ErrorObject[]> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never, { validate: { spec: false } });
    return [];
  } catch (error) {
    return (error as { details?: ErrorObject[] }).details ?? [{ message: (error as Error).message } as ErrorObject];
  }
}

async function precompiledErrors(validate: ValidateFunction, document: object): Promise<ErrorObject[]> {
  const api = await SwaggerParser.dereference(structuredClone(document) as never, { dereference: { circular: 'ignore' } });
  return validate(api) ? [] : (validate.errors ?? []);
}

describe('OpenAPI meta-schema validators compiled by the build (ajv standalone)', () => {
  for (const [kind, openapi] of [['openapi-3.0', '3.0.3'], ['openapi-3.1', '3.1.0']] as const) {
    it(`judge ${kind} documents with the very errors swagger-parser's validate reports`, async () => {
      expect(existsSync(MODULE), 'dist/ is built before the tests').to.equal(true);
      // swagger-parser first: its first 3.1 validation changes the loaded 3.1 schema in place,
      // which must not stop the build's validator from being used in the same process.
      const expected = await Promise.all(samples(openapi).map(swaggerParserErrors));
      const { precompiledMetaValidator } = (await import(pathToFileURL(MODULE).href)) as MetaModule;
      const validate = precompiledMetaValidator(kind);
      expect(validate, `a precompiled validator for ${kind}`).to.be.a('function');
      for (const [index, document] of samples(openapi).entries()) {
        expect(await precompiledErrors(validate as ValidateFunction, document), JSON.stringify(document)).to.deep.equal(expected[index]);
      }
      expect(expected.filter((errors) => errors.length > 0).length, 'most samples break the meta-schema').to.be.at.least(samples(openapi).length - 2);
    });
  }
});
