/**
 * The UpvoteHistory part of the Store contract (samples for the trending order) and the
 * subscription's digest order; run by storeContract against every store.
 */
import { describe, expect, it } from 'vitest';
import type { UpvoteSample } from '../../src/core/momentum.js';
import type { Store, Subscription } from '../../src/core/ports.js';

export interface UpvotesHarness {
  store(): Store;
  /** Closes the store and opens the same storage again (persistent stores only). */
  reopen?: () => Promise<Store>;
}

const at = (hour: number, day = '2026-08-21'): string => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const sample = (paperId: string, observedAt: string, upvotes: number): UpvoteSample => ({ paperId, observedAt, upvotes });

function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    platform: 'discord', workspaceId: 'g1', channelId: 'order-1', hour: 9, minute: 0, timezone: 'UTC', weekdays: [1, 2, 3, 4, 5], every: 'day',
    topN: 5, minUpvotes: 0, topic: null, order: 'trending', paused: false, pausedReason: null, createdBy: 'u1',
    createdAt: at(8), updatedAt: at(8), ...over,
  };
}

export function upvotesContract(h: UpvotesHarness): void {
  describe('upvote history', () => {
    it('records samples once per paper and instant, and returns them by paper id then time', async () => {
      const u = h.store().upvotes;
      expect(await u.record([sample('2608.2', at(3), 5), sample('2608.1', at(1), 1), sample('2608.1', at(2), 4)])).toBe(3);
      // A repeat (the same refresh written twice) is ignored, the first count kept.
      expect(await u.record([sample('2608.1', at(2), 99), sample('2608.1', at(4), 6)])).toBe(1);
      expect(await u.record([])).toBe(0);
      expect(await u.history(['2608.2', '2608.1', 'unknown'], at(0))).toEqual([
        sample('2608.1', at(1), 1), sample('2608.1', at(2), 4), sample('2608.1', at(4), 6), sample('2608.2', at(3), 5),
      ]);
      expect(await u.history([], at(0))).toEqual([]);
    });

    it('gives, besides the samples since the window opened, the last one before it: the count the window starts from', async () => {
      const u = h.store().upvotes;
      await u.record([
        sample('2608.1', at(1), 1), sample('2608.1', at(5), 10), sample('2608.1', at(12), 30),
        sample('2608.2', at(2), 7),
        sample('2608.3', at(11), 2),
      ]);
      expect(await u.history(['2608.1', '2608.2', '2608.3'], at(10))).toEqual([
        sample('2608.1', at(5), 10), sample('2608.1', at(12), 30), // 10 when the window opened at 10:00
        sample('2608.2', at(2), 7), // no change since 02:00: still 7
        sample('2608.3', at(11), 2), // first seen inside the window
      ]);
      // A sample at the very instant the window opens is in it (the one before still comes along).
      expect(await u.history(['2608.1'], at(5))).toEqual([sample('2608.1', at(1), 1), sample('2608.1', at(5), 10), sample('2608.1', at(12), 30)]);
    });

    it('answers for many papers at once', async () => {
      const u = h.store().upvotes;
      const ids = Array.from({ length: 1_200 }, (_, i) => `2608.${String(i).padStart(5, '0')}`);
      expect(await u.record(ids.map((id, i) => sample(id, at(1), i)))).toBe(ids.length);
      const got = await u.history([...ids].reverse(), at(0));
      expect(got.map((s) => s.paperId)).toEqual(ids);
      expect(got[1_199]).toEqual(sample(ids[1_199]!, at(1), 1_199));
    });

    it('prunes samples observed before an instant', async () => {
      const u = h.store().upvotes;
      await u.record([sample('2608.1', at(1, '2026-08-01'), 1), sample('2608.1', at(1), 3), sample('2608.2', at(1, '2026-08-02'), 2)]);
      expect(await u.prune(at(0, '2026-08-07'))).toBe(2);
      expect(await u.prune(at(0, '2026-08-07'))).toBe(0);
      expect(await u.history(['2608.1', '2608.2'], at(0, '2026-07-01'))).toEqual([sample('2608.1', at(1), 3)]);
    });

    if (h.reopen) it('keeps samples and the digest order across a reopen', async () => {
      await h.store().upvotes.record([sample('2608.1', at(1), 1)]);
      await h.store().saveSubscription(subscription({ order: 'upvotes' }));
      const again = await h.reopen!();
      expect(await again.upvotes.history(['2608.1'], at(0))).toEqual([sample('2608.1', at(1), 1)]);
      expect((await again.getSubscription(subscription()))?.order).toBe('upvotes');
    });
  });

  describe('subscription digest order', () => {
    it('stores the order and changes it on save', async () => {
      const s = h.store();
      expect((await s.saveSubscription(subscription())).order).toBe('trending');
      expect((await s.saveSubscription(subscription({ order: 'upvotes', updatedAt: at(9) }))).order).toBe('upvotes');
      expect((await s.getSubscription(subscription()))?.order).toBe('upvotes');
      expect((await s.listSubscriptions()).find((x) => x.channelId === 'order-1')?.order).toBe('upvotes');
    });
  });
}
