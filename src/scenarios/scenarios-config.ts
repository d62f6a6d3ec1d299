import { join } from 'node:path';
import type { SchemaObject } from 'ajv';
import { dottedPath, parseYamlWithLocations, requireSetting, throwIfProblems, validateYaml } from '../config/index.js';
import type { ConfigProblem, ResolvedConfig } from '../config/index.js';

/** One role of the scenarios: the environment service that plays it and how diagrams label it. */
export interface ScenarioRole {
  /** A service name of environment.yaml; also the `service` field of its log lines. */
  readonly service: string;
  /** The participant label in the sequence diagrams. */
  readonly label: string;
}

/**
 * Which configured service plays each role the scenario catalog drives: the consumer the client
 * calls (drawn A), the provider it calls (B), the worker that consumes its events (W, optional),
 * and the vendor's stub (optional).
 */
export interface ScenarioRoles {
  readonly consumer: ScenarioRole;
  readonly provider: ScenarioRole;
  readonly worker?: ScenarioRole | undefined;
  /** The stub serving an external vendor's contract, whose faults the payment scenarios switch. */
  readonly vendorStub?: { readonly service: string } | undefined;
}

/** The tables the scenario probes seed and read. */
export interface ScenarioTables {
  /** The provider's stock rows (sku, name, stock, price_cents, created_at, updated_at). */
  readonly items: string;
  /** The provider's reservations (id, sku, quantity, status, correlation_id, source_service, idempotency_key, created_at). */
  readonly reservations: string;
  /** The worker's shipments (id, event_id, order_id, sku, quantity). */
  readonly shipments: string;
}

/** `scenarios.yaml`, filled. */
export interface ScenariosConfig {
  readonly file: string;
  readonly roles: ScenarioRoles;
  readonly tables: ScenarioTables;
}

const serviceName = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a service name of environment.yaml (lowercase letters, digits, -)' };
const role: SchemaObject = { type: 'object', additionalProperties: false, required: ['service', 'label'], properties: { service: serviceName, label: { type: 'string', minLength: 1, description: 'a diagram label' } } };
const table = { type: 'string', pattern: '^[a-z_][a-z0-9_]*$', description: 'a table name (lowercase letters, digits, _)' };

/** The JSON Schema of `scenarios.yaml`. */
export const scenariosSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['roles', 'tables'],
  properties: {
    roles: {
      type: 'object',
      additionalProperties: false,
      required: ['consumer', 'provider'],
      properties: {
        consumer: role,
        provider: role,
        worker: role,
        vendorStub: { type: 'object', additionalProperties: false, required: ['service'], properties: { service: serviceName } },
      },
    },
    tables: {
      type: 'object',
      additionalProperties: false,
      required: ['items', 'reservations', 'shipments'],
      properties: { items: table, reservations: table, shipments: table },
    },
  },
};

/**
 * Reads and validates `<config dir>/scenarios.yaml`: every problem at once with file:line, and
 * each role's service must be one environment.yaml defines. A missing file is the one-line error
 * naming it: the framework knows no service or table of its own to fall back to.
 */
export async function loadScenariosConfig(config: ResolvedConfig): Promise<ScenariosConfig> {
  const file = config.sections.get('scenarios')?.file;
  requireSetting(config, file, { section: 'scenarios', key: 'roles', purpose: 'which service plays the consumer, the provider and the worker the scenarios drive' });
  const parsed = await parseYamlWithLocations(file ?? join(config.dir, 'scenarios.yaml'));
  const problems = validateYaml(parsed, scenariosSchema);
  const user = (parsed.value ?? {}) as { roles?: Record<string, { service?: unknown }>; tables?: ScenarioTables };
  if (problems.length === 0) problems.push(...unknownServices(parsed.file, (path) => parsed.lineOf(path), user.roles ?? {}, config));
  throwIfProblems(problems, parsed.file);
  return { file: parsed.file, roles: user.roles as unknown as ScenarioRoles, tables: user.tables as ScenarioTables };
}

function unknownServices(file: string, lineOf: (path: (string | number)[]) => number, roles: Readonly<Record<string, { service?: unknown }>>, config: ResolvedConfig): ConfigProblem[] {
  const names = [...config.environment.services.keys()];
  return Object.entries(roles)
    .filter(([, value]) => typeof value.service === 'string' && !names.includes(value.service))
    .map(([name, value]) => ({ file, line: lineOf(['roles', name, 'service']), path: dottedPath(['roles', name, 'service']), message: `unknown service "${String(value.service)}" (expected one of: ${names.join(', ') || 'none: environment.yaml defines no services'})` }));
}
