import { notApplicableReason } from './model.js';
import type { Check, ChecklistItem, GateStep, Location, Measured, Status } from './model.js';

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

/** A measured value against its limit: `p99 31.2 ms (limit 50 ms)`, `1.21 GB (limit 2.00 GB)`. */
export function formatMeasured(measured: Measured): string {
  return `${formatQuantity(measured.actual, measured.unit)} (limit ${formatQuantity(measured.limit, measured.unit)})`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/**
 * A value in the unit people read: sizes and rates in decimal units (`2.00 GB`, `93 MB`,
 * `50 MB/s`, as load.yaml's `2GB` means 2·10⁹ bytes), anything else as `31.2 ms`.
 */
export function formatQuantity(value: number, unit: string): string {
  if (unit !== 'bytes' && unit !== 'bytes/s') return `${formatNumber(value)} ${unit}`;
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1000 && index < BYTE_UNITS.length - 1) {
    scaled /= 1000;
    index++;
  }
  // Gigabytes keep two decimals (a 2 GB limit against 1.93 GB); smaller units read whole above 10.
  const digits = index >= 3 ? 2 : Math.abs(scaled) >= 10 || index === 0 ? 0 : 1;
  return `${scaled.toFixed(digits)} ${BYTE_UNITS[index]}${unit === 'bytes/s' ? '/s' : ''}`;
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
  const reason = step.details?.reason;
  if (total === 0 && step.status === 'skip' && typeof reason === 'string' && reason !== '') return reason;
  if (total === 0) return step.status === 'skip' ? 'not run' : 'no checks';
  const count = (status: Status) => step.checks.filter((check) => check.status === status).length;
  const plural = `check${total === 1 ? '' : 's'}`;
  if (count('pass') === total) return `${total} ${plural} passed`;
  const parts = (['fail', 'warn', 'skip'] as const).filter((status) => count(status) > 0).map((status) => `${count(status)} ${{ fail: 'failed', warn: 'warned', skip: 'skipped' }[status]}`);
  const [first, ...rest] = parts;
  return [`${first?.replace(' ', ` of ${total} ${plural} `)}`, ...rest].join(', ');
}

/** `8 passed, 1 failed, 1 skipped, 3 not applicable`: the step counts by status. */
export function stepCounts(steps: readonly GateStep[]): string {
  const notApplicable = steps.filter((step) => notApplicableReason(step) !== undefined).length;
  const count = (status: Status) => steps.filter((step) => step.status === status && (status !== 'skip' || notApplicableReason(step) === undefined)).length;
  const counts = [`${count('pass')} passed`, ...(['fail', 'warn', 'skip'] as const).filter((status) => count(status) > 0).map((status) => `${count(status)} ${{ fail: 'failed', warn: 'warned', skip: 'skipped' }[status]}`)];
  return [...counts, ...(notApplicable > 0 ? [`${notApplicable} not applicable`] : [])].join(', ');
}

/** How a step's status reads in a table: `n/a` for a step that does not apply, else {@link STATUS_LABEL}. */
export function stepStatusLabel(step: GateStep): string {
  return notApplicableReason(step) === undefined ? STATUS_LABEL[step.status] : 'n/a';
}

/** How a checklist item reads: ✓ ticked, ✗ crossed, – not applicable. */
export function checklistMark(item: ChecklistItem): string {
  return item.notApplicable ? '–' : item.ok ? '✓' : '✗';
}
