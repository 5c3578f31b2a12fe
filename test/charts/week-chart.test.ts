/**
 * The weekly chart drawn for real (Vega-Lite → Vega SVG → resvg PNG with the bundled
 * font) from the committed sample, decoded and checked: exact size, something drawn in
 * the chart's colours, and the golden image of 2026-W34 within a tolerance.
 */
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIsoWeek, weekChartData, type WeekChartData } from '../../src/core/chart.js';
import type { Paper } from '../../src/core/paper.js';
import { loadFontMetrics } from '../../src/charts/font-metrics.js';
import { CHART_FONT_FILES, CHART_SCALE, VegaChartRenderer, fitLabel } from '../../src/charts/vega-chart-renderer.js';
import { CHART_COLORS, CHART_LAYOUT, chartSize } from '../../src/charts/week-spec.js';
import { seededStore } from '../support/bot-harness.js';
import { comparePng, decodePng, golden, inkStats, rgbaAt, type Decoded } from './png-compare.js';

const hex = (c: string): [number, number, number] => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
const BACKGROUND = hex(CHART_COLORS.background);

let renderer: VegaChartRenderer;
let w34: WeekChartData;
let w33: WeekChartData;
let png34: Uint8Array;
let img34: Decoded;

async function weekData(week: string): Promise<WeekChartData> {
  const store = await seededStore();
  const w = parseIsoWeek(week);
  return weekChartData(await store.papersFeaturedBetween(w.from, w.to), w);
}

beforeAll(async () => {
  renderer = new VegaChartRenderer();
  [w34, w33] = await Promise.all([weekData('2026-W34'), weekData('2026-W33')]);
  png34 = await renderer.weekPng(w34);
  img34 = decodePng(png34);
});

function paper(id: string, title: string, upvotes: number): Paper {
  return { id, title, abstract: '', authors: [], publishedAt: null, featuredDates: ['2026-08-18'], upvotes, comments: 0, aiSummary: null, keywords: [], githubRepo: null, githubStars: null, projectPage: null, organization: null, thumbnail: null, categories: [], sources: ['hf'] };
}

describe('the weekly chart PNG', () => {
  it('is 1200 px wide and as tall as its ten rows, opaque', () => {
    expect(w34.bars).toHaveLength(10);
    const { width, height } = chartSize(10);
    expect([img34.width, img34.height]).toEqual([width * CHART_SCALE, height * CHART_SCALE]);
    expect(img34.width).toBe(1200);
    expect(img34.height).toBeGreaterThan(600);
    expect(img34.height).toBeLessThan(800);
    expect(inkStats(img34, BACKGROUND).transparent).toBe(0);
  });

  it('is not blank: the dark card, yellow bars and light text are all there', () => {
    const { inked, colours } = inkStats(img34, BACKGROUND);
    const total = img34.width * img34.height;
    expect(inked / total).toBeGreaterThan(0.05);
    expect(inked / total).toBeLessThan(0.5);
    expect(colours).toBeGreaterThan(100); // anti-aliased text, not flat fills only
    expect(rgbaAt(img34, 2, 2).slice(0, 3)).toEqual(BACKGROUND);
    // The first bar: the row under the header, in the bar column.
    const l = CHART_LAYOUT;
    const rowY = (l.padding + l.header + l.row / 2) * CHART_SCALE;
    const yellow = hex(CHART_COLORS.bar);
    const row = Array.from({ length: img34.width }, (_, x) => rgbaAt(img34, x, rowY).slice(0, 3).join());
    expect(row.filter((c) => c === yellow.join()).length).toBeGreaterThan(100);
    // Light text in the title line.
    let light = 0;
    for (let x = 0; x < img34.width; x++) for (let y = l.padding * CHART_SCALE; y < (l.padding + 24) * CHART_SCALE; y++) if (rgbaAt(img34, x, y)[0] > 200) light++;
    expect(light).toBeGreaterThan(1000);
  });

  it('matches the golden image of 2026-W34 within the tolerance, and a different week does not', async () => {
    const expected = golden('week-2026-W34.png', png34);
    const same = comparePng(img34, expected);
    expect(same.sameSize).toBe(true);
    expect(same.fraction).toBeLessThan(0.005);
    const other = comparePng(decodePng(await renderer.weekPng(w33)), expected);
    expect(other.fraction).toBeGreaterThan(0.01);
  });

  it('draws the same bytes every time', async () => {
    const again = await renderer.weekPng(w34);
    expect(Buffer.from(again).equals(Buffer.from(png34))).toBe(true);
  });

  it('a week of one paper is one short row', async () => {
    const w = parseIsoWeek('2026-W34');
    const one = decodePng(await renderer.weekPng(weekChartData([paper('2608.00001', 'Solo', 3)], w)));
    expect([one.width, one.height]).toEqual([1200, chartSize(1).height * CHART_SCALE]);
  });
});

