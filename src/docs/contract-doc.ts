import { stringify } from 'yaml';
import type { ContractChange, DiffResult, OpenApiContract } from '../contract/index.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/...`) once; anything else is returned as is. */
function deref(document: Json, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let node: unknown = document;
  for (const part of value.$ref.slice(2).split('/')) node = isObject(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  return node ?? value;
}

/** A schema as written, with a `$ref` to a component shown as that component's name. */
function schemaLabel(schema: unknown): string {
  if (isObject(schema) && typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1) ?? schema.$ref;
    return `[\`${name}\`](#schema-${name.toLowerCase()})`;
  }
  if (isObject(schema) && schema.type === 'array') return `array of ${schemaLabel(schema.items)}`;
  if (isObject(schema)) {
    const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'object');
    const extras = ['format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'enum'].filter((k) => schema[k] !== undefined).map((k) => `${k} ${JSON.stringify(schema[k])}`);
    return `\`${type}\`${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  }
  return '`any`';
}

const cell = (text: unknown) => String(text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const yamlBlock = (value: unknown) => ['```yaml', stringify(value, { lineWidth: 0 }).trimEnd(), '```'];

function examplesOf(document: Json, media: Json): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  if (media.example !== undefined) found.push(['example', media.example]);
  if (isObject(media.examples)) for (const [name, example] of Object.entries(media.examples)) found.push([name, (deref(document, example) as Json)?.value]);
  return found;
}

function operationSection(document: Json, path: string, method: string, operation: Json, pathParameters: unknown[]): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ''];
  if (operation.summary) lines.push(String(operation.summary), '');
  const facts = [`operationId \`${String(operation.operationId ?? '—')}\``];
  if (Array.isArray(operation.tags) && operation.tags.length > 0) facts.push(`tags ${operation.tags.join(', ')}`);
  if (Array.isArray(operation.security)) facts.push(operation.security.length === 0 ? 'no authentication' : `security ${operation.security.map((s) => Object.keys(s as Json).join('+')).join(', ')}`);
  if (operation.deprecated) facts.push('**deprecated**');
  lines.push(`${facts.join(' · ')}`, '');
  const parameters = [...pathParameters, ...(Array.isArray(operation.parameters) ? operation.parameters : [])].map((p) => deref(document, p) as Json);
  if (parameters.length > 0) {
    lines.push('| parameter | in | required | schema | description |', '|---|---|---|---|---|');
    for (const p of parameters) lines.push(`| \`${cell(p.name)}\` | ${cell(p.in)} | ${p.required ? 'yes' : 'no'} | ${schemaLabel(p.schema)} | ${cell(p.description)} |`);
    lines.push('');
  }
  const body = deref(document, operation.requestBody) as Json | undefined;
  if (isObject(body) && isObject(body.content)) {
    lines.push(`**Request body**${body.required ? ' (required)' : ''}:`, '');
    for (const [type, media] of Object.entries(body.content)) {
      lines.push(`- \`${type}\`: ${schemaLabel((media as Json).schema)}`);
      for (const [name, value] of examplesOf(document, media as Json)) lines.push('', `  Example \`${name}\`:`, '', ...yamlBlock(value).map((l) => `  ${l}`));
    }
    lines.push('');
  }
  const responses = isObject(operation.responses) ? operation.responses : {};
  const statuses = Object.keys(responses).sort();
  if (statuses.length > 0) {
    lines.push('| status | description | body |', '|---|---|---|');
    for (const status of statuses) {
      const response = deref(document, responses[status]) as Json;
      const content = isObject(response.content) ? Object.entries(response.content).map(([type, media]) => `\`${type}\` ${schemaLabel((media as Json).schema)}`).join('<br>') : '—';
      lines.push(`| ${status}${/^[45]/.test(status) ? ' (error)' : ''} | ${cell(response.description)} | ${content} |`);
    }
    lines.push('');
    for (const status of statuses) {
      const response = deref(document, responses[status]) as Json;
      if (!isObject(response.content)) continue;
      for (const media of Object.values(response.content)) {
        for (const [name, value] of examplesOf(document, media as Json)) lines.push(`Example ${status} \`${name}\`:`, '', ...yamlBlock(value), '');
      }
    }
  }
  return lines;
}

function changesSection(diff: DiffResult | undefined, baselineLabel: string | undefined): string[] {
  if (!diff || baselineLabel === undefined) return ['No baseline is configured (`contracts.baseline` in contracts.yaml), so no changes are listed.', ''];
  const lines = [`Baseline \`${baselineLabel}\` (version ${diff.version.base}) → this contract (version ${diff.version.revision}): ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}, ${diff.breaking ? '**breaking**' : 'none breaking'}; required bump ${diff.requiredBump}, ${diff.ok ? 'the version moved enough' : '**the version did not move enough**'}.`, ''];
  if (diff.changes.length === 0) return lines;
  lines.push('| level | rule | operation | change |', '|---|---|---|---|');
  for (const change of diff.changes as ContractChange[]) lines.push(`| ${change.level} | \`${change.id}\` | ${cell(change.operation ?? '—')} | ${cell(change.message)} |`);
  lines.push('');
  return lines;
}

/**
 * `docs/contract.md`: every operation with its parameters, request and response schemas,
 * errors and examples, the components' schemas, the contract version and the changes since
 * the baseline (from the contract capability's diff).
 */
export function renderContractDoc(contract: OpenApiContract, contractPath: string, diff: DiffResult | undefined, baselineLabel: string | undefined): string {
  // Read as written, plain JSON: the page shows whatever each node holds, extensions included.
  const document = contract.document as Json;
  const info = isObject(document.info) ? document.info : {};
  const lines = [
    `# ${String(info.title ?? 'API contract')}`,
    '',
    `Generated by \`accord docs\` from \`${contractPath}\` (OpenAPI ${contract.specVersion}). Do not edit by hand: edit the contract and run \`accord docs\`.`,
    '',
    `**Contract version ${String(info.version ?? '?')}**${info.summary ? `: ${String(info.summary)}` : ''}`,
    '',
  ];
  if (info.description) lines.push(String(info.description).trimEnd(), '');
  lines.push('## Changes since the baseline', '', ...changesSection(diff, baselineLabel));
  lines.push('## Operations', '');
  const paths = isObject(document.paths) ? document.paths : {};
  for (const path of Object.keys(paths).sort()) {
    const item = deref(document, paths[path]) as Json;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) if (isObject(item[method])) lines.push(...operationSection(document, path, method, item[method] as Json, shared));
  }
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  if (Object.keys(schemas).length > 0) {
    lines.push('## Schemas', '');
    for (const name of Object.keys(schemas).sort()) lines.push(`### Schema ${name}`, '', `<a id="schema-${name.toLowerCase()}"></a>`, '', ...yamlBlock(schemas[name]), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
