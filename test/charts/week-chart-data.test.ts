/** The pure half of the weekly chart (src/core/chart.ts): ISO weeks and what a week's chart shows. */
import { describe, expect, it } from 'vitest';
import { CHART_LABEL_MAX, chartLabel, formatWeekRange, isoWeekOf, parseIsoWeek, weekChartData, weeksInYear } from '../../src/core/chart.js';
import { BotError } from '../../src/core/errors.js';
import type { Paper } from '../../src/core/paper.js';
import { weekSpec } from '../../src/charts/week-spec.js';
import { seededStore } from '../support/bot-harness.js';

function paper(id: string, upvotes: number | null, featuredDates: string[], title = `Paper ${id}`): Paper {
  return { id, title, abstract: '', authors: [], publishedAt: null, featuredDates, upvotes, comments: null, aiSummary: null, keywords: [], githubRepo: null, githubStars: null, projectPage: null, organization: null, thumbnail: null, categories: [], sources: ['hf'] };
}

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof BotError) return { code: err.code, message: err.userMessage };
    throw err;
  }
  throw new Error('not refused');
}

describe('ISO weeks', () => {
  it.each([
    ['2026-W33', '2026-08-10', '2026-08-16'],
    ['2026-W34', '2026-08-17', '2026-08-23'],
    // 2026 starts on a Thursday: week 1 holds 29 Dec 2025, and the year has 53 weeks.
    ['2026-W01', '2025-12-29', '2026-01-04'],
    ['2026-W53', '2026-12-28', '2027-01-03'],
    ['2027-W01', '2027-01-04', '2027-01-10'],
    ['2025-W01', '2024-12-30', '2025-01-05'],
    ['2020-W53', '2020-12-28', '2021-01-03'],
    ['2024-W22', '2024-05-27', '2024-06-02'],
  ])('%s is %s … %s', (week, from, to) => {
    expect(parseIsoWeek(week)).toEqual({ week, from, to });
    expect(isoWeekOf(from).week).toBe(week);
    expect(isoWeekOf(to).week).toBe(week);
  });

  it('a lower-case w and spaces around it are fine', () => {
    expect(parseIsoWeek(' 2026-w34 ').week).toBe('2026-W34');
  });

  it('years have 52 or 53 weeks (53 when 1 January is a Thursday, or a Wednesday in a leap year)', () => {
    expect([2020, 2021, 2024, 2025, 2026, 2027, 2032, 2037].map(weeksInYear)).toEqual([53, 52, 52, 52, 53, 52, 53, 53]);
  });

  it('days around the new year belong to the week of their Thursday', () => {
    expect(isoWeekOf('2027-01-03').week).toBe('2026-W53');
    expect(isoWeekOf('2026-01-01').week).toBe('2026-W01');
    expect(isoWeekOf('2024-12-30').week).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03').week).toBe('2020-W53');
    expect(isoWeekOf('2026-08-21').week).toBe('2026-W34');
  });

  it.each([
    ['2026-W54', /2026 has weeks 01 to 53/],
    ['2025-W53', /2025 has weeks 01 to 52/],
    ['2026-W00', /weeks 01 to 53/],
    ['2026-34', /not a week\. Use YYYY-Www, e\.g\. 2026-W34/],
    ['W34', /not a week/],
    ['2026-W3', /not a week/],
    ['2026-08-21', /not a week/],
    ['', /Which week\?/],
    ['   ', /Which week\?/],
    ['\u001b[31m2026-W34', /not a week/],
  ])('%j is refused with a short message', (input, message) => {
    const r = refusal(() => parseIsoWeek(input));
    expect(r.code).toBe('bad_input');
    expect(r.message).toMatch(message);
    expect(r.message.length).toBeLessThan(100);
    expect(r.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('isoWeekOf refuses what is not a day', () => {
    expect(refusal(() => isoWeekOf('2026-02-30')).code).toBe('bad_input');
  });

  it('ranges read as people write them', () => {
    expect(formatWeekRange(parseIsoWeek('2026-W34'))).toBe('17–23 Aug 2026');
    expect(formatWeekRange(parseIsoWeek('2026-W31'))).toBe('27 Jul – 2 Aug 2026');
    expect(formatWeekRange(parseIsoWeek('2026-W53'))).toBe('28 Dec 2026 – 3 Jan 2027');
  });
});

describe('weekChartData', () => {
  const w34 = parseIsoWeek('2026-W34');

  it('on the sample: the ten most upvoted papers featured 17–23 Aug 2026, most first', async () => {
    const store = await seededStore();
    const papers = await store.papersFeaturedBetween(w34.from, w34.to);
    const data = weekChartData(papers, w34);
    expect(data).toMatchObject({ week: '2026-W34', from: '2026-08-17', to: '2026-08-23', featured: papers.length, title: 'Top papers of the week · 2026-W34' });
    expect(data.subtitle).toBe(`17–23 Aug 2026 · top 10 of ${papers.length} featured papers, by upvotes`);
    expect(data.bars).toHaveLength(10);
    expect(data.bars.map((b) => b.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const values = data.bars.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const best = [...papers].sort((a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0))[0]!;
    expect(data.bars[0]).toMatchObject({ id: best.id, value: best.upvotes });
    for (const b of data.bars) expect([...b.label].length).toBeLessThanOrEqual(CHART_LABEL_MAX);
  });

  it('counts only papers featured in the week, once each; ties go by id; no upvotes counts as 0', () => {
    const papers = [
      paper('2608.00003', 5, ['2026-08-17']),
      paper('2608.00002', 5, ['2026-08-23', '2026-08-24']),
      paper('2608.00001', null, ['2026-08-20']),
      paper('2608.00009', 99, ['2026-08-16']), // the Sunday before
      paper('2608.00008', 99, ['2026-08-24']), // the Monday after
      paper('2608.00003', 5, ['2026-08-17']), // the same paper twice
    ];
    const data = weekChartData(papers, w34);
    expect(data.bars.map((b) => [b.id, b.value])).toEqual([['2608.00002', 5], ['2608.00003', 5], ['2608.00001', 0]]);
    expect(data.featured).toBe(3);
    expect(data.subtitle).toBe('17–23 Aug 2026 · all 3 featured papers, by upvotes');
    expect(weekChartData(papers.slice(0, 1), w34).subtitle).toMatch(/the 1 featured paper,/);
    expect(weekChartData(papers, w34, 2).subtitle).toMatch(/top 2 of 3 featured papers/);
  });

  it('a week with no papers has no bars', () => {
    const data = weekChartData([paper('2608.00001', 3, ['2026-08-10'])], w34);
    expect(data.bars).toEqual([]);
    expect(data.subtitle).toBe('17–23 Aug 2026 · no papers featured');
  });

  it('labels are cleaned and cut at a word', () => {
    expect(chartLabel('A\u202e\u200b Title\u0007 with\n\tbreaks')).toBe('A Title with breaks');
    expect(chartLabel('$\\mathbf{X}$-Former: <i>fast</i> attention')).toBe('X-Former: fast attention');
    const long = chartLabel('Scaling '.repeat(40));
    expect([...long].length).toBeLessThanOrEqual(CHART_LABEL_MAX);
    expect(long).toMatch(/Scaling…$/);
    expect(chartLabel('x'.repeat(1_000_000)).length).toBeLessThanOrEqual(CHART_LABEL_MAX);
  });
});

describe('the week spec', () => {
  it('is horizontal bars of the upvotes, ranks and titles as text, value labels, on the dark card', () => {
    const data = weekChartData([paper('2608.00001', 12, ['2026-08-18'], 'One'), paper('2608.00002', 7, ['2026-08-19'], 'Two')], parseIsoWeek('2026-W34'));
    const spec = weekSpec(data, 40) as unknown as { background: string; width: number; height: number; data: { values: { label: string; valueText: string }[] }; layer: { mark: { type: string }; encoding: Record<string, { field?: string }> }[] };
    expect(spec.background).toBe('#1e1f22');
    expect([spec.width, spec.height]).toEqual([552, 50]);
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['bar', 'text', 'text', 'text']);
    expect(spec.layer[0]!.encoding['x']!.field).toBe('value');
    expect(spec.layer[0]!.encoding['y']!.field).toBe('rank');
    expect(spec.data.values.map((v) => [v.label, v.valueText])).toEqual([['One', '▲ 12'], ['Two', '▲ 7']]);
  });
});
