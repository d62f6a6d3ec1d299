import { loadContract } from '../contract/index.js';
import type { AsyncApiContract, ConsumerRef, LoadContractOptions, OpenApiContract } from '../contract/index.js';
import { isObject } from '../contract/json-pointer.js';
import { HTTP_METHODS } from '../contract/operations.js';
import { createRefResolver } from '../contract/refs.js';
import { describeConsumerSource, loadConsumerPacts, parseConsumerSource } from './consumer-source.js';
import type { LoadConsumerPactsOptions } from './consumer-source.js';
import { hasField } from './field-paths.js';
import { createOperationIndex, operationKey } from './operation-index.js';
import { pactInteractions } from './pact-interactions.js';
import type { ConsumerPact, HttpInteraction, PactInteraction } from './pact-interactions.js';
import { createSchemaFields } from './schema-fields.js';
import { statusCovers } from './touches.js';

/** One interaction that uses an operation or a field. */
export interface UsedBy {
  consumer: string;
  version: string | null;
  interaction: string;
}

/** A response field (or message payload field) and who reads it. */
export interface FieldUsage {
  /** The response status it belongs to; null for a message payload. */
  status: string | null;
  /** `tags[].name`. */
  field: string;
  usedBy: UsedBy[];
}

/** One operation (or message) and who uses it. */
export interface OperationUsage {
  /** `GET /users/{id}`, or `message user.created`. */
  operation: string;
  usedBy: UsedBy[];
  fields: FieldUsage[];
}

/** `accord contract usage`: for each operation and field of a contract, the consumers that use it. */
export interface UsageReport {
  contract: string;
  /** The consumer source, as shown. */
  source: string;
  consumers: ConsumerRef[];
  operations: OperationUsage[];
  /** What no consumer uses: operations, then `STATUS field` / `message field` entries. */
  unused: { operations: string[]; fields: { operation: string; status: string | null; field: string }[] };
}

/** Options of {@link contractUsage}. */
export interface ContractUsageOptions extends Omit<LoadConsumerPactsOptions, 'cwd'> {
  /** `--consumers SOURCE`: a pacts directory, `broker`, `broker:ENVIRONMENT` or `broker:branch=NAME`. */
  consumers: string;
  /** Where relative paths start. @default process.cwd() */
  cwd?: string;
  /** Hosts whose http(s) URLs a `$ref` may name. @default none */
  allowRefHosts?: readonly string[];
  /** The pacts of `consumers` when the caller has read them already (the gate, for the diff and the usage report); not read again. */
  pacts?: readonly ConsumerPact[];
}

/**
 * Loads a contract (OpenAPI or AsyncAPI) and the consumers' pacts and says who uses what. The
 * contract may be one the caller loaded already (with `allowAsyncApi`).
 */
export async function contractUsage(contract: string | OpenApiContract | AsyncApiContract, options: ContractUsageOptions): Promise<UsageReport> {
  const source = parseConsumerSource(options.consumers);
  const loadOptions: LoadContractOptions = { allowAsyncApi: true, ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...(options.allowRefHosts === undefined ? {} : { allowRefHosts: options.allowRefHosts }) };
  // The pacts are read while the contract loads.
  const [loaded, pacts] = await Promise.all([
    typeof contract === 'string' ? loadContract(contract, loadOptions) : contract,
    options.pacts ?? loadConsumerPacts(source, { ...options, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) }),
  ]);
  return usageOf(loaded.document, pacts, { contract: loaded.label, source: describeConsumerSource(source) });
}

/** Who uses what, for a parsed contract and read pacts (no I/O). */
export function usageOf(document: unknown, pacts: readonly ConsumerPact[], names: { contract: string; source: string }): UsageReport {
  const messages = isObject(document) && 'asyncapi' in document;
  const consumers = new Map<string, ConsumerRef>();
  const interactions: PactInteraction[] = [];
  for (const pact of pacts) {
    const relevant = pactInteractions(pact).filter((interaction) => interaction.kind === (messages ? 'message' : 'http'));
    if (relevant.length === 0) continue;
    consumers.set(`${pact.consumer}\u0000${pact.version ?? ''}`, { consumer: pact.consumer, version: pact.version });
    interactions.push(...relevant);
  }
  const operations = messages ? messageUsage(document, interactions) : httpUsage(document, interactions);
  return {
    contract: names.contract,
    source: names.source,
    consumers: [...consumers.values()].sort((a, b) => a.consumer.localeCompare(b.consumer) || (a.version ?? '').localeCompare(b.version ?? '')),
    operations,
    unused: {
      operations: operations.filter((operation) => operation.usedBy.length === 0).map((operation) => operation.operation),
      fields: operations.flatMap((operation) => operation.fields.filter((field) => field.usedBy.length === 0).map((field) => ({ operation: operation.operation, status: field.status, field: field.field }))),
    },
  };
}

