/**
 * The Vega-Lite spec of the weekly chart: one line per paper (rank, title cut to fit,
 * upvotes bar with its value at the end), ten lines in a 600 × 354 px card. Sizes are CSS
 * pixels; the renderer draws them at 2× (1200 × 708 px), so 13 px labels are 26 px in the
 * PNG and still about 12 px when a chat client shrinks it to its ~550 × 350 px preview
 * (a wide card matters: a tall one is scaled by its height and its text gets tiny).
 *
 * Colours: an opaque dark card (#1e1f22, Discord's darkest surface) with light text. A
 * transparent PNG would take the client's background, and no one text colour reads on
 * both Slack's white and Discord's near-black; an opaque card carries its own contrast
 * everywhere, looks native in Discord's dark theme (most of its users) and like a
 * deliberate card in Slack's light one. Bars are Hugging Face yellow, which keeps a
 * contrast above 10:1 on the card; text is #f2f3f5 (titles, values) and #b5bac1 (muted).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { WeekChartData } from '../core/chart.js';

export const CHART_FONT_FAMILY = 'DejaVu Sans';

export const CHART_COLORS = {
  background: '#1e1f22',
  bar: '#ffd21e',
  text: '#f2f3f5',
  muted: '#b5bac1',
  rank: '#949ba4',
} as const;

/** Layout, in CSS px before the 2× scale. */
export const CHART_LAYOUT = {
  width: 600,
  padding: 24,
  /** Title, subtitle and the gap under them. */
  header: 58,
  /** One paper a row: its rank, title and bar on one line. */
  row: 25,
  label: 13,
  bar: 14,
  /** Where a title starts, after its rank ("10."). */
  labelStart: 26,
  /** The widest a title may be before it is cut: the rest of the row is its bar. */
  maxLabelWidth: 310,
  /** Room after the longest bar for its value ("▲ 1,234"). */
  valueRoom: 52,
} as const;

/** Width and height of the chart in CSS px, for `rows` bars (the PNG is twice that). */
export function chartSize(rows: number): { width: number; height: number } {
  const l = CHART_LAYOUT;
  return { width: l.width, height: l.padding * 2 + l.header + Math.max(1, rows) * l.row };
}

/**
 * The spec for a week whose bar labels already fit `labelWidth` px (the renderer measures
 * them with the font): titles on the left, bars start after the widest.
 */
export function weekSpec(data: WeekChartData, labelWidth: number = CHART_LAYOUT.maxLabelWidth): TopLevelSpec {
  const l = CHART_LAYOUT;
  const size = chartSize(data.bars.length);
  const plotWidth = size.width - l.padding * 2;
  const barStart = l.labelStart + Math.min(labelWidth, l.maxLabelWidth) + 10;
  const max = Math.max(1, ...data.bars.map((b) => b.value));
  const values = data.bars.map((b) => ({ ...b, rankText: `${b.rank}.`, valueText: `▲ ${b.value.toLocaleString('en-US')}` }));
  const y = { field: 'rank', type: 'ordinal', axis: null, scale: { paddingInner: 0, paddingOuter: 0 } } as const;
  const x = { field: 'value', type: 'quantitative', axis: null, scale: { domain: [0, max] as number[], range: [barStart, plotWidth - l.valueRoom] as number[], nice: false, zero: true } } as const;
  const line = { baseline: 'middle', fontSize: l.label } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: plotWidth,
    height: size.height - l.padding * 2 - l.header,
    autosize: { type: 'none', contains: 'content' },
    padding: { left: l.padding, right: l.padding, top: l.padding + l.header, bottom: l.padding },
    background: CHART_COLORS.background,
    title: {
      text: data.title,
      subtitle: data.subtitle,
      anchor: 'start',
      frame: 'group',
      offset: 16,
      font: CHART_FONT_FAMILY,
      fontSize: 19,
      fontWeight: 'bold',
      color: CHART_COLORS.text,
      subtitleFont: CHART_FONT_FAMILY,
      subtitleFontSize: 13,
      subtitleColor: CHART_COLORS.muted,
      subtitlePadding: 5,
    },
    config: {
      view: { stroke: null },
      font: CHART_FONT_FAMILY,
      text: { font: CHART_FONT_FAMILY, limit: 0 },
    },
    data: { values },
    layer: [
      {
        // The scale's zero is the bar column's left edge.
        mark: { type: 'bar', height: l.bar, cornerRadiusEnd: 3, color: CHART_COLORS.bar },
        encoding: { y, x },
      },
      {
        mark: { type: 'text', align: 'right', ...line, fontWeight: 'bold', color: CHART_COLORS.rank },
        encoding: { y, x: { value: l.labelStart - 6 }, text: { field: 'rankText' } },
      },
      {
        mark: { type: 'text', align: 'left', ...line, color: CHART_COLORS.text },
        encoding: { y, x: { value: l.labelStart }, text: { field: 'label' } },
      },
      {
        mark: { type: 'text', align: 'left', ...line, dx: 6, fontWeight: 'bold', color: CHART_COLORS.text },
        encoding: { y, x, text: { field: 'valueText' } },
      },
    ],
  };
}
