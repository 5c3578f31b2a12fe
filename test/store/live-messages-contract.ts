/**
 * The LiveMessageLog part of the Store contract (posted paper messages whose counts are
 * kept current, `store.deliveries`); run by storeContract against every store.
 */
import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/core/live-messages.js';
import type { Store } from '../../src/core/ports.js';
import { toPaperView } from '../../src/core/views.js';
import { makePaper } from '../support/papers.js';

const CH = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' } as const;

export function liveMessage(messageId: string, over: Partial<LiveMessage> = {}, paperId = `2603.0000${messageId.slice(-1)}`): LiveMessage {
  const paper = toPaperView(makePaper({ id: paperId, title: `Paper “${messageId}”\u0000`, upvotes: 10, comments: 2 }), { rank: 1 });
  return {
    ...CH,
    messageId,
    paperId,
    message: { kind: 'digestPaper', date: '2026-03-02', paper, position: 1, of: 3 },
    idempotencyKey: `discord:c1:2026-03-02:${paperId}`,
    postedAt: '2026-03-02T09:00:00.000Z',
    shown: { upvotes: 10, comments: 2 },
    ...over,
  };
}

export function liveMessagesContract(store: () => Store): void {
  describe('live counts: watched paper messages', () => {
    it('keeps the first watch of a message, with the message whole, and lists by platform and posting time, oldest first', async () => {
      const s = store();
      await s.deliveries.watch(liveMessage('m2', { postedAt: '2026-03-02T10:00:00.000Z' }));
      await s.deliveries.watch(liveMessage('m1'));
      await s.deliveries.watch(liveMessage('m1', { shown: { upvotes: 99, comments: 9 } }));
      await s.deliveries.watch(liveMessage('m3', { postedAt: '2026-02-27T09:00:00.000Z' }));
      await s.deliveries.watch(liveMessage('m4', { platform: 'slack', workspaceId: 'T1', channelId: 'C1' }));
      const got = await s.deliveries.watched({ platform: 'discord', postedSince: '2026-03-01T00:00:00.000Z' });
      expect(got.map((m) => m.messageId)).toEqual(['m1', 'm2']);
      expect(got[0]!.shown).toEqual({ upvotes: 10, comments: 2 });
      const want = liveMessage('m1');
      expect(got[0]!.message.paper.title).toMatch(/^Paper “m1”\u0000?$/);
      expect({ ...got[0]!.message, paper: { ...got[0]!.message.paper, title: '' } }).toEqual({ ...want.message, paper: { ...want.message.paper, title: '' } });
      const page = (limit: number, offset: number) => s.deliveries.watched({ platform: 'discord', postedSince: '2026-03-01T00:00:00.000Z', limit, offset }).then((l) => l.map((m) => m.messageId));
      expect(await page(1, 0)).toEqual(['m1']);
      expect(await page(1, 1)).toEqual(['m2']);
      expect(await page(5, 2)).toEqual([]);
      expect(await s.deliveries.watchedPlatforms('2026-03-01T00:00:00.000Z')).toEqual(['discord', 'slack']);
      expect(await s.deliveries.watchedPlatforms('2026-03-02T09:30:00.000Z')).toEqual(['discord']);
    });

    it('records the counts shown, stops watching one message, and prunes those posted before a time', async () => {
      const s = store();
      await s.deliveries.watch(liveMessage('m1', { shown: { upvotes: null, comments: null } }));
      await s.deliveries.watch(liveMessage('m2', { postedAt: '2026-03-03T09:00:00.000Z' }));
      await s.deliveries.watch(liveMessage('m3', { postedAt: '2026-03-03T10:00:00.000Z' }));
      expect((await s.deliveries.watched({ platform: 'discord', postedSince: '' }))[0]!.shown).toEqual({ upvotes: null, comments: null });
      await s.deliveries.setShown(CH, 'm1', { upvotes: 12, comments: 3 });
      await s.deliveries.setShown({ ...CH, channelId: 'other' }, 'm1', { upvotes: 500, comments: 500 });
      expect((await s.deliveries.watched({ platform: 'discord', postedSince: '' }))[0]!.shown).toEqual({ upvotes: 12, comments: 3 });
      await s.deliveries.unwatch(CH, 'm3');
      expect(await s.deliveries.pruneWatched('2026-03-03T00:00:00.000Z')).toBe(1);
      expect((await s.deliveries.watched({ platform: 'discord', postedSince: '' })).map((m) => m.messageId)).toEqual(['m2']);
    });

    it("forgetting a person stops watching their inbox's messages only", async () => {
      const s = store();
      await s.deliveries.watch(liveMessage('m1', { channelId: 'dm:u1', workspaceId: '@me' }));
      await s.deliveries.watch(liveMessage('m2'));
      await s.people.forget('discord', 'u1');
      expect((await s.deliveries.watched({ platform: 'discord', postedSince: '' })).map((m) => m.messageId)).toEqual(['m2']);
    });
  });
}
