/**
 * The ChartRenderer a process gets: Vega, Vega-Lite and resvg (src/charts/) are loaded
 * the first time a chart is drawn, not at start-up (about 0.4 s and 250 MB the first
 * time), so a bot or worker that never posts a weekly digest never pays for them. A load
 * that fails is retried on the next chart, not remembered.
 */
import type { ChartRenderer, WeekChartData } from '../core/chart.js';

export function lazyChartRenderer(load: () => Promise<ChartRenderer> = defaultLoad): ChartRenderer & { loaded(): boolean } {
  let renderer: Promise<ChartRenderer> | undefined;
  let ready = false;
  return {
    loaded: () => ready,
    async weekPng(data: WeekChartData): Promise<Uint8Array> {
      renderer ??= load().then(
        (r) => ((ready = true), r),
        (err: unknown) => {
          renderer = undefined;
          throw err;
        },
      );
      return (await renderer).weekPng(data);
    },
  };
}

async function defaultLoad(): Promise<ChartRenderer> {
  const { VegaChartRenderer } = await import('../charts/vega-chart-renderer.js');
  return new VegaChartRenderer();
}
