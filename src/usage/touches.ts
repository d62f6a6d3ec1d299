import type { ChangeTarget } from './change-target.js';
import { hasField, parentPath } from './field-paths.js';
import type { FieldSet } from './field-paths.js';
import type { HttpInteraction, MessageInteraction, PactInteraction } from './pact-interactions.js';

/** An interaction with the contract operation it hits (its key), when it hits one. */
export interface LocatedInteraction {
  interaction: PactInteraction;
  operation: string | undefined;
}

/** Does a response status pattern (`200`, `2XX`, `default`) cover a pact's expected status? */
export function statusCovers(pattern: string, status: number | undefined): boolean {
  if (status === undefined) return false;
  if (pattern === 'default') return true;
  if (/^[1-5]XX$/i.test(pattern)) return String(status)[0] === pattern[0];
  return pattern === String(status);
}

/**
 * Does this interaction touch what the change changed? A removal or a narrowing touches the
 * consumers that send or read the thing; a new requirement (`absent`) touches those that call the
 * operation without sending it yet.
 */
export function touches(target: ChangeTarget, located: LocatedInteraction): boolean {
  const { interaction } = located;
  switch (target.scope) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'channel':
      return interaction.kind === 'message' && ((interaction.channel !== undefined && interaction.channel === target.address) || (interaction.eventType !== undefined && target.messages.includes(interaction.eventType)));
    case 'message':
      return interaction.kind === 'message' && interaction.eventType === target.message && touchesMessage(target, interaction);
    case 'http':
      return interaction.kind === 'http' && located.operation === target.operation && touchesHttp(target, interaction);
  }
}

function touchesMessage(target: Extract<ChangeTarget, { scope: 'message' }>, interaction: MessageInteraction): boolean {
  if (target.part === 'message') return true;
  if (target.part === 'payload') return hasField(interaction.fields, target.field);
  // A headers schema's properties are the metadata keys.
  const key = target.field.split(/[.[]/)[0] ?? '';
  return key === '' ? interaction.metadata.size > 0 : interaction.metadata.has(key);
}

function touchesHttp(target: Extract<ChangeTarget, { scope: 'http' }>, interaction: HttpInteraction): boolean {
  switch (target.part) {
    case 'operation':
      return true;
    case 'parameter': {
      // Every request to the operation sends its path parameters.
      const sends = target.in === 'path' || sendsParameter(interaction, target.in, target.name);
      return target.absent ? !sends : sends;
    }
    case 'request-body':
      return target.absent ? missing(interaction.requestBody, target.field) : interaction.requestBody !== undefined && hasField(interaction.requestBody, target.field);
    case 'response':
      if (!statusCovers(target.status, interaction.status)) return false;
      if (target.header !== undefined) return interaction.responseHeaders.has(target.header);
      if (target.field === undefined) return true;
      return interaction.responseBody !== undefined && hasField(interaction.responseBody, target.field);
  }
}

/** A new required field breaks the requests that send its parent but not it (no body at all: when the body itself is now required). */
function missing(body: FieldSet | undefined, field: string): boolean {
  if (body === undefined) return field === '';
  if (field === '') return false;
  return hasField(body, parentPath(field)) && !hasField(body, field);
}

function sendsParameter(interaction: HttpInteraction, where: string, name: string): boolean {
  if (where === 'query') return interaction.query.has(name);
  if (where === 'header') return interaction.headers.has(name);
  // A cookie parameter travels in the Cookie header; a pact that sends cookies sends it there.
  if (where === 'cookie') return interaction.headers.has('cookie');
  return false;
}
