import { AccordError, ErrorCodes } from '../errors/index.js';

/** What {@link parseNumberOption} accepts. */
export interface NumberRule {
  /** Whole numbers only. @default false */
  integer?: boolean;
  /** @default -Infinity */
  min?: number;
  /** @default Infinity */
  max?: number;
}

/**
 * The number an option was given, or a usage error (exit 2) that names the option, what it
 * expects and what it got: `--port must be an integer from 0 to 65535, got "x"`.
 */
export function parseNumberOption(flag: string, value: string, rule: NumberRule = {}): number {
  const { integer = false, min = -Infinity, max = Infinity } = rule;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  const ok = Number.isFinite(parsed) && (!integer || Number.isInteger(parsed)) && parsed >= min && parsed <= max;
  if (!ok) throw new AccordError(ErrorCodes.USAGE, `${flag} must be ${expectation(integer, min, max)}, got ${JSON.stringify(value)}`);
  return parsed;
}

function expectation(integer: boolean, min: number, max: number): string {
  const kind = integer ? 'an integer' : 'a number';
  if (Number.isFinite(min) && Number.isFinite(max)) return `${kind} from ${min} to ${max}`;
  if (Number.isFinite(min)) return `${kind} of at least ${min}`;
  if (Number.isFinite(max)) return `${kind} of at most ${max}`;
  return kind;
}
