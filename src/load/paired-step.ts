import type { Check } from '../report/model.js';
import type { BaselineChoice, PreparedBaselineBuild } from './baseline-build.js';
import { lineChartSvg } from './charts.js';
import type { ChartPoint } from './charts.js';
import type { LoadChart } from './load-charts.js';
import type { PairedComparison } from './paired-rounds.js';
import type { MeasureOutcome, MeasureVerdict } from './paired-verdict.js';

const STATUS: Record<MeasureOutcome, Check['status']> = {
  regression: 'fail',
  improvement: 'pass',
  within: 'pass',
  // Not a pass and not a finding: the sitting could not tell; the report says so.
  inconclusive: 'warn',
  'too-few-rounds': 'warn',
};

/** One line naming the baseline a load verdict was weighed against. */
export function describeBaseline(choice: BaselineChoice, build?: PreparedBaselineBuild, recordedFile?: string): string {
  if (choice.kind === 'recorded') return `recorded baseline ${recordedFile ?? ''} (${choice.why})`.replace('  ', ' ');
  const from = choice.why === 'merge-base' ? 'the merge base with the main branch' : choice.why === 'option' ? '--baseline-ref' : 'load.yaml baseline.ref';
  const built = build ? (build.cached ? ', build cached' : `, built in ${(build.buildMs / 1000).toFixed(1)} s`) : '';
  return `build of ${choice.ref} (${choice.commit.slice(0, 12)}, from ${from}${built}), measured beside the candidate in alternating rounds`;
}

/** Each weighed measure as a check (`ab.<measure>`), and one reporting the sitting: rounds and the machine's load during them. */
export function pairedChecks(comparison: PairedComparison, baseline: string): Check[] {
  const { verdict } = comparison;
  const checks = verdict.measures.map(
    (measure): Check => ({
      id: `ab.${measure.id}`,
      name: `${measure.description}: candidate/baseline within ±${Math.round(measure.band * 100)}%`,
      status: STATUS[measure.outcome],
      message: `${measure.outcome}: ratio ${fixed(measure.ratio)} [${fixed(measure.low)}, ${fixed(measure.high)}] over ${measure.rounds} pair${measure.rounds === 1 ? '' : 's'} (median ${measure.candidateMedian} vs ${measure.baselineMedian} ${measure.unit})`,
      measured: { actual: measure.ratio, limit: 1 + measure.band, unit: 'ratio' },
    }),
  );
  const loads = comparison.rounds.map((round) => round.loadAverage);
  const busy = comparison.rounds.map((round) => round.busyPercent);
  const range = (values: number[]) => (values.length === 0 ? 'n/a' : `${Math.min(...values)}–${Math.max(...values)}`);
  checks.push({
    id: 'ab.rounds',
    name: 'A/B rounds against the baseline build',
    status: verdict.outcome === 'too-few-rounds' ? 'warn' : 'pass',
    message: `${verdict.rounds} pair${verdict.rounds === 1 ? '' : 's'} of ${comparison.roundMs / 1000} s rounds at ${comparison.rate} req/s (at most ${comparison.maxRounds}), ${(comparison.wallMs / 1000).toFixed(1)} s; load average ${range(loads)}, machine CPU busy ${range(busy)}%; verdict ${verdict.outcome}; baseline: ${baseline}`,
  });
  return checks;
}

/** The rounds as charts: each weighed measure's candidate/baseline ratio per pair, and each build's p50 per round. */
export async function pairedCharts(comparison: PairedComparison): Promise<LoadChart[]> {
  const byPair = new Map<number, { baseline?: Record<string, number>; candidate?: Record<string, number> }>();
  for (const round of comparison.rounds) byPair.set(round.pair, { ...byPair.get(round.pair), [round.build]: round.measures });
  const ratios: ChartPoint[] = [];
  const p50: ChartPoint[] = [];
  for (const [pair, { baseline, candidate }] of byPair) {
    for (const measure of comparison.verdict.measures) {
      const a = baseline?.[measure.id];
      const b = candidate?.[measure.id];
      if (a && b) ratios.push({ x: pair, y: Math.round((b / a) * 1000) / 1000, series: measure.id });
    }
    const id = `${comparison.stage}.p50`;
    if (baseline?.[id] !== undefined) p50.push({ x: pair, y: baseline[id], series: 'baseline' });
    if (candidate?.[id] !== undefined) p50.push({ x: pair, y: candidate[id], series: 'candidate' });
  }
  const band = bandOf(comparison.verdict.measures);
  const ratioTitle = 'A/B rounds: candidate / baseline per pair';
  const p50Title = `A/B rounds: p50 per round at ${comparison.rate} req/s (ms)`;
  return [
    { title: ratioTitle, svg: await lineChartSvg(ratios, { title: ratioTitle, xTitle: 'pair', yTitle: 'ratio', rules: [{ y: 1, label: 'same' }, { y: 1 + band, label: 'band' }] }) },
    { title: p50Title, svg: await lineChartSvg(p50, { title: p50Title, xTitle: 'pair', yTitle: 'ms' }) },
  ];
}

function bandOf(measures: readonly MeasureVerdict[]): number {
  return measures.find((measure) => measure.id.endsWith('.p50'))?.band ?? 0.15;
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : 'n/a';
}
