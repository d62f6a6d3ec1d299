import type { Check, GateStep, Location, Measured, Status } from './model.js';

/** How a status reads in text, Markdown and HTML: failures in capitals, so they stand out in a log. */
export const STATUS_LABEL: Readonly<Record<Status, string>> = { pass: 'pass', fail: 'FAIL', warn: 'warn', skip: 'skip' };

/** The mark in front of a check line: ✓ pass, ✗ fail, ! warn, - skip. */
export const STATUS_MARK: Readonly<Record<Status, string>> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** A duration as people read it: `320 ms`, `4.21 s`, `2 min 05 s`. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

/** `file:line:column pointer`, whichever parts are known (empty when none). */
export function formatLocation(location: Location | undefined): string {
  if (location === undefined) return '';
  const position = location.file === undefined ? '' : [location.file, location.line, location.line === undefined ? undefined : location.column].filter((part) => part !== undefined).join(':');
  return [position, location.pointer ?? ''].filter((part) => part !== '').join(' ');
}

/** A measured value against its limit: `p99 31.2 ms (limit 50 ms)`. */
export function formatMeasured(measured: Measured): string {
  return `${formatNumber(measured.actual)} ${measured.unit} (limit ${formatNumber(measured.limit)} ${measured.unit})`;
}

/** Up to two decimals, no trailing zeros: 31.2, 50, 0.05. */
export function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** A check as one line: name, message and where it points. */
export function checkLine(check: Check): string {
  const where = formatLocation(check.location);
  return `${check.name}: ${check.message}${where === '' ? '' : ` (${where})`}`;
}

/** The checks a reader must look at: failures first, then warnings. */
export function checksToShow(step: GateStep): Check[] {
  return [...step.checks.filter((check) => check.status === 'fail'), ...step.checks.filter((check) => check.status === 'warn')];
}

/** One line that says how a step went: `details.summary` when the step gives one, else its check counts. */
export function stepSummary(step: GateStep): string {
  const given = step.details?.summary;
  if (typeof given === 'string' && given !== '') return given.replace(/\r?\n/g, ' ');
  const total = step.checks.length;
  if (total === 0) return step.status === 'skip' ? 'not run' : 'no checks';
  const count = (status: Status) => step.checks.filter((check) => check.status === status).length;
  const plural = `check${total === 1 ? '' : 's'}`;
  if (count('pass') === total) return `${total} ${plural} passed`;
  const parts = (['fail', 'warn', 'skip'] as const).filter((status) => count(status) > 0).map((status) => `${count(status)} ${{ fail: 'failed', warn: 'warned', skip: 'skipped' }[status]}`);
  const [first, ...rest] = parts;
  return [`${first?.replace(' ', ` of ${total} ${plural} `)}`, ...rest].join(', ');
}

/** `8 passed, 1 failed, 1 skipped`: the step counts by status. */
export function stepCounts(steps: readonly GateStep[]): string {
  const count = (status: Status) => steps.filter((step) => step.status === status).length;
  return [`${count('pass')} passed`, ...(['fail', 'warn', 'skip'] as const).filter((status) => count(status) > 0).map((status) => `${count(status)} ${{ fail: 'failed', warn: 'warned', skip: 'skipped' }[status]}`)].join(', ');
}
