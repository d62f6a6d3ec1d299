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
  for (const [group, items] of groups) {
    lines.push('', group);
    for (const d of items) {
      const what = d.attribute ? `${d.attribute} changed` : d.change;
      const detail =
        d.change === 'changed' ? `expected ${shorten(d.expected, 60)}, actual ${shorten(d.actual, 60)}` : d.change === 'added' ? `only in actual: ${shorten(d.actual)}` : `missing (expected: ${shorten(d.expected)})`;
      lines.push(`  ${d.level.padEnd(5)}  ${d.kind} ${d.object}: ${what}: ${detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