describe('hostile titles on the chart', () => {
  const w = parseIsoWeek('2026-W34');
  const hostile = [
    paper('2608.90001', '<script>alert(1)</script> 1 < 2 & "quotes" > </text><text>injected', 900),
    paper('2608.90002', `\u001b]52;c;cHduZWQ=\u0007Clip\u001b[31mboard\u202egnp.exe\u200b zero\u0000width`, 800),
    paper('2608.90003', `${'W'.repeat(400)} wide`, 700),
    paper('2608.90004', `A ${'very '.repeat(3000)}long title`, 600),
    paper('2608.90005', '$\\mathcal{O}(n)$ attention with <b>tags</b> and \\textbf{bold}', 500),
    paper('2608.90006', '大规模语言模型 and émojis 🚀🔥', 400),
    paper('2608.90007', '   \n\t  ', 300),
  ];

  it('are cleaned and cut before they reach the spec', () => {
    const data = weekChartData(hostile, w);
    const labels = data.bars.map((b) => b.label);
    for (const l of labels) {
      expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
      expect([...l].length).toBeLessThanOrEqual(64);
    }
    expect(labels[1]).toBe('Clipboardgnp.exe zerowidth');
    expect(labels[4]).toBe('O(n) attention with tags and bold');
    expect(labels[6]).toBe('2608.90007'); // nothing left: the id stands in
  });

  it('are escaped in the SVG and fit their column', async () => {
    const data = weekChartData(hostile, w);
    const svg = await renderer.weekSvg(data);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<text>injected');
    expect(svg).toContain('1 &lt; 2 &amp; "quotes" &gt;'); // tags are dropped by the label cleaner, the rest is escaped
    const png = decodePng(await renderer.weekPng(data));
    expect([png.width, png.height]).toEqual([1200, chartSize(hostile.length).height * CHART_SCALE]);
    const font = loadFontMetrics(CHART_FONT_FILES.regular);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    const wide = texts.find((t) => t.startsWith('WWW'))!;
    expect(wide).toMatch(/…$/);
    expect(font.width(wide, CHART_LAYOUT.label)).toBeLessThanOrEqual(CHART_LAYOUT.maxLabelWidth);
  });
});

describe('text measurement agrees with the drawing', () => {
  it('the font metrics Vega is given match resvg’s rendering of the same text', () => {
    const font = loadFontMetrics(CHART_FONT_FILES.regular);
    for (const text of ['EnvHarness: Awakening Static Worlds for Agent Learning', 'iiiiiiiiii', 'WWWWWWWWWW', 'Zetta ζ: Closed-Loop']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="40"><text x="0" y="20" font-family="DejaVu Sans" font-size="13">${text}</text></svg>`;
      const bbox = new Resvg(svg, { font: { fontFiles: [CHART_FONT_FILES.regular], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).getBBox();
      expect(bbox, text).toBeDefined();
      const measured = font.width(text, 13);
      // Only the first and last glyphs' side bearings separate the ink box from the advances.
      expect(Math.abs(bbox!.width - measured), text).toBeLessThan(5);
    }
  });

  it('fitLabel cuts at a word until the label fits', () => {
    const font = loadFontMetrics(CHART_FONT_FILES.regular);
    const long = 'Unsupervised Reasoning Emerges from Diverse Cohort in Large Language Models';
    const fit = fitLabel(long, font, 13, 200);
    expect(font.width(fit, 13)).toBeLessThanOrEqual(200);
    expect(fit).toMatch(/^Unsupervised Reasoning\b.*…$/);
    expect(fitLabel('Short', font, 13, 200)).toBe('Short');
    // The font has no CJK or emoji: they would be empty boxes, so they are left out.
    expect(fitLabel('大规模语言模型 and émojis 🚀🔥 Ωμέγα Привет', font, 13, 400)).toBe('and émojis Ωμέγα Привет');
    expect(fitLabel('大规模语言模型 🚀', font, 13, 400, '2608.90006')).toBe('2608.90006');
  });
});
