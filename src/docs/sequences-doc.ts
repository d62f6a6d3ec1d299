import { basename } from 'node:path';
import { sequencePage } from '../scenarios/sequence-diagram.js';

/**
 * A committed `docs/sequences/<scenario>.md` as it must read: the scenario runner writes them
 * from recorded traffic (`accord scenarios --diagrams`); docs keeps their diagrams normalised
 * (no timings, no generated ids) so a re-run with the same traffic changes no byte.
 */
export function normaliseSequencePage(file: string, text: string): string {
  const title = /^# (.+)$/m.exec(text)?.[1] ?? basename(file, '.md');
  const diagram = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1] ?? 'sequenceDiagram\n';
  return sequencePage(title, basename(file, '.md'), diagram);
}
