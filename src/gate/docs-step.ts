import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadContract } from '../contract/index.js';
import type { Diagram, Evidence, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { GateContext } from './context.js';
import { shown } from './contract-steps.js';
import { architectureDiagram } from './scope.js';
import type { GateScope } from './scope.js';

/**
 * `docs`: writes this run's documentation into the report directory: the architecture flowchart
 * of the scope and one Markdown page per scenario with the sequence diagram drawn from its
 * recorded traffic. Nothing is written for a step that did not run: its diagrams do not exist.
 */
export async function runDocsStep(ctx: GateContext, scope: GateScope): Promise<GateStep> {
  const dir = join(ctx.reportDir, 'docs');
  await mkdir(join(dir, 'sequences'), { recursive: true });
  const architecture = architectureDiagram(scope);
  const evidence: Evidence[] = [];
  const architectureFile = join(dir, 'architecture.md');
  await writeFile(architectureFile, page(architecture, 'the components and integration points of the config, as this gate run started them'));
  evidence.push({ label: 'architecture diagram', href: shown(ctx, architectureFile) });
  const contractFile = join(dir, 'contract.md');
  await writeFile(contractFile, await contractPage(ctx));
  evidence.push({ label: 'API contract documentation', href: shown(ctx, contractFile) });
  const scenarios = ctx.steps.get('scenarios');
  const diagrams = (scenarios?.status === 'skip' ? [] : ((scenarios?.details?.diagrams as Diagram[] | undefined) ?? [])) as Diagram[];
  const names = ((scenarios?.details?.scenarios as { name: string }[] | undefined) ?? []).map((scenario) => scenario.name);
  for (const [index, diagram] of diagrams.entries()) {
    const file = join(dir, 'sequences', `${names[index] ?? `scenario-${index + 1}`}.md`);
    await writeFile(file, page(diagram, 'the traffic recorded while this gate run ran the scenario (the services\' structured logs)'));
    evidence.push({ label: `sequence diagram ${names[index] ?? index + 1}`, href: shown(ctx, file) });
  }
  const checks = [
    { id: 'architecture', name: 'architecture diagram written', status: 'pass' as const, message: shown(ctx, architectureFile) },
    { id: 'contract', name: 'API contract documentation written', status: 'pass' as const, message: shown(ctx, contractFile) },
    {
      id: 'sequences',
      name: 'a sequence diagram per scenario run',
      status: diagrams.length > 0 ? ('pass' as const) : ('warn' as const),
      message: diagrams.length > 0 ? `${diagrams.length} sequence diagrams in ${shown(ctx, join(dir, 'sequences'))}` : 'no scenario ran in this gate: no sequence diagram to write',
    },
  ];
  return { id: 'docs', title: 'Documentation of this run', status: statusOf(checks), durationMs: 0, checks, evidence, details: { diagrams: [architecture] } };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The contract's operations as a Markdown table, from the working contract itself. */
async function contractPage(ctx: GateContext): Promise<string> {
  const file = shown(ctx, ctx.config.contracts.path);
  const { document } = await loadContract(file, { cwd: ctx.root });
  const info = (document.info ?? {}) as { title?: string; version?: string };
  const rows: string[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, { summary?: string; operationId?: string }>>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) rows.push(`| \`${method.toUpperCase()} ${path}\` | ${operation.operationId ?? ''} | ${(operation.summary ?? '').replaceAll('|', '\\|')} |`);
    }
  }
  return [`# API contract: ${info.title ?? file} ${info.version ?? ''}`.trimEnd(), '', `Written by \`accord gate\` from \`${file}\` (version ${info.version ?? 'unknown'}).`, '', '| operation | operationId | summary |', '|---|---|---|', ...rows, ''].join('\n');
}

function page(diagram: Diagram, source: string): string {
  return [`# ${diagram.title}`, '', `Written by \`accord gate\` from ${source}. Do not edit by hand: run the gate again.`, '', '```mermaid', diagram.mermaid.trimEnd(), '```', ''].join('\n');
}
