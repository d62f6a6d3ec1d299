import { roundTo } from './round-to.js';
import { seededRandom } from './seeded-random.js';

/** One measure of a round: its value and which way is worse. */
export interface MeasureSpec {
  /** Stable id, e.g. `sustain.p50`, `cpu.api`, `rate`. */
  readonly id: string;
  readonly description: string;
  readonly unit: string;
  /** `lower`: latency, CPU per request (higher is worse); `higher`: throughput. */
  readonly better: 'lower' | 'higher';
  /** Allowed relative change either way: a ratio inside [1/(1+band), 1+band] is no change worth a verdict. */
  readonly band: number;
}

/** One A/B pair of rounds: each measure's value for the baseline build and for the candidate. */
export interface PairedRound {
  readonly baseline: Readonly<Record<string, number>>;
  readonly candidate: Readonly<Record<string, number>>;
}

/**
 * The verdict on one measure. `inconclusive`: the interval straddles an edge of the band (more
 * rounds may decide it; after the maximum it stays so). `too-few-rounds`: fewer pairs than the
 * minimum measured it. Neither is a pass.
 */
export type MeasureOutcome = 'regression' | 'improvement' | 'within' | 'inconclusive' | 'too-few-rounds';

/** One measure's ratio, interval and verdict. */
export interface MeasureVerdict {
  readonly id: string;
  readonly description: string;
  readonly unit: string;
  readonly better: MeasureSpec['better'];
  /** Candidate over baseline (geometric mean of the rounds' ratios). */
  readonly ratio: number;
  /** The ratio's confidence interval. */
  readonly low: number;
  readonly high: number;
  readonly band: number;
  /** Pairs of rounds that measured it. */
  readonly rounds: number;
  /** Medians of the rounds, each build. */
  readonly baselineMedian: number;
  readonly candidateMedian: number;
  readonly outcome: MeasureOutcome;
}

/** Options of {@link pairedVerdict}. */
export interface PairedVerdictOptions {
  /** Below this many pairs no interval is trusted. @default 3 */
  readonly minRounds?: number;
  /** After this many pairs an undecided measure is inconclusive. @default 8 */
  readonly maxRounds?: number;
  /** Two-sided confidence of the interval. @default 0.95 */
  readonly confidence?: number;
  /** Bootstrap resamples. @default 4000 */
  readonly resamples?: number;
  /** The bootstrap's seed: the same rounds always give the same verdict. @default 1 */
  readonly seed?: number;
}

/** The verdict over every measure, and whether more rounds could still decide it. */
export interface PairedVerdict {
  readonly measures: readonly MeasureVerdict[];
  /** `regression` if any measure regressed; else `inconclusive` / `too-few-rounds` if any is; else `improvement` if any improved; else `within`. */
  readonly outcome: MeasureOutcome;
  /** True while some measure is undecided, none has regressed and rounds remain (the caller runs another pair). */
  readonly wantsMoreRounds: boolean;
  readonly rounds: number;
}

/**
 * Weighs paired A/B rounds measure by measure: each pair's log ratio (candidate over baseline,
 * so drift of the machine during the sitting cancels within the pair), their mean as the ratio,
 * and a percentile bootstrap interval over the pairs with a fixed seed. A regression only when
 * the whole interval lies on the worse side of the band, an improvement only when on the better
 * side, `within` when it lies inside; else `inconclusive`, and the caller runs another pair
 * until the maximum. Never a pass without an interval: fewer than `minRounds` pairs are `too-few-rounds`.
 */
export function pairedVerdict(specs: readonly MeasureSpec[], rounds: readonly PairedRound[], options: PairedVerdictOptions = {}): PairedVerdict {
  const minRounds = options.minRounds ?? 3;
  const maxRounds = options.maxRounds ?? 8;
  const measures = specs.map((spec) => measureVerdict(spec, rounds, { ...options, minRounds }));
  const has = (outcome: MeasureOutcome) => measures.some((measure) => measure.outcome === outcome);
  const outcome: MeasureOutcome = has('regression') ? 'regression' : has('too-few-rounds') ? 'too-few-rounds' : has('inconclusive') ? 'inconclusive' : has('improvement') ? 'improvement' : 'within';
  const undecided = measures.some((measure) => measure.outcome === 'inconclusive' || measure.outcome === 'too-few-rounds');
  // A regression already decided stands whatever more pairs say of the other measures: the sitting can end.
  return { measures, outcome, wantsMoreRounds: outcome !== 'regression' && undecided && rounds.length < maxRounds, rounds: rounds.length };
}

function measureVerdict(spec: MeasureSpec, rounds: readonly PairedRound[], options: PairedVerdictOptions & { minRounds: number }): MeasureVerdict {
  const pairs = rounds.flatMap((round) => {
    const a = round.baseline[spec.id];
    const b = round.candidate[spec.id];
    return a !== undefined && b !== undefined && a > 0 && b > 0 ? [{ a, b }] : [];
  });
  const logs = pairs.map(({ a, b }) => Math.log(b / a));
  const base = {
    id: spec.id,
    description: spec.description,
    unit: spec.unit,
    better: spec.better,
    band: spec.band,
    rounds: pairs.length,
    baselineMedian: roundTo(median(pairs.map((pair) => pair.a)), 4),
    candidateMedian: roundTo(median(pairs.map((pair) => pair.b)), 4),
  };
  if (pairs.length === 0) return { ...base, ratio: Number.NaN, low: Number.NaN, high: Number.NaN, outcome: 'too-few-rounds' };
  const ratio = Math.exp(mean(logs));
  const [low, high] = bootstrapInterval(logs, options.confidence ?? 0.95, options.resamples ?? 4000, options.seed ?? 1).map(Math.exp) as [number, number];
  const shown = { ...base, ratio: roundTo(ratio, 4), low: roundTo(low, 4), high: roundTo(high, 4) };
  if (pairs.length < options.minRounds) return { ...shown, outcome: 'too-few-rounds' };
  const upper = 1 + spec.band;
  const lower = 1 / upper;
  // Worse is a higher ratio for a cost, a lower one for a throughput.
  const worse = spec.better === 'lower' ? low > upper : high < lower;
  const better = spec.better === 'lower' ? high < lower : low > upper;
  const inside = low >= lower && high <= upper;
  const outcome: MeasureOutcome = worse ? 'regression' : better ? 'improvement' : inside ? 'within' : 'inconclusive';
  return { ...shown, outcome };
}

/** Percentile interval of the mean of `values` over `resamples` bootstrap resamples. */
function bootstrapInterval(values: readonly number[], confidence: number, resamples: number, seed: number): [number, number] {
  if (values.length === 1) return [values[0] as number, values[0] as number];
  const random = seededRandom(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)] as number;
    means.push(sum / values.length);
  }
  means.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return [means[Math.floor(tail * (resamples - 1))] as number, means[Math.ceil((1 - tail) * (resamples - 1))] as number];
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
