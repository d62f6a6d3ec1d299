import type { Check, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { SchemaDiffResult } from './schema-diff.js';

/** Options of {@link toSchemaStep}. */
export interface SchemaStepOptions {
  readonly durationMs?: number;
  /** The expected schema file. */
  readonly expected: string;
  /** What was compared with it, in words (`the environment's migrated database`). */
  readonly actual: string;
}

/** `accord schema diff`'s result as the gate's `schema` step: one check per difference (errors fail, info warns), one passing check when there is none. */
export function toSchemaStep(result: SchemaDiffResult, options: SchemaStepOptions): GateStep {
  const checks: Check[] = result.differences.map((difference) => ({
    id: `${difference.kind}:${difference.object}${difference.attribute ? `.${difference.attribute}` : ''}`,
    name: `${difference.kind} ${difference.object} ${difference.change}`,
    status: difference.level === 'error' ? 'fail' : 'warn',
    message:
      difference.change === 'changed'
        ? `${difference.attribute ?? 'definition'}: expected ${difference.expected ?? '(none)'}, got ${difference.actual ?? '(none)'}`
        : difference.change === 'added'
          ? `only in ${options.actual}, not in ${options.expected}`
          : `in ${options.expected}, missing from ${options.actual}`,
    location: { file: options.expected },
  }));
  if (checks.length === 0) checks.push({ id: 'identical', name: 'schema matches the expected version', status: 'pass', message: `${options.actual} matches ${options.expected}`, location: { file: options.expected } });
  return {
    id: 'schema',
    title: 'Database schema against the expected version',
    status: statusOf(checks),
    durationMs: options.durationMs ?? 0,
    checks,
    evidence: [{ label: 'expected schema', href: options.expected }],
    details: { identical: result.identical, differences: result.differences.length, notes: result.notes },
  };
}
