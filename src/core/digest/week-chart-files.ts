/**
 * A weekly digest header's chart as a file to post with it. The header carries the chart's
 * data (small, in the plan and the delivery job); the PNG is drawn here, right before the
 * header is sent, by the ChartRenderer the app wired in (src/charts/, loaded on first use).
 * A chart that cannot be drawn (the renderer throws, takes too long, or none is wired) is
 * logged and the header posts without it: a picture never costs the digest.
 */
import type { ChartRenderer } from '../chart.js';
import type { Logger, PostOptions } from '../ports.js';
import type { OutboundMessage } from '../reply.js';

type Files = NonNullable<PostOptions['files']>;

/** Longer than a first render with a cold module cache (~0.4 s measured, a few seconds on a busy machine). */
export const CHART_RENDER_TIMEOUT_MS = 30_000;

export async function chartFiles(charts: ChartRenderer | undefined, message: OutboundMessage, log: Logger, timeoutMs = CHART_RENDER_TIMEOUT_MS): Promise<Files> {
  if (message.kind !== 'digestHeader' || !message.chart || !charts) return [];
  const chart = message.chart;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`chart took longer than ${timeoutMs} ms`)), timeoutMs);
      (timer as { unref?: () => void }).unref?.();
    });
    const png = await Promise.race([charts.weekPng(chart), timeout]);
    if (!(png instanceof Uint8Array) || png.byteLength === 0) throw new Error('the chart renderer returned no image');
    return [{ name: `week-${chart.week.replace(/[^0-9A-Za-z-]/g, '')}.png`, data: png, contentType: 'image/png' }];
  } catch (err) {
    log.warn({ err, week: chart.week, bars: chart.bars.length }, 'weekly chart not drawn; the digest header posts without it');
    return [];
  } finally {
    if (timer) clearTimeout(timer);
  }
}
