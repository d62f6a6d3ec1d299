import { emit } from './diff-context.js';
import type { DiffRun } from './diff-context.js';
import { compareSchemas } from './diff-schema.js';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import type { OpenApiDocument } from './openapi-document.js';

/** True when a parsed document is AsyncAPI (its top-level `asyncapi` key), not OpenAPI. */
export function isAsyncApiDocument(document: OpenApiDocument | JsonObject): document is JsonObject {
  return 'asyncapi' in document && document.asyncapi !== undefined && document.openapi === undefined;
}

/** `channelId → channel` of an AsyncAPI 3 document, `$ref`s resolved. */
function channelsOf(document: JsonObject, resolve: (node: unknown) => unknown): Map<string, JsonObject> {
  const result = new Map<string, JsonObject>();
  for (const [id, raw] of Object.entries(isObject(document.channels) ? document.channels : {})) {
    const channel = resolve(raw);
    if (isObject(channel)) result.set(id, channel);
  }
  return result;
}

function messagesOf(channel: JsonObject): JsonObject {
  return isObject(channel.messages) ? channel.messages : {};
}

/**
 * Compares two AsyncAPI 3 documents: channels (by id) and their addresses, each channel's messages
 * (by id), and every message's payload and headers. A consumer reads what the producer sends, so
 * payloads and headers are compared as response bodies are: removing a required field breaks the
 * consumers, adding an optional one does not.
 */
export function compareAsyncApiDocuments(run: DiffRun, base: JsonObject, revision: JsonObject): void {
  const before = channelsOf(base, run.resolveBase);
  const after = channelsOf(revision, run.resolveRevision);
  for (const [id, channel] of before) {
    const tokens = ['channels', id];
    const other = after.get(id);
    if (other === undefined) {
      emit(run, 'channel-removed', { operation: null, tokens }, `channel \`${id}\` (${String(channel.address)}) was removed`);
      continue;
    }
    if (channel.address !== other.address) {
      emit(run, 'channel-address-changed', { operation: null, tokens: [...tokens, 'address'] }, `channel \`${id}\` moved from ${String(channel.address)} to ${String(other.address)}`);
    }
    compareChannelMessages(run, id, channel, other);
  }
  for (const [id, channel] of after) {
    if (!before.has(id)) emit(run, 'channel-added', { operation: null, tokens: ['channels', id] }, `channel \`${id}\` (${String(channel.address)}) was added`);
  }
}

function compareChannelMessages(run: DiffRun, channelId: string, base: JsonObject, revision: JsonObject): void {
  const before = messagesOf(base);
  const after = messagesOf(revision);
  for (const [id, raw] of Object.entries(before)) {
    const message = run.resolveBase(raw);
    const label = `message ${messageName(message, id)}`;
    const tokens = ['channels', channelId, 'messages', id];
    if (!(id in after)) {
      emit(run, 'message-removed', { operation: label, tokens }, `${label} was removed from channel \`${channelId}\``);
      continue;
    }
    const other = run.resolveRevision(after[id]);
    if (!isObject(message) || !isObject(other)) continue;
    if ((message.contentType ?? null) !== (other.contentType ?? null)) {
      emit(run, 'message-content-type-changed', { operation: label, tokens: [...tokens, 'contentType'] }, `${label}: content type changed from ${String(message.contentType)} to ${String(other.contentType)}`);
    }
    for (const part of ['payload', 'headers'] as const) {
      if (message[part] === undefined && other[part] === undefined) continue;
      compareSchemas({ run, direction: 'response', owner: 'body', operation: label, subject: `the ${label} ${part}` }, message[part] ?? {}, other[part] ?? {}, [...tokens, part]);
    }
  }
  for (const [id, raw] of Object.entries(after)) {
    if (id in before) continue;
    const label = `message ${messageName(run.resolveRevision(raw), id)}`;
    emit(run, 'message-added', { operation: label, tokens: ['channels', channelId, 'messages', id] }, `${label} was added to channel \`${channelId}\``);
  }
}

function messageName(message: unknown, id: string): string {
  return isObject(message) && typeof message.name === 'string' ? message.name : id;
}
