import { describe, expect, it } from 'vitest';
import { chooseDigestDay, composeDigest, digestedDays, type ChooseDayInput } from '../../src/core/digest/compose.js';
import { rankForDigest } from '../../src/core/digest/rank.js';
import { dayThemes } from '../../src/core/digest/themes.js';
import { formatDay } from '../../src/core/dates.js';
import type { PostedEntry } from '../../src/core/ports.js';
import { allDays, loadDay, paper } from './helpers.js';

/** The real calendar of Daily Papers: weekdays only, with holidays and an archive gap. */
const REAL_DAYS_DESC = allDays().reverse();

function choose(over: Partial<ChooseDayInput> & Pick<ChooseDayInput, 'localToday'>) {
  return chooseDigestDay({
    mode: 'scheduled',
    featuredDaysDesc: REAL_DAYS_DESC,
    digestedDays: new Set(),
    hasUnseen: () => true,
    ...over,
  });
}

describe('chooseDigestDay, scheduled', () => {
  it('takes today on a weekday once its list exists (Fri 2026-08-21)', () => {
    expect(choose({ localToday: '2026-08-21', digestedDays: new Set(['2026-08-20']) })).toEqual({ day: '2026-08-21' });
  });

  it('takes the previous day when today has no list yet and yesterday was not posted', () => {
    const featured = REAL_DAYS_DESC.filter((d) => d < '2026-08-21');
    expect(choose({ localToday: '2026-08-21', featuredDaysDesc: featured })).toEqual({ day: '2026-08-20' });
  });

  it('does not repeat yesterday when today has no list yet', () => {
    const featured = REAL_DAYS_DESC.filter((d) => d < '2026-08-21');
    expect(choose({ localToday: '2026-08-21', featuredDaysDesc: featured, digestedDays: new Set(['2026-08-20']) })).toEqual({
      skip: 'nothing new: 2026-08-20 already posted',
    });
  });

  it('posts nothing on Saturday after Friday was posted', () => {
    expect(choose({ localToday: '2026-08-22', digestedDays: new Set(['2026-08-21']) })).toEqual({
      skip: 'nothing new: 2026-08-21 already posted',
    });
  });

  it("posts Friday's list on Saturday for a channel that did not get it on Friday", () => {
    expect(choose({ localToday: '2026-08-22' })).toEqual({ day: '2026-08-21' });
  });

  it('skips a holiday without a list (Fri 2025-11-14) when Thursday was posted', () => {
    expect(REAL_DAYS_DESC).not.toContain('2025-11-14');
    expect(choose({ localToday: '2025-11-14', digestedDays: new Set(['2025-11-13']) })).toEqual({
      skip: 'nothing new: 2025-11-13 already posted',
    });
  });

  it('looks back at most lookbackDays (the December 2024 gap)', () => {
    expect(choose({ localToday: '2024-12-20' })).toEqual({ skip: 'no papers featured since 2024-12-16' });
    expect(choose({ localToday: '2024-12-14' })).toEqual({ day: '2024-12-10' });
    expect(choose({ localToday: '2024-12-20', lookbackDays: 10 })).toEqual({ day: '2024-12-10' });
  });

  it('skips a day with nothing unseen that qualifies, naming the filters', () => {
    expect(choose({ localToday: '2026-08-21', hasUnseen: () => false, filterNote: ' matching “mamba”' })).toEqual({
      skip: 'nothing new: no unseen papers matching “mamba” on 2026-08-21',
    });
  });

  it('leaves late additions to an already digested day for `now`', () => {
    const input = { localToday: '2026-08-21', digestedDays: new Set(['2026-08-21']), hasUnseen: (d: string) => d === '2026-08-21' };
    expect(choose(input)).toEqual({ skip: 'nothing new: 2026-08-21 already posted' });
    expect(choose({ ...input, mode: 'now' })).toEqual({ day: '2026-08-21' });
  });

  it('ignores featured days after the local today (a channel west of UTC)', () => {
    expect(choose({ localToday: '2026-08-20' })).toEqual({ day: '2026-08-20' });
  });

  it('skips when nothing was ever featured', () => {
    expect(choose({ localToday: '2026-08-21', featuredDaysDesc: [] })).toEqual({ skip: 'no papers featured since 2026-08-17' });
  });
});

