/**
 * The weekly chart: ISO weeks, what a week's chart shows (pure), and the port that draws
 * it. A weekly digest opens with it and `papers chart` writes it to a file; the drawing
 * (Vega-Lite → SVG → PNG) lives in src/charts/.
 */
import { cleanLine, LIMITS } from './clean-text.js';
import { addDays, isDay } from './dates.js';
import { UserInputError } from './errors.js';
import type { Paper, PaperId } from './paper.js';
import { collapseWhitespace, plainText, truncateWords } from './text.js';

/** An ISO 8601 week: "2026-W34", Monday `from` to Sunday `to` (YYYY-MM-DD). */
export interface IsoWeek {
  week: string;
  from: string;
  to: string;
}

/** One bar: a paper, its title shortened for chat width, its upvotes. */
export interface ChartBar {
  id: PaperId;
  rank: number;
  label: string;
  value: number;
}

export interface WeekChartData extends IsoWeek {
  title: string;
  subtitle: string;
  /** Papers featured that week (the chart shows the first `bars.length` of them by upvotes). */
  featured: number;
  bars: ChartBar[];
}

/** Draws a week's chart; implemented by src/charts/vega-chart-renderer.ts. */
export interface ChartRenderer {
  /** A PNG at chat size, readable in dark and light themes. */
  weekPng(data: WeekChartData): Promise<Uint8Array>;
}

/** Bars on a chart: ten reads at thumbnail width, more turns into a list. */
export const CHART_TOP = 10;
/** A bar's label, in characters: one line of the chart at its font. */
export const CHART_LABEL_MAX = 64;

const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO weekday, 1 (Monday) … 7 (Sunday). */
function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** The Monday of week 1: the week holding 4 January. */
function firstMonday(year: number): string {
  const jan4 = `${String(year).padStart(4, '0')}-01-04`;
  return addDays(jan4, 1 - isoWeekday(jan4));
}

/** 52 or 53: a year has 53 ISO weeks when 28 December falls in week 53. */
export function weeksInYear(year: number): number {
  return isoWeekOf(`${String(year).padStart(4, '0')}-12-28`).week.endsWith('53') ? 53 : 52;
}

function weekOf(year: number, n: number): IsoWeek {
  const from = addDays(firstMonday(year), (n - 1) * 7);
  return { week: `${String(year).padStart(4, '0')}-W${String(n).padStart(2, '0')}`, from, to: addDays(from, 6) };
}

/** "2026-W34" → Monday 2026-08-17 … Sunday 2026-08-23; anything else is refused with a short message. */
export function parseIsoWeek(s: string): IsoWeek {
  const typed = s.trim().toUpperCase();
  const m = WEEK.exec(typed);
  const shown = collapseWhitespace(cleanLine(s, 40));
  if (!shown) throw new UserInputError('Which week? Use YYYY-Www, e.g. 2026-W34.');
  if (!m) throw new UserInputError(`"${shown}" is not a week. Use YYYY-Www, e.g. 2026-W34.`);
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 1000) throw new UserInputError(`"${shown}" is not a week. Use YYYY-Www, e.g. 2026-W34.`);
  const last = weeksInYear(year);
  if (n < 1 || n > last) throw new UserInputError(`"${shown}" is not a week: ${year} has weeks 01 to ${last}.`);
  return weekOf(year, n);
}

/** The ISO week a day (YYYY-MM-DD) belongs to; its year is the year of that week's Thursday. */
export function isoWeekOf(day: string): IsoWeek {
  if (!isDay(day)) throw new UserInputError(`"${cleanLine(day, 40)}" is not a date. Use YYYY-MM-DD, e.g. 2026-08-21.`);
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  const n = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${firstMonday(year)}T00:00:00Z`)) / (7 * 86_400_000)) + 1;
  return weekOf(year, n);
}

/** "17–23 Aug 2026", "27 Jul – 2 Aug 2026", "28 Dec 2026 – 3 Jan 2027". */
export function formatWeekRange(week: IsoWeek): string {
  const [fy, fm, fd] = week.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = week.to.split('-').map(Number) as [number, number, number];
  if (fy !== ty) return `${fd} ${MONTHS[fm - 1]} ${fy} – ${td} ${MONTHS[tm - 1]} ${ty}`;
  if (fm !== tm) return `${fd} ${MONTHS[fm - 1]} – ${td} ${MONTHS[tm - 1]} ${ty}`;
  return `${fd}–${td} ${MONTHS[tm - 1]} ${ty}`;
}

/**
 * A title from upstream as one chart label: control, bidi and zero-width characters
 * removed, LaTeX and tags dropped, whitespace collapsed, cut at a word to `max`.
 */
export function chartLabel(title: string, max = CHART_LABEL_MAX): string {
  return truncateWords(plainText(cleanLine(title, LIMITS.title)), max);
}

function featuredIn(p: Paper, week: IsoWeek): boolean {
  return p.featuredDates.some((d) => d >= week.from && d <= week.to);
}

/** What a week's chart shows: the papers featured that week, most upvoted first (ties by id), at most `top`. */
export function weekChartData(papers: readonly Paper[], week: IsoWeek, top = CHART_TOP): WeekChartData {
  const seen = new Set<PaperId>();
  const featured = papers.filter((p) => featuredIn(p, week) && !seen.has(p.id) && seen.add(p.id));
  const ranked = [...featured].sort((a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const bars = ranked.slice(0, Math.max(0, top)).map((p, i) => ({ id: p.id, rank: i + 1, label: chartLabel(p.title) || p.id, value: Math.max(0, p.upvotes ?? 0) }));
  const range = formatWeekRange(week);
  const subtitle = featured.length === 0
    ? `${range} · no papers featured`
    : bars.length < featured.length
      ? `${range} · top ${bars.length} of ${featured.length} featured papers, by upvotes`
      : `${range} · ${featured.length === 1 ? 'the 1 featured paper' : `all ${featured.length} featured papers`}, by upvotes`;
  return { ...week, title: `Top papers of the week · ${week.week}`, subtitle, featured: featured.length, bars };
}
