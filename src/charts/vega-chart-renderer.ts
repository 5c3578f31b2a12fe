/**
 * The ChartRenderer port: Vega-Lite compiled to Vega, drawn to SVG by Vega with no canvas
 * (renderer "none"), converted to PNG by resvg (a Rust build shipped in an npm package;
 * no Cairo, no system fonts). The font is DejaVu Sans Condensed from the
 * `dejavu-fonts-ttf` package (Bitstream Vera licence, free to redistribute), handed to
 * resvg as files, and its advance widths are given to Vega's text measurement so the
 * layout and the drawing agree.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartRenderer, WeekChartData } from '../core/chart.js';
import { collapseWhitespace, truncateWords } from '../core/text.js';
import { loadFontMetrics, type FontMetrics } from './font-metrics.js';
import { CHART_FONT_FAMILY, CHART_LAYOUT, weekSpec } from './week-spec.js';

/** The PNG is the SVG at twice its CSS size: 1200 px wide, sharp on high-density screens and in previews. */
export const CHART_SCALE = 2;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

interface VegaTextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const CHART_FONT_FILES = {
  regular: path.join(FONT_DIR, 'DejaVuSansCondensed.ttf'),
  bold: path.join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf'),
} as const;

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

/**
 * A label the font can draw, cut at a word until it is at most `maxPx` wide at `size` px.
 * Characters the font lacks (CJK, emoji) would be empty boxes: they are left out, and a
 * label with no letter or digit left is `fallback` (the paper's id).
 */
export function fitLabel(label: string, font: FontMetrics, size: number, maxPx: number, fallback = ''): string {
  let s = collapseWhitespace([...label].filter((ch) => /\s/.test(ch) || font.covers(ch)).join(''));
  if (!/[\p{L}\p{N}]/u.test(s)) s = fallback;
  while (s.length > 1 && font.width(s, size) > maxPx) s = truncateWords(s, s.length - 2);
  return s;
}

function isBold(weight: string | number | undefined): boolean {
  return weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
}

function textOf(item: TextItem, text: unknown): string {
  const t = text ?? item.text;
  if (t === null || t === undefined) return '';
  return Array.isArray(t) ? t.map(String).reduce((a, b) => (a.length >= b.length ? a : b), '') : String(t);
}

/**
 * Vega measures text with a canvas when it has one and guesses otherwise; this process
 * has none, so the measure is set once to the bundled font's real widths (the hook
 * vl-convert uses). Vega's text measurement is module state: every chart drawn in this
 * process uses this font, which is the only one resvg is given anyway.
 */
function measureWithBundledFont(): void {
  if (metrics) return;
  metrics = { regular: loadFontMetrics(CHART_FONT_FILES.regular), bold: loadFontMetrics(CHART_FONT_FILES.bold) };
  const m = metrics;
  const tm = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
  tm.width = (item, text) => (isBold(item.fontWeight) ? m.bold : m.regular).width(textOf(item, text), item.fontSize ?? 11);
}

export class VegaChartRenderer implements ChartRenderer {
  constructor() {
    measureWithBundledFont();
  }

  /** The chart as SVG (what the PNG is drawn from), for tests and for a client that takes SVG. */
  async weekSvg(data: WeekChartData): Promise<string> {
    const l = CHART_LAYOUT;
    const font = metrics!.regular;
    const bars = data.bars.map((b) => ({ ...b, label: fitLabel(b.label, font, l.label, l.maxLabelWidth, b.id) }));
    const labelWidth = Math.max(0, ...bars.map((b) => font.width(b.label, l.label)));
    const { spec } = compile(weekSpec({ ...data, bars }, Math.ceil(labelWidth)));
    const view = new vega.View(vega.parse(spec), { renderer: 'none', logLevel: vega.Warn });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  }

  async weekPng(data: WeekChartData): Promise<Uint8Array> {
    return svgToPng(await this.weekSvg(data));
  }
}

/** An SVG drawn to PNG at CHART_SCALE with the bundled font only (no system fonts are looked up). */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: CHART_SCALE },
    font: { fontFiles: [CHART_FONT_FILES.regular, CHART_FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
    imageRendering: 0,
  });
  return new Uint8Array(resvg.render().asPng());
}
