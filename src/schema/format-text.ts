import type { SchemaDifference } from './model.js';

const shorten = (value: string | null, width = 90): string => {
  if (value === null) return '(none)';
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
};

/** The object a difference belongs to, for grouping: `schema.table` of a column, the object itself otherwise. */
function groupOf(difference: SchemaDifference): string {
  if (['column', 'constraint', 'trigger', 'policy'].includes(difference.kind)) {
    const parts = difference.object.match(/("([^"]|"")*"|[^.]+)/g) ?? [difference.object];
    return parts.slice(0, 2).join('.');
  }
  return difference.object;
}

/** How a difference reads from the expected schema's point of view: the database misses it, has it unexpectedly, or has it otherwise. */
export type SchemaFinding = 'missing' | 'unexpected' | 'differs';

/** The finding of a difference: `removed` (only in expected) is missing, `added` (only in actual) is unexpected. */
export function findingOf(difference: SchemaDifference): SchemaFinding {
  return difference.change === 'removed' ? 'missing' : difference.change === 'added' ? 'unexpected' : 'differs';
}

/** One line: `missing (expected: …)`, `unexpected (found: …)`, `type differs: expected X, found Y`. */
function describe(d: SchemaDifference): string {
  if (d.change === 'changed') return `${d.attribute ?? 'definition'} differs: expected ${shorten(d.expected, 60)}, found ${shorten(d.actual, 60)}`;
  if (d.change === 'added') return d.actual === null ? 'unexpected' : `unexpected (found: ${shorten(d.actual)})`;
  return d.expected === null ? 'missing' : `missing (expected: ${shorten(d.expected)})`;
}

/** A readable report: one block per object, one line per difference, a summary first. */
export function formatDifferencesText(differences: readonly SchemaDifference[], labels: { actual: string; expected: string }): string {
  const errors = differences.filter((d) => d.level === 'error').length;
  const infos = differences.length - errors;
  const lines = [`actual:   ${labels.actual}`, `expected: ${labels.expected}`, ''];
  if (differences.length === 0) {
    lines.push('identical: no differences');
    return `${lines.join('\n')}\n`;
  }
  lines.push(errors > 0 ? `DRIFT: ${errors} difference(s)${infos ? `, ${infos} info` : ''}` : `identical (${infos} info-level difference(s) only)`);
  const groups = new Map<string, SchemaDifference[]>();
  for (const difference of differences) groups.set(groupOf(difference), [...(groups.get(groupOf(difference)) ?? []), difference]);
  for (const [group, members] of groups) {
    lines.push('', group);
    for (const d of members) lines.push(`  ${d.level.padEnd(5)}  ${d.kind} ${d.object}: ${describe(d)}`);
  }
  return `${lines.join('\n')}\n`;
}
