/**
 * Trending by momentum on real days from the fixture (test/fixtures/hf-daily) with a
 * synthetic refresh history: the rate itself, the digest service ranking by the
 * subscription's order (daily and weekly), and the determinism a retried digest needs.
 */
import { describe, expect, it } from 'vitest';
import { DigestService, type DigestTarget } from '../../src/core/digest/digest-service.js';
import { loadMomentum, momentumMap, momentumOf } from '../../src/core/digest/momentum-rate.js';
import { rankForDigest } from '../../src/core/digest/rank.js';
import { LAST_INGEST_KEY } from '../../src/core/ingest-papers.js';
import type { UpvoteSample } from '../../src/core/momentum.js';
import type { Paper } from '../../src/core/paper.js';
import type { PaperIndex } from '../../src/core/ports.js';
import { describeSettings, DEFAULT_SETTINGS, parseOrder } from '../../src/core/subscription.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { loadDay, paper } from './helpers.js';

const DAY = '2026-08-17';
const NOW = new Date(`${DAY}T12:00:00.000Z`);
const at = (hour: number, day = DAY): string => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const s = (paperId: string, observedAt: string, upvotes: number): UpvoteSample => ({ paperId, observedAt, upvotes });

/** The real list of Mon 17 Aug 2026: 2608.14391 leads with 52 upvotes, 2608.13606 has 16. */
const day = loadDay(DAY);
const BIG = '2608.14391';
const RISING = '2608.13606';
const byId = (id: string): Paper => day.find((p) => p.id === id)!;

/**
 * The refreshes of that day: the leader got its votes in the small hours and has stalled
 * since; 2608.13606 was first seen at 08:00 with 2 and is still climbing fast.
 */
const HISTORY: UpvoteSample[] = [
  s(BIG, at(1), 40), s(BIG, at(3), 50), s(BIG, at(6), 52),
  s(RISING, at(8), 2), s(RISING, at(10), 9), s(RISING, at(11), 16),
];

describe('momentumOf', () => {
  it('is the gain per hour since the paper was first seen, counts holding between samples (written on change only)', () => {
    // 52 − 40 over the 11 hours since 01:00.
    expect(momentumOf(byId(BIG), HISTORY.filter((x) => x.paperId === BIG), NOW)).toBeCloseTo(12 / 11, 9);
    // 16 − 2 over the 4 hours since 08:00.
    expect(momentumOf(byId(RISING), HISTORY.filter((x) => x.paperId === RISING), NOW)).toBeCloseTo(14 / 4, 9);
  });

  it('measures over the last 24 hours, from the count the window opened with', () => {
    const p = paper({ id: 'x', upvotes: 130, featuredDates: ['2026-08-14'] });
    const samples = [s('x', at(2, '2026-08-14'), 10), s('x', at(6, '2026-08-15'), 100), s('x', at(6, '2026-08-17'), 130)];
    // The window opens Sun 16 Aug 12:00 with 100 (the Saturday sample still holds).
    expect(momentumOf(p, samples, NOW)).toBeCloseTo(30 / 24, 9);
    // A week's window goes back to the first sample.
    expect(momentumOf(p, samples, NOW, 7 * 24 * 3600_000)).toBeCloseTo(120 / 82, 9);
    // A paper that stopped gaining more than a day ago has no momentum left.
    expect(momentumOf(p, samples.slice(0, 2), NOW)).toBe(0);
  });

  it('without an hour of history: upvotes per hour since the featured day began, at least one hour', () => {
    const p = paper({ id: 'y', upvotes: 24, featuredDates: ['2026-08-10', DAY] });
    expect(momentumOf(p, [], NOW)).toBe(2); // 24 over the 12 hours since Monday 00:00
    expect(momentumOf(p, [s('y', at(11).replace(':00:00', ':30:00'), 24)], NOW)).toBe(2); // seen 30 minutes ago: too little history
    expect(momentumOf(p, [], new Date(`${DAY}T00:10:00.000Z`))).toBe(24); // floored at one hour
    expect(momentumOf(paper({ id: 'z', upvotes: null }), [], NOW)).toBe(0);
  });

  it('ignores samples after the instant it is measured at', () => {
    const early = momentumOf(byId(RISING), HISTORY.filter((x) => x.paperId === RISING), new Date(at(10)));
    expect(early).toBeCloseTo(7 / 2, 9);
  });
});

