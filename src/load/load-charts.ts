import { lineChartSvg } from './charts.js';
import type { ChartPoint } from './charts.js';
import { downsampleSeries } from './downsample.js';
import type { LoadResult } from './load-result.js';

/** One rendered chart of a load pass. */
export interface LoadChart {
  readonly title: string;
  /** A standalone SVG document. */
  readonly svg: string;
}

/** Memory per process tree: PSS, so shared pages count once (RSS where PSS is unreadable). */
const MEMORY_TITLE = 'Memory, shared pages counted once (PSS, MB)';

/** The load pass's SVG charts (latency over time, target vs achieved rate, CPU and memory per process), as the HTML report and the gate's report show them. */
export async function renderLoadCharts(result: LoadResult): Promise<LoadChart[]> {
  const series = downsampleSeries(result.series, 600);
  const latencyPoints: ChartPoint[] = series.flatMap((p) => [
    { x: p.t, y: p.p50Ms, series: 'p50' },
    { x: p.t, y: p.p95Ms, series: 'p95' },
    { x: p.t, y: p.p99Ms, series: 'p99' },
  ]);
  const ratePoints: ChartPoint[] = series.flatMap((p) => [
    { x: p.t, y: p.targetRate, series: 'target' },
    { x: p.t, y: p.achievedRate, series: 'achieved' },
  ]);
  const cpuPoints: ChartPoint[] = result.resources.recording.series.flatMap((s) => s.samples.map((sample) => ({ x: sample.t, y: sample.cpuMachinePercent, series: s.name })));
  const rssPoints: ChartPoint[] = result.resources.recording.series.flatMap((s) => s.samples.map((sample) => ({ x: sample.t, y: Math.round((sample.memoryBytes ?? sample.rssBytes) / 1e5) / 10, series: s.name })));
  const t = result.profile.thresholds;
  const titles = ['Latency from scheduled start (ms)', 'Target vs achieved rate (req/s)', ...(cpuPoints.length > 0 ? [`CPU (% of the machine, ${result.resources.cpus} CPUs)`, MEMORY_TITLE] : [])];
  const charts = await Promise.all([
    lineChartSvg(latencyPoints, { title: 'Latency from scheduled start (ms)', xTitle: 'time (s)', yTitle: 'ms', rules: [{ y: t.p99Ms, label: 'p99 limit' }].filter((rule) => rule.y <= Math.max(1, ...latencyPoints.map((p) => p.y)) * 1.5) }),
    lineChartSvg(ratePoints, { title: 'Target vs achieved rate (req/s)', xTitle: 'time (s)', yTitle: 'req/s' }),
    ...(cpuPoints.length > 0
      ? [
          lineChartSvg(cpuPoints, { title: `CPU (% of the machine, ${result.resources.cpus} CPUs)`, xTitle: 'time (s)', yTitle: '%' }),
          lineChartSvg(rssPoints, { title: MEMORY_TITLE, xTitle: 'time (s)', yTitle: 'MB' }),
        ]
      : []),
  ]);
  return charts.map((svg, index) => ({ title: titles[index] ?? `chart ${index + 1}`, svg }));
}
