import type { TopLevelSpec } from 'vega-lite';

/** One point of a multi-line chart: x, y and the series it belongs to. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly series: string;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** @default 720 */
  readonly width?: number;
  /** @default 220 */
  readonly height?: number;
  /** Draw a horizontal rule at each value (e.g. a threshold). */
  readonly rules?: readonly { y: number; label: string }[];
}

/**
 * Renders a line chart to a standalone SVG string with vega-lite compiled and rendered by vega
 * in Node (renderer 'none' + toSVG): no browser, no canvas, no native build.
 */
export async function lineChartSvg(points: readonly ChartPoint[], options: LineChartOptions): Promise<string> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: options.width ?? 720,
    height: options.height ?? 220,
    background: 'white',
    layer: [
      {
        data: { values: points.map((point) => ({ ...point })) },
        mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: options.xTitle },
          y: { field: 'y', type: 'quantitative', title: options.yTitle },
          color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top' } },
        },
      },
      ...(options.rules ?? []).map((rule) => ({
        data: { values: [{ y: rule.y, label: rule.label }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#c0392b' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      })),
    ],
  } as TopLevelSpec;
  // Loaded here, not at the top: vega and vega-lite cost ~0.3 s of CPU that every `accord load`
  // and every gate would pay before checking its options.
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
