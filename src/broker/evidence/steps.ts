/**
 * The gate's step ids a broker accepts evidence for (the ids `GateStep.id` documents). A team
 * whose gate has other steps passes its own list to `startBroker({ evidenceSteps })`.
 */
export const EVIDENCE_STEPS: readonly string[] = Object.freeze([
  'contract-lint',
  'contract-diff',
  'consumer-tests',
  'pacts-vs-contract',
  'environment',
  'schema',
  'verify',
  'scenarios',
  'load',
  'docs',
]);

/**
 * Parses `--require schema,scenarios,load` (or `all`) into step ids; returns the unknown
 * names separately so callers can refuse them before asking anything.
 */
export function parseRequiredSteps(value: string, known: readonly string[] = EVIDENCE_STEPS): { steps: string[]; unknown: string[] } {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.includes('all')) return { steps: [...known], unknown: names.filter((name) => name !== 'all' && !known.includes(name)) };
  return { steps: [...new Set(names.filter((name) => known.includes(name)))], unknown: names.filter((name) => !known.includes(name)) };
}
