import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDocs } from '../docs/index.js';
import type { DocsResult } from '../docs/index.js';
import type { Check, Diagram, Evidence, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import { sequencePage } from '../scenarios/sequence-diagram.js';
import type { GateContext } from './context.js';
import { shown } from './contract-steps.js';
import { architectureDiagram } from './scope.js';
import type { GateScope } from './scope.js';

/**
 * `docs`: this run's documentation, written by the same renderers as `accord docs` into the
 * report directory (the architecture and contract pages, one normalised sequence page per
 * scenario this run drew), then the committed docs checked against what those renderers give
 * now: a stale committed page fails the step, naming the file. Nothing is written for a step
 * that did not run: its diagrams do not exist.
 */
export async function runDocsStep(ctx: GateContext, scope: GateScope): Promise<GateStep> {
  const dir = join(ctx.reportDir, 'docs');
  await mkdir(join(dir, 'sequences'), { recursive: true });
  const scenarios = ctx.steps.get('scenarios');
  const diagrams = (scenarios?.status === 'skip' ? [] : ((scenarios?.details?.diagrams as Diagram[] | undefined) ?? [])) as Diagram[];
  const names = ((scenarios?.details?.scenarios as { name: string }[] | undefined) ?? []).map((scenario) => scenario.name);
  const sequences: Evidence[] = [];
  for (const [index, diagram] of diagrams.entries()) {
    const name = names[index] ?? `scenario-${index + 1}`;
    const file = join(dir, 'sequences', `${name}.md`);
    await writeFile(file, sequencePage(diagram.title, name, diagram.mermaid));
    sequences.push({ label: `sequence diagram ${name}`, href: shown(ctx, file) });
  }
  await generateDocs(ctx.config, { docsDir: dir });
  const committed = await generateDocs(ctx.config, { check: true });
  const architectureFile = shown(ctx, join(dir, 'architecture.md'));
  const contractFile = shown(ctx, join(dir, 'contract.md'));
  const hasContract = ctx.config.contracts.path !== undefined;
  const keptPages = await committedPages(ctx, committed);
  const checks: Check[] = [
    { id: 'architecture', name: 'architecture diagram written', status: 'pass', message: architectureFile },
    // A consumer-only repository has no contract of its own to document.
    ...(hasContract ? [{ id: 'contract', name: 'API contract documentation written', status: 'pass' as const, message: contractFile }] : []),
    // A system without a scenario catalog has no scenario to draw: nothing to warn about.
    ...(ctx.notApplicable.has('scenarios')
      ? []
      : [
          {
            id: 'sequences',
            name: 'a sequence diagram per scenario run',
            status: diagrams.length > 0 ? ('pass' as const) : ('warn' as const),
            message: diagrams.length > 0 ? `${diagrams.length} sequence diagrams in ${shown(ctx, join(dir, 'sequences'))}` : 'no scenario ran in this gate: no sequence diagram to write',
          },
        ]),
    committedCheck(committed, keptPages),
  ];
  const evidence: Evidence[] = [{ label: 'architecture diagram', href: architectureFile }, ...(hasContract ? [{ label: 'API contract documentation', href: contractFile }] : []), ...sequences];
  return { id: 'docs', title: 'Documentation of this run', status: statusOf(checks), durationMs: 0, checks, evidence, details: { diagrams: [architectureDiagram(scope)], stale: keptPages === 0 ? [] : committed.stale } };
}

/** How many of the pages accord docs writes the repository has committed. */
async function committedPages(ctx: GateContext, result: DocsResult): Promise<number> {
  const present = await Promise.all(result.files.map((file) => stat(join(ctx.root, file.path)).then(() => true, () => false)));
  return present.filter(Boolean).length;
}

function committedCheck(result: DocsResult, committed: number): Check {
  // A repository that keeps no generated docs (a new one, after accord init) has none to go stale; one page kept means all are.
  if (committed === 0) return { id: 'committed', name: 'committed docs up to date', status: 'pass', message: 'the repository keeps no generated docs (accord docs writes them into docs/)' };
  if (result.stale.length === 0) return { id: 'committed', name: 'committed docs up to date', status: 'pass', message: `${result.files.length} committed pages match accord docs` };
  return { id: 'committed', name: 'committed docs up to date', status: 'fail', message: `stale: ${result.stale.join(', ')} (run accord docs)`, location: { file: result.stale[0] ?? '' } };
}
