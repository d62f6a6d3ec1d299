import type { Check, Evidence, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import { renderLoadCharts } from './load-charts.js';
import type { LoadResult } from './load-result.js';
import { roundTo } from './round-to.js';

/** Options of {@link toLoadStep}. */
export interface LoadStepOptions {
  /** @default the pass's own duration */
  readonly durationMs?: number;
  /** The report files written for the pass (JSON, Markdown, HTML, JUnit). */
  readonly files?: readonly string[];
}

/**
 * `accord load`'s result as the gate's `load` step: every threshold, resource limit and baseline
 * comparison is a check with `measured` {actual, limit, unit}; an informational threshold (the
 * 500 req/s target) warns instead of failing; `details.charts` holds the pass's SVG charts.
 */
export async function toLoadStep(result: LoadResult, options: LoadStepOptions = {}): Promise<GateStep> {
  const checks: Check[] = [
    ...result.thresholds.map((threshold): Check => ({
      id: threshold.id,
      name: threshold.description,
      status: threshold.ok ? 'pass' : threshold.informational ? 'warn' : 'fail',
      message: `measured ${round(threshold.actual)} ${threshold.unit}, limit ${round(threshold.limit)} ${threshold.unit}`,
      measured: { actual: threshold.actual, limit: threshold.limit, unit: threshold.unit },
    })),
    ...result.resources.checks.map((resource): Check => ({
      id: resource.id,
      name: resource.description,
      status: resource.ok ? 'pass' : 'fail',
      message: `${resource.target}: measured ${round(resource.actual)} ${resource.unit}, limit ${round(resource.limit)} ${resource.unit}`,
      measured: { actual: resource.actual, limit: resource.limit, unit: resource.unit },
    })),
    ...(result.baseline?.checks ?? []).map((baseline): Check => {
      // CPU shares and per-request costs are fractions: two decimals would hide the change they
      // show. Their message names the process, which the latency and rate checks need not.
      const cpu = baseline.unit === 'ratio' || baseline.unit === 'ms/request';
      const shown = cpu ? (value: number) => roundTo(value, 3) : round;
      return {
        id: baseline.id,
        name: baseline.description,
        status: baseline.ok ? 'pass' : 'fail',
        message: `${cpu ? `${baseline.id.replace('baseline.', '')}: ` : ''}measured ${shown(baseline.actual)}, allowed ${shown(baseline.allowed)} (baseline ${shown(baseline.baseline)})`,
        measured: { actual: baseline.actual, limit: baseline.allowed, unit: baseline.unit },
      };
    }),
  ];
  if (result.baseline?.status === 'missing') checks.push({ id: 'baseline.missing', name: 'baseline entry', status: 'warn', message: `no baseline entry ${result.baseline.key} in ${result.baseline.file}: record one with --update-baseline` });
  if (result.abortedReason !== null) checks.push({ id: 'aborted', name: 'the pass ran to the end', status: 'fail', message: result.abortedReason });
  const evidence: Evidence[] = (options.files ?? []).map((file) => ({ label: `load report ${file.split('.').pop() ?? ''}`.trim(), href: file }));
  if (result.baseline) evidence.push({ label: 'performance baseline', href: result.baseline.file });
  return {
    id: 'load',
    title: `Load pass (${result.profile.name})`,
    status: statusOf(checks),
    durationMs: options.durationMs ?? result.durationMs,
    checks,
    evidence,
    details: {
      profile: result.profile.name,
      targetRate: result.profile.targetRate,
      baseline: result.baseline === null ? 'none' : result.baseline.status,
      cpuMsPerRequest: result.cpu,
      charts: await renderLoadCharts(result),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
