/** The verdict of one named check of a scenario: the unit the JSON, table and JUnit outputs report. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was observed, in one line: enough to understand a failure without the logs. */
  readonly detail: string;
}

/** What a check's verify function returns; the runner adds the check's name. */
export interface CheckOutcome {
  readonly ok: boolean;
  readonly detail: string;
}

/** A passing outcome with what was observed. */
export function pass(detail: string): CheckOutcome {
  return { ok: true, detail };
}

/** A failing outcome saying what was expected and what was seen. */
export function fail(detail: string): CheckOutcome {
  return { ok: false, detail };
}

/** Passes when `condition` holds; the same detail either way, so the report reads the same. */
export function verdict(condition: boolean, detail: string): CheckOutcome {
  return { ok: condition, detail };
}

/** Passes when `actual` equals `expected` (JSON equality); the detail names `what`. */
export function expectEqual(what: string, actual: unknown, expected: unknown): CheckOutcome {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return a === e ? pass(`${what} = ${a}`) : fail(`expected ${what} = ${e}, got ${a}`);
}
