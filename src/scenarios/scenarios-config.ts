import { isAbsolute, join, resolve } from 'node:path';
import type { SchemaObject } from 'ajv';
import { dottedPath, parseYamlWithLocations, requireSetting, throwIfProblems, validateYaml } from '../config/index.js';
import type { ConfigProblem, ResolvedConfig } from '../config/index.js';

/** One participant of the sequence diagrams: the environment service that plays it and how diagrams label it. */
export interface ScenarioRole {
  /** A service name of environment.yaml; also the `service` field of its log lines. */
  readonly service: string;
  /** The participant label in the sequence diagrams. @default the service name */
  readonly label: string;
  /** The worker's only: what the diagrams say it writes to Postgres when it applies an event. */
  readonly writes?: string | undefined;
}

/**
 * Which configured service the sequence diagrams draw as the consumer the client calls (A), the
 * provider it calls (B) and a worker that consumes its events (W, optional).
 */
export interface ScenarioRoles {
  readonly consumer: ScenarioRole;
  readonly provider: ScenarioRole;
  readonly worker?: ScenarioRole | undefined;
}

/** `scenarios.yaml`, filled. */
export interface ScenariosConfig {
  /** Where it was read from; undefined when the config has no scenarios.yaml. */
  readonly file: string | undefined;
  /** The catalog module, absolute (`catalog:` is relative to the project root); undefined when none is configured. */
  readonly catalog: string | undefined;
  /** The diagram roles; undefined: drawn from the services' start order (see {@link participantsOf}). */
  readonly roles: ScenarioRoles | undefined;
}

const serviceName = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a service name of environment.yaml (lowercase letters, digits, -)' };
const label = { type: 'string', minLength: 1, description: 'a diagram label' };
const role: SchemaObject = { type: 'object', additionalProperties: false, required: ['service'], properties: { service: serviceName, label } };
const workerRole: SchemaObject = { ...role, properties: { ...role.properties, writes: { type: 'string', minLength: 1, description: 'what the diagrams say the worker writes when it applies an event' } } };

/** The JSON Schema of `scenarios.yaml`. */
export const scenariosSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    catalog: { type: 'string', minLength: 1, description: 'the module whose default export (or `scenarios` export) is the array of defineScenario(...) results, relative to the project root' },
    roles: {
      type: 'object',
      additionalProperties: false,
      required: ['consumer', 'provider'],
      properties: { consumer: role, provider: role, worker: workerRole },
    },
  },
};

/** What `accord scenarios` and the gate say when no catalog is configured. */
export const NO_CATALOG_PURPOSE = "the module whose default export is the team's scenario catalog (an array of defineScenario(...)), relative to the project root";

/**
 * Reads and validates `<config dir>/scenarios.yaml`: every problem at once with file:line, and
 * each role's service must be one environment.yaml defines. A config without the file has no
 * catalog and no roles.
 */
export async function loadScenariosConfig(config: ResolvedConfig): Promise<ScenariosConfig> {
  const file = config.sections.get('scenarios')?.file;
  if (file === undefined) return { file: undefined, catalog: undefined, roles: undefined };
  const parsed = await parseYamlWithLocations(file);
  const problems = validateYaml(parsed, scenariosSchema);
  const user = (parsed.value ?? {}) as { catalog?: string; roles?: Record<string, { service?: unknown; label?: string; writes?: string }> };
  if (problems.length === 0) problems.push(...unknownServices(parsed.file, (path) => parsed.lineOf(path), user.roles ?? {}, config));
  throwIfProblems(problems, parsed.file);
  const labelled = (value: { service?: unknown; label?: string; writes?: string } | undefined): ScenarioRole | undefined =>
    value === undefined ? undefined : { service: String(value.service), label: value.label ?? String(value.service), ...(value.writes === undefined ? {} : { writes: value.writes }) };
  const roles = user.roles === undefined ? undefined : { consumer: labelled(user.roles.consumer) as ScenarioRole, provider: labelled(user.roles.provider) as ScenarioRole, ...(user.roles.worker ? { worker: labelled(user.roles.worker) } : {}) };
  const catalog = user.catalog === undefined ? undefined : isAbsolute(user.catalog) ? user.catalog : resolve(config.root, user.catalog);
  return { file: parsed.file, catalog, roles };
}

/** The catalog module scenarios.yaml names, or the one-line error saying none is configured. */
export function requireCatalog(config: ResolvedConfig, scenarios: ScenariosConfig): string {
  return requireSetting(config, scenarios.catalog, { section: 'scenarios', key: 'catalog', purpose: NO_CATALOG_PURPOSE });
}

/**
 * The diagram roles: scenarios.yaml's, else the services in start order, the last started (the
 * one depending on the others) as the consumer and the one before it as the provider.
 */
export function participantsOf(config: ResolvedConfig, roles: ScenarioRoles | undefined): ScenarioRoles {
  if (roles) return roles;
  const names = [...config.environment.services.keys()];
  const consumer = names.at(-1) ?? 'client';
  const provider = names.at(-2) ?? consumer;
  return { consumer: { service: consumer, label: consumer }, provider: { service: provider, label: provider } };
}

function unknownServices(file: string, lineOf: (path: (string | number)[]) => number, roles: Readonly<Record<string, { service?: unknown }>>, config: ResolvedConfig): ConfigProblem[] {
  const names = [...config.environment.services.keys()];
  return Object.entries(roles)
    .filter(([, value]) => typeof value.service === 'string' && !names.includes(value.service))
    .map(([name, value]) => ({ file, line: lineOf(['roles', name, 'service']), path: dottedPath(['roles', name, 'service']), message: `unknown service "${String(value.service)}" (expected one of: ${names.join(', ') || 'none: environment.yaml defines no services'})` }));
}

/** Where scenarios.yaml is (or would be) for `config`. */
export function scenariosFile(config: ResolvedConfig): string {
  return config.sections.get('scenarios')?.file ?? join(config.dir, 'scenarios.yaml');
}
