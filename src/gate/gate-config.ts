import { join, resolve } from 'node:path';
import type { SchemaObject } from 'ajv';
import { parseYamlWithLocations, throwIfProblems, validateYaml } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';

/** `gate.yaml`: the example-specific parts of the gate, every field filled. */
export interface GateConfig {
  /** Where `gate.yaml` was read from, or undefined when there is none. */
  readonly file: string | undefined;
  /** The consumer tests that regenerate the pacts; none configured means the step is skipped. */
  readonly consumerTests: { readonly command: string | undefined; readonly cwd: string };
  readonly verify: { readonly provider: string | undefined; readonly states: string | undefined; readonly tokenSecret: string | undefined };
  readonly load: { readonly profile: string };
}

const schema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    consumerTests: { type: 'object', additionalProperties: false, properties: { command: { type: 'string', minLength: 1 }, cwd: { type: 'string', minLength: 1 } } },
    verify: {
      type: 'object',
      additionalProperties: false,
      properties: { provider: { type: 'string', minLength: 1 }, states: { type: 'string', minLength: 1 }, tokenSecret: { type: 'string', minLength: 1 } },
    },
    load: { type: 'object', additionalProperties: false, properties: { profile: { type: 'string', minLength: 1 } } },
  },
};

interface UserGateConfig {
  consumerTests?: { command?: string; cwd?: string };
  verify?: { provider?: string; states?: string; tokenSecret?: string };
  load?: { profile?: string };
}

/**
 * Reads and validates `<config dir>/gate.yaml` (every problem at once, with file:line); a missing
 * file leaves everything unset. `verify` falls back key by key to pacts.yaml's `verify:` block,
 * which `accord verify` reads too.
 */
export async function loadGateConfig(config: ResolvedConfig): Promise<GateConfig> {
  const section = config.sections.get('gate');
  const file = section?.file;
  let user: UserGateConfig = {};
  if (file) {
    const parsed = await parseYamlWithLocations(file);
    throwIfProblems([...parsed.problems, ...validateYaml(parsed, schema)], join(config.dir, 'gate.yaml'));
    user = (parsed.value ?? {}) as UserGateConfig;
  }
  return {
    file,
    consumerTests: { command: user.consumerTests?.command, cwd: resolve(config.root, user.consumerTests?.cwd ?? '.') },
    verify: {
      provider: user.verify?.provider ?? config.pacts.verify.provider,
      states: user.verify?.states ?? config.pacts.verify.states,
      tokenSecret: user.verify?.tokenSecret ?? config.pacts.verify.tokenSecret,
    },
    load: { profile: user.load?.profile ?? 'smoke' },
  };
}