describe('chooseDigestDay, now', () => {
  it('takes the newest day with unseen papers, leftovers of digested days included', () => {
    const unseen = new Set(['2026-08-19']);
    expect(
      choose({ mode: 'now', localToday: '2026-08-22', digestedDays: new Set(['2026-08-19', '2026-08-20', '2026-08-21']), hasUnseen: (d) => unseen.has(d) }),
    ).toEqual({ day: '2026-08-19' });
  });

  it('has no lookback limit', () => {
    expect(choose({ mode: 'now', localToday: '2024-12-20' })).toEqual({ day: '2024-12-10' });
  });

  it('says so when everything was posted', () => {
    expect(choose({ mode: 'now', localToday: '2026-08-22', featuredDaysDesc: ['2026-08-21', '2026-08-20'], hasUnseen: () => false })).toEqual({
      skip: 'nothing new: every paper featured from 2026-08-20 to 2026-08-21 was already posted here',
    });
    expect(choose({ mode: 'now', localToday: '2026-08-22', featuredDaysDesc: [] })).toEqual({ skip: 'no papers featured yet' });
  });
});

describe('composeDigest', () => {
  const day = '2026-08-21';
  const papers = loadDay(day);
  const settings = { topN: 5, minUpvotes: 0, topic: null };
  const none = new Set<string>();

  it('ranks the day and keeps the top N, with a dated title and the day’s themes', () => {
    const d = composeDigest({ day, candidates: papers, settings, alreadyPosted: none, topicMatches: null })!;
    expect(d.papers.map((p) => p.id)).toEqual(rankForDigest(papers).slice(0, 5).map((p) => p.id));
    expect(d.title).toBe(`Trending papers · ${formatDay(day)}`);
    expect(d.themes).toEqual(dayThemes(papers));
    expect(d.themesLine).toBe('Themes: agents and reinforcement learning');
  });

  it('leaves out papers below minUpvotes', () => {
    const d = composeDigest({ day, candidates: papers, settings: { ...settings, topN: 10, minUpvotes: 20 }, alreadyPosted: none, topicMatches: null })!;
    expect(d.papers.length).toBe(papers.filter((p) => (p.upvotes ?? 0) >= 20).length);
    expect(d.papers.every((p) => p.upvotes! >= 20)).toBe(true);
  });

  it('leaves out papers already posted to the channel', () => {
    const top = rankForDigest(papers);
    const posted = new Set([top[0]!.id, top[2]!.id]);
    const d = composeDigest({ day, candidates: papers, settings: { ...settings, topN: 3 }, alreadyPosted: posted, topicMatches: null })!;
    expect(d.papers.map((p) => p.id)).toEqual([top[1]!.id, top[3]!.id, top[4]!.id]);
  });

  it('keeps only topic matches when a topic is set, and names the topic', () => {
    const matches = new Set(papers.filter((p) => /agent/i.test(p.title)).map((p) => p.id));
    const d = composeDigest({ day, candidates: papers, settings: { ...settings, topN: 10, topic: 'agents' }, alreadyPosted: none, topicMatches: matches })!;
    expect(d.papers.length).toBe(matches.size);
    expect(d.papers.every((p) => matches.has(p.id))).toBe(true);
    expect(d.title).toBe(`Trending papers on “agents” · ${formatDay(day)}`);
  });

  it('ignores candidates featured on other days', () => {
    const other = paper({ id: '2608.99999', upvotes: 999, featuredDates: ['2026-08-20'] });
    const d = composeDigest({ day, candidates: [...papers, other], settings, alreadyPosted: none, topicMatches: null })!;
    expect(d.papers.map((p) => p.id)).not.toContain(other.id);
  });

  it('returns null when nothing qualifies', () => {
    expect(composeDigest({ day, candidates: papers, settings: { ...settings, minUpvotes: 10_000 }, alreadyPosted: none, topicMatches: null })).toBeNull();
    expect(composeDigest({ day, candidates: papers, settings: { ...settings, topic: 'x' }, alreadyPosted: none, topicMatches: new Set() })).toBeNull();
    expect(composeDigest({ day: '2026-08-22', candidates: papers, settings, alreadyPosted: none, topicMatches: null })).toBeNull();
  });
});

describe('digestedDays', () => {
  const ref = { platform: 'discord' as const, workspaceId: 'g', channelId: 'c' };
  const entry = (day: string, kind: 'header' | 'paper', paperId: string | null): PostedEntry => ({
    ...ref, date: day, kind, paperId, messageId: `m-${day}-${paperId}`, postedAt: `${day}T09:00:00.000Z`,
  });

  it('counts a day with a posted header as digested, whatever its papers', () => {
    const logs = new Map([
      ['2026-08-21', [entry('2026-08-21', 'header', null), entry('2026-08-21', 'paper', 'a')]],
      ['2026-08-20', [entry('2026-08-20', 'paper', 'b')]], // leftovers posted by `now`, no header
      ['2026-08-19', []],
    ]);
    expect(digestedDays(logs)).toEqual(new Set(['2026-08-21']));
  });
});
