import { describe, expect, it } from 'vitest';
import { rankForDigest } from '../../src/core/digest/rank.js';
import { loadDay, paper } from './helpers.js';

const ids = (ps: { id: string }[]): string[] => ps.map((p) => p.id);

describe('rankForDigest', () => {
  it('orders by upvotes, null counting as 0', () => {
    const ranked = rankForDigest([paper({ id: 'a', upvotes: 3 }), paper({ id: 'b', upvotes: null }), paper({ id: 'c', upvotes: 40 })]);
    expect(ids(ranked)).toEqual(['c', 'a', 'b']);
  });

  it('breaks upvote ties by comments, then newer arXiv date, then id', () => {
    const ranked = rankForDigest([
      paper({ id: '2608.00001', upvotes: 5, comments: 0, publishedAt: '2026-08-19' }),
      paper({ id: '2608.00002', upvotes: 5, comments: 2, publishedAt: '2026-08-01' }),
      paper({ id: '2608.00003', upvotes: 5, comments: 0, publishedAt: '2026-08-20' }),
      paper({ id: '2608.00004', upvotes: 5, comments: 0, publishedAt: '2026-08-20' }),
      paper({ id: '2608.00005', upvotes: 5, comments: null, publishedAt: null }),
    ]);
    expect(ids(ranked)).toEqual(['2608.00002', '2608.00004', '2608.00003', '2608.00001', '2608.00005']);
  });

  it('is deterministic whatever the input order, and leaves the input alone', () => {
    const day = loadDay('2026-08-21');
    const shuffled = [...day].reverse();
    expect(ids(rankForDigest(shuffled))).toEqual(ids(rankForDigest(day)));
    expect(ids(shuffled)).toEqual(ids([...day].reverse()));
    const ranked = rankForDigest(day);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.upvotes!).toBeGreaterThanOrEqual(ranked[i]!.upvotes!);
  });
});
