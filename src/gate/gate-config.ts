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
  readonly verify: {
    readonly provider: string | undefined;
    readonly states: string | undefined;
    readonly tokenSecret: string | undefined;
    /** Verify the pacts the broker holds for the provider (a provider-only repository) instead of the pacts directory. */
    readonly fromBroker: boolean;
  };
  /** After `--publish`: ask the broker whether this version can be deployed (to `toEnvironment`, else against the other pacticipants' latest); undefined: gate.yaml has no `canIDeploy:` block. */
  readonly canIDeploy: { readonly toEnvironment: string | undefined } | undefined;
  readonly load: { readonly profile: string };
  /** Services that are not ours, each served by a recording stub: its traffic is checked against the vendor's contract. */
  readonly external: readonly ExternalPoint[];
}

/** One external integration point: the stub standing in for the vendor and where it records. */
export interface ExternalPoint {
  /** The stub's name in environment.yaml. */
  readonly service: string;
  /** The stub's `--record` file, absolute. */
  readonly recorded: string;
  /** The vendor's contract, absolute; undefined: the one the recording names. */
  readonly contract: string | undefined;
}

export const gateSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    consumerTests: { type: 'object', additionalProperties: false, properties: { command: { type: 'string', minLength: 1 }, cwd: { type: 'string', minLength: 1 } } },
    verify: {
      type: 'object',
      additionalProperties: false,
      properties: { provider: { type: 'string', minLength: 1 }, states: { type: 'string', minLength: 1 }, tokenSecret: { type: 'string', minLength: 1 }, fromBroker: { type: 'boolean' } },
    },
    canIDeploy: { type: 'object', additionalProperties: false, properties: { toEnvironment: { type: 'string', minLength: 1 } } },
    load: { type: 'object', additionalProperties: false, properties: { profile: { type: 'string', minLength: 1 } } },
    external: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['service', 'recorded'],
        properties: { service: { type: 'string', minLength: 1 }, recorded: { type: 'string', minLength: 1 }, contract: { type: 'string', minLength: 1 } },
      },
    },
  },
};

interface UserGateConfig {
  consumerTests?: { command?: string; cwd?: string };
  verify?: { provider?: string; states?: string; tokenSecret?: string; fromBroker?: boolean };
  canIDeploy?: { toEnvironment?: string };
  load?: { profile?: string };
  external?: { service: string; recorded: string; contract?: string }[];
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
    throwIfProblems(validateYaml(parsed, gateSchema), join(config.dir, 'gate.yaml'));
    user = (parsed.value ?? {}) as UserGateConfig;
  }
  return {
    file,
    consumerTests: { command: user.consumerTests?.command, cwd: resolve(config.root, user.consumerTests?.cwd ?? '.') },
    verify: {
      provider: user.verify?.provider ?? config.pacts.verify.provider,
      states: user.verify?.states ?? config.pacts.verify.states,
      tokenSecret: user.verify?.tokenSecret ?? config.pacts.verify.tokenSecret,
      fromBroker: user.verify?.fromBroker ?? false,
    },
    canIDeploy: user.canIDeploy === undefined ? undefined : { toEnvironment: user.canIDeploy.toEnvironment },
    load: { profile: user.load?.profile ?? 'smoke' },
    external: (user.external ?? []).map((point) => ({ service: point.service, recorded: resolve(config.root, point.recorded), contract: point.contract === undefined ? undefined : resolve(config.root, point.contract) })),
  };
}
