import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseBoundedYaml } from '../input/index.js';
import { createDocumentSchemaValidator } from '../contract/schema-validator.js';
import { isObject } from '../contract/json-pointer.js';
import type { JsonObject } from '../contract/json-pointer.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { BuiltMessage } from './message-providers.js';
import type { VerifyMismatch } from './verify-result.js';

/** Checks a message a provider built against the AsyncAPI document (the message analogue of response conformance). */
export interface MessageConformance {
  /** The AsyncAPI file, as shown in messages. */
  readonly label: string;
  /** Mismatches of `message` with the AsyncAPI message whose `name` is its `eventType` metadata. */
  check(message: BuiltMessage): VerifyMismatch[];
}

interface KnownMessage {
  readonly address: string;
  readonly payloadPointer: string | undefined;
  readonly headersPointer: string | undefined;
}

const escape = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Reads an AsyncAPI 3.0 document and indexes its channels' messages by `name`. The metadata
 * `stream` must be the channel's address; the other metadata are checked against the message's
 * headers schema, the content against its payload schema.
 */
export async function loadMessageConformance(file: string, cwd = process.cwd()): Promise<MessageConformance> {
  const label = relative(cwd, file) || file;
  let document: JsonObject;
  try {
    const bounded = parseBoundedYaml(label, await readFile(file, 'utf8'), ErrorCodes.CONTRACT_INVALID, { uniqueKeys: false });
    if (!bounded.ok) throw new Error(`line ${bounded.line}, column ${bounded.column}: ${bounded.reason}`);
    const parsed = bounded.value;
    if (!isObject(parsed) || parsed.asyncapi === undefined) throw new Error('expected an AsyncAPI document (a top-level `asyncapi` field)');
    document = parsed;
  } catch (error) {
    if (error instanceof AccordError) throw error;
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ErrorCodes.FILE_NOT_FOUND : ErrorCodes.CONTRACT_INVALID;
    throw new AccordError(code, `${label}: cannot read the AsyncAPI event contract: ${(error as Error).message.split('\n')[0]}`);
  }
  const validator = createDocumentSchemaValidator(document, 'asyncapi-3.0');
  const byName = new Map<string, KnownMessage>();
  const resolve = (node: unknown): { value: unknown; pointer: string | undefined } => {
    if (!isObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return { value: node, pointer: undefined };
    let value: unknown = document;
    for (const token of node.$ref.slice(2).split('/')) value = isObject(value) ? value[token.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
    return { value, pointer: node.$ref.slice(1) };
  };
  for (const [channelId, rawChannel] of Object.entries(isObject(document.channels) ? document.channels : {})) {
    const channel = resolve(rawChannel).value;
    if (!isObject(channel) || !isObject(channel.messages)) continue;
    for (const [messageId, rawMessage] of Object.entries(channel.messages)) {
      const { value: message, pointer } = resolve(rawMessage);
      if (!isObject(message)) continue;
      const base = pointer ?? `/channels/${escape(channelId)}/messages/${escape(messageId)}`;
      byName.set(typeof message.name === 'string' ? message.name : messageId, {
        address: String(channel.address),
        payloadPointer: message.payload === undefined ? undefined : `${base}/payload`,
        headersPointer: message.headers === undefined ? undefined : `${base}/headers`,
      });
    }
  }
  return {
    label,
    check({ content, metadata }) {
      const type = metadata.eventType;
      const known = type === undefined ? undefined : byName.get(type);
      if (known === undefined) {
        return [{ attribute: 'contract', location: 'metadata.eventType', message: `${label} has no message named ${JSON.stringify(type)} (known: ${[...byName.keys()].join(', ')})` }];
      }
      const problems: VerifyMismatch[] = [];
      if (metadata.stream !== known.address) {
        problems.push({ attribute: 'contract', location: 'metadata.stream', message: `${label}: message ${type} travels on ${known.address}, the provider sent it on ${JSON.stringify(metadata.stream)}` });
      }
      const { stream: _stream, ...headers } = metadata;
      if (known.headersPointer !== undefined) {
        for (const error of validator.validate(known.headersPointer, headers)) problems.push({ attribute: 'contract', location: 'metadata', message: `${label}: message ${type} headers: ${error}` });
      }
      if (known.payloadPointer !== undefined) {
        for (const error of validator.validate(known.payloadPointer, content)) problems.push({ attribute: 'contract', location: 'content', message: `${label}: message ${type} payload: ${error}` });
      }
      return problems;
    },
  };
}