const usedBy = (interaction: PactInteraction): UsedBy => ({ consumer: interaction.consumer, version: interaction.version, interaction: interaction.description });

function httpUsage(document: unknown, interactions: PactInteraction[]): OperationUsage[] {
  const resolve = createRefResolver(document) as (node: unknown) => unknown;
  const index = createOperationIndex(document);
  const byOperation = new Map<string, HttpInteraction[]>();
  for (const interaction of interactions) {
    if (interaction.kind !== 'http') continue;
    const key = index.match(interaction.method, interaction.path);
    if (key === undefined) continue;
    const list = byOperation.get(key) ?? [];
    list.push(interaction);
    byOperation.set(key, list);
  }
  const result: OperationUsage[] = [];
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  // Many responses share a component schema: its fields are listed once.
  const fieldsOf = createSchemaFields(resolve);
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(rawItem);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = resolve(item[method]);
      if (!isObject(operation)) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const users = byOperation.get(operationKey(label)) ?? [];
      const fields: FieldUsage[] = [];
      for (const [status, rawResponse] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
        const response = resolve(rawResponse);
        const content = isObject(response) && isObject(response.content) ? response.content : {};
        const names = new Set<string>();
        for (const media of Object.values(content)) {
          if (isObject(media) && media.schema !== undefined) for (const field of fieldsOf(media.schema)) names.add(field);
        }
        const readers = users.filter((interaction) => statusCovers(status, interaction.status));
        const readersOf = fieldReaders(names, readers);
        for (const field of names) fields.push({ status, field, usedBy: readersOf(field).map(usedBy) });
      }
      result.push({ operation: label, usedBy: users.map(usedBy), fields });
    }
  }
  return result;
}

/**
 * Who reads each of `names`: each reader's body paths are looked up once, rather than every
 * field tried against every reader; a `*` field (additionalProperties) is matched as a pattern.
 */
function fieldReaders(names: ReadonlySet<string>, readers: readonly HttpInteraction[]): (field: string) => HttpInteraction[] {
  const byField = new Map<string, HttpInteraction[]>();
  for (const reader of readers) {
    for (const path of reader.responseBody ?? []) {
      if (!names.has(path)) continue;
      const list = byField.get(path) ?? [];
      list.push(reader);
      byField.set(path, list);
    }
  }
  return (field) => (field.includes('*') ? readers.filter((reader) => reader.responseBody !== undefined && hasField(reader.responseBody, field)) : byField.get(field) ?? []);
}

function messageUsage(document: unknown, interactions: PactInteraction[]): OperationUsage[] {
  const resolve = createRefResolver(document) as (node: unknown) => unknown;
  const result: OperationUsage[] = [];
  const channels = isObject(document) && isObject(document.channels) ? document.channels : {};
  const fieldsOf = createSchemaFields(resolve);
  for (const rawChannel of Object.values(channels)) {
    const channel = resolve(rawChannel);
    if (!isObject(channel) || !isObject(channel.messages)) continue;
    for (const [id, rawMessage] of Object.entries(channel.messages)) {
      const message = resolve(rawMessage);
      if (!isObject(message)) continue;
      const name = typeof message.name === 'string' ? message.name : id;
      const users = interactions.filter((interaction) => interaction.kind === 'message' && interaction.eventType === name);
      const fields = fieldsOf(message.payload).map((field): FieldUsage => ({
        status: null,
        field,
        usedBy: users.filter((interaction) => interaction.kind === 'message' && hasField(interaction.fields, field)).map(usedBy),
      }));
      result.push({ operation: `message ${name}`, usedBy: users.map(usedBy), fields });
    }
  }
  return result;
}
