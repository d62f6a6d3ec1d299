import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** The options every YAML schema is compiled with, at run time and by the build alike. */
export const AJV_OPTIONS: Readonly<Options> = Object.freeze({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });

/** The file scripts/build.mjs writes next to this module's JavaScript. */
export const GENERATED_VALIDATORS = 'validators.generated.cjs';

interface GeneratedValidators {
  readonly keys: readonly string[];
  readonly [name: `v${number}`]: ValidateFunction;
}

let byJson: Map<string, ValidateFunction> | undefined;

/**
 * The validator the build compiled ahead of time for `schema` (ajv standalone code, written next to
 * this file's JavaScript by scripts/build.mjs), or undefined: when running from source, or when the
 * schema changed since the build, the caller compiles it as before. Matched by the schema's JSON,
 * so a stale file can never validate against an old schema.
 */
export function precompiledValidator(schema: object): ValidateFunction | undefined {
  if (byJson === undefined) {
    byJson = new Map();
    let generated: GeneratedValidators | undefined;
    try {
      generated = require(`./${GENERATED_VALIDATORS}`) as GeneratedValidators;
    } catch {
      generated = undefined;
    }
    generated?.keys.forEach((key, index) => {
      const validate = generated[`v${index}`];
      if (typeof validate === 'function') byJson?.set(key, validate);
    });
  }
  return byJson.size === 0 ? undefined : byJson.get(JSON.stringify(schema));
}