describe('ranking a real day by momentum', () => {
  const momentum = momentumMap(day, HISTORY, NOW);

  it('puts the fast riser above the big stalled paper, and upvotes keep the old order', () => {
    const trending = rankForDigest(day, momentum).map((p) => p.id);
    const upvotes = rankForDigest(day).map((p) => p.id);
    expect(upvotes[0]).toBe(BIG);
    expect(upvotes.indexOf(RISING)).toBeGreaterThan(upvotes.indexOf(BIG));
    expect(trending[0]).toBe(RISING);
    expect(trending.indexOf(RISING)).toBeLessThan(trending.indexOf(BIG));
    // Papers with no history rank by upvotes per hour since midnight: 26 / 12 h beats the stalled leader's 12 / 11 h.
    expect(trending.indexOf('2608.14290')).toBeLessThan(trending.indexOf(BIG));
  });

  it('is deterministic: the same facts in any order give the same ranking, ties broken like the upvotes order', () => {
    const once = rankForDigest(day, momentum).map((p) => p.id);
    const shuffled = [...day].reverse();
    expect(rankForDigest(shuffled, momentumMap(shuffled, [...HISTORY].reverse(), NOW)).map((p) => p.id)).toEqual(once);
    // 2608.14290 and 2608.13417 both have 26 upvotes and no history: equal momentum, compareForDigest decides.
    const tied: string[] = once.filter((id) => id === '2608.14290' || id === '2608.13417');
    expect(tied).toEqual(rankForDigest(day.filter((p) => tied.includes(p.id))).map((p) => p.id));
  });
});

const noIndex = { search: async () => ({ hits: [], total: 0 }) } as unknown as PaperIndex;

async function storeWith(papers: Paper[], history: UpvoteSample[], lastIngest?: string): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.upsertPapers(papers);
  await store.upvotes.record(history);
  if (lastIngest) await store.setMeta(LAST_INGEST_KEY, lastIngest);
  return store;
}

const target = (over: Partial<DigestTarget> = {}): DigestTarget => ({
  platform: 'console', workspaceId: 'w', channelId: 'c', timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, ...over,
});

const planned = async (svc: DigestService, t: DigestTarget): Promise<string[]> => {
  const plan = await svc.plan(t, 'now');
  if ('skip' in plan) throw new Error(plan.skip);
  return plan.digest.papers.map((p) => p.id);
};

describe('the digest ranks by the subscription’s order', () => {
  it('daily: trending puts the riser first, upvotes the leader', async () => {
    const store = await storeWith(day, HISTORY);
    const svc = new DigestService({ store, index: noIndex, clock: { now: () => NOW }, log: silentLogger() });
    const trending = await planned(svc, target({ order: 'trending' }));
    expect(trending[0]).toBe(RISING);
    expect(trending).not.toContain(BIG);
    expect(await planned(svc, target())).toEqual(trending); // trending is the default
    expect(await planned(svc, target({ order: 'upvotes' }))).toEqual(rankForDigest(day).slice(0, 3).map((p) => p.id));
  });

  it('weekly: over the week’s papers, by the week’s momentum', async () => {
    const week = [...day, ...loadDay('2026-08-14')];
    const store = await storeWith(week, HISTORY);
    const svc = new DigestService({ store, index: noIndex, clock: { now: () => NOW }, log: silentLogger() });
    const byUpvotes = await planned(svc, target({ every: 'week', order: 'upvotes' }));
    expect(byUpvotes[0]).toBe('2608.13489'); // Friday's 61 upvotes
    const trending = await planned(svc, target({ every: 'week', order: 'trending' }));
    // Friday's papers have had three days to gather theirs; Monday's riser gains fastest.
    expect(trending[0]).toBe(RISING);
    expect(trending).not.toEqual(byUpvotes);
  });

  it('is measured at the last ingest, so a retried plan picks the same papers whenever it runs', async () => {
    const store = await storeWith(day, HISTORY, at(11, DAY).replace(':00:00', ':30:00'));
    let now = NOW;
    const svc = new DigestService({ store, index: noIndex, clock: { now: () => now }, log: silentLogger() });
    const first = await planned(svc, target());
    now = new Date(at(18));
    expect(await planned(svc, target())).toEqual(first);
    const m1 = await loadMomentum(store, { now: () => NOW }, day, 'trending');
    const m2 = await loadMomentum(store, { now: () => new Date(at(18)) }, day, 'trending');
    expect(m2).toEqual(m1);
    expect(await loadMomentum(store, { now: () => NOW }, day, 'upvotes')).toBeNull();
  });
});

describe('the order setting', () => {
  it('reads trending or upvotes in any case, and refuses anything else in one short line', () => {
    expect(DEFAULT_SETTINGS.order).toBe('trending');
    expect(parseOrder(' Upvotes ')).toBe('upvotes');
    expect(parseOrder('TRENDING')).toBe('trending');
    expect(() => parseOrder('random')).toThrow('"random" is not an order: use --order trending (momentum) or --order upvotes.');
  });

  it('is named in the settings line when it is not the default', () => {
    expect(describeSettings(DEFAULT_SETTINGS)).toBe('09:00 UTC, Mon–Fri, top 5');
    expect(describeSettings({ ...DEFAULT_SETTINGS, order: 'upvotes' })).toBe('09:00 UTC, Mon–Fri, top 5, ordered by upvotes');
  });
});
