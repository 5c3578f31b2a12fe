/**
 * The Store port's contract: every implementation runs this same suite (see
 * sqlite.test.ts, memory.test.ts). A behaviour the bot relies on belongs here, not in
 * an implementation's own tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryLogContract } from './delivery-contract.js';
import { liveMessagesContract } from './live-messages-contract.js';
import { peopleContract } from './people-contract.js';
import { upvotesContract } from './upvotes-contract.js';
import type { Paper } from '../../src/core/paper.js';
import type { Bookmark, ChannelRef, PostedEntry, Store, Subscription } from '../../src/core/ports.js';
import { makePaper } from '../support/papers.js';

export interface StoreHarness {
  store: Store;
  /** Opens the same storage again; called after `store` was closed. Required for persistent stores. */
  reopen?: () => Promise<Store>;
  cleanup?: () => Promise<void>;
}

const CHANNEL: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' };
const OTHER_CHANNEL: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c2' };

function makeSubscription(ref: ChannelRef, over: Partial<Subscription> = {}): Subscription {
  return {
    ...ref,
    hour: 9,
    minute: 30,
    timezone: 'Europe/Paris',
    weekdays: [1, 2, 3, 4, 5],
    every: 'day',
    topN: 5,
    minUpvotes: 0,
    topic: null,
    order: 'trending',
    paused: false,
    pausedReason: null,
    createdBy: 'u1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

function posted(over: Partial<PostedEntry> & Pick<PostedEntry, 'messageId'>): PostedEntry {
  return { ...CHANNEL, date: '2025-03-03', kind: 'paper', paperId: '2503.00001', postedAt: '2026-01-01T09:00:00.000Z', ...over };
}

const ids = (papers: readonly Paper[]): string[] => papers.map((p) => p.id);

/**
 * `persistent` stores also promise that everything survives a close and reopen; a
 * volatile one (MemoryStore) does not get that test registered at all.
 */
export function storeContract(name: string, open: () => Promise<StoreHarness>, opts: { persistent: boolean }): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      await store.close();
      await harness.cleanup?.();
    });

    describe('papers', () => {
      it('inserts new papers and returns them exactly as given', async () => {
        const a = makePaper({ id: '2503.00001', keywords: ['LLM'], githubRepo: 'https://github.com/a/b', categories: ['cs.CL'] });
        const b = makePaper({ id: '2503.00002', upvotes: null, comments: null, featuredDates: [], sources: ['arxiv'] });
        const res = await store.upsertPapers([a, b]);
        expect(res).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
        expect(await store.getPaper(a.id)).toEqual(a);
        expect(await store.getPaper(b.id)).toEqual(b);
        expect(await store.getPaper('9999.99999')).toBeNull();
        expect(await store.countPapers()).toBe(2);
      });

      it('keeps the thumbnail: stored, filled in by a later record, never erased by one without', async () => {
        const thumb = 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2503.00001.png';
        await store.upsertPapers([makePaper({ id: '2503.00001' }), makePaper({ id: '2503.00002', thumbnail: thumb })]);
        expect((await store.getPaper('2503.00002'))?.thumbnail).toBe(thumb);
        expect((await store.getPaper('2503.00001'))?.thumbnail).toBeNull();
        expect(await store.upsertPapers([makePaper({ id: '2503.00001', thumbnail: thumb })])).toMatchObject({ updated: 1 });
        expect(await store.upsertPapers([makePaper({ id: '2503.00001' })])).toMatchObject({ unchanged: 1 });
        expect((await store.getPapers(['2503.00001', '2503.00002'])).map((p) => p.thumbnail)).toEqual([thumb, thumb]);
      });

      it('counts inserted, updated and unchanged in one batch', async () => {
        await store.upsertPapers([makePaper({ id: '1' }), makePaper({ id: '2' })]);
        const res = await store.upsertPapers([
          makePaper({ id: '1' }),
          makePaper({ id: '2', upvotes: 50 }),
          makePaper({ id: '3' }),
        ]);
        expect(res).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
      });

      it('merges duplicates within one batch into one record', async () => {
        const res = await store.upsertPapers([
          makePaper({ id: '1', featuredDates: ['2025-03-03'], upvotes: 5 }),
          makePaper({ id: '1', featuredDates: ['2025-03-04'], upvotes: 7 }),
        ]);
        expect(res).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
        expect(await store.getPaper('1')).toMatchObject({ featuredDates: ['2025-03-03', '2025-03-04'], upvotes: 7 });
      });

      it('re-importing the same batch changes nothing and keeps the revision', async () => {
        const batch = [makePaper({ id: '1' }), makePaper({ id: '2', featuredDates: ['2025-03-03', '2025-03-05'] })];
        const first = await store.upsertPapers(batch);
        expect(first.revision).toBeGreaterThan(0);
        const again = await store.upsertPapers(batch);
        expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 2, revision: first.revision });
        expect(await store.revision()).toBe(first.revision);
      });

      it('an empty batch is a no-op', async () => {
        const before = await store.revision();
        expect(await store.upsertPapers([])).toEqual({ inserted: 0, updated: 0, unchanged: 0, revision: before });
      });

      it('an upvote-only refresh updates the paper but not the revision', async () => {
        const { revision } = await store.upsertPapers([makePaper({ id: '1', upvotes: 3, comments: 1 })]);
        const res = await store.upsertPapers([makePaper({ id: '1', upvotes: 40, comments: 2, githubStars: 9 })]);
        expect(res).toEqual({ inserted: 0, updated: 1, unchanged: 0, revision });
        expect(await store.getPaper('1')).toMatchObject({ upvotes: 40, comments: 2, githubStars: 9 });
      });

      it('keeps the highest counts seen (an older snapshot does not roll them back)', async () => {
        await store.upsertPapers([makePaper({ id: '1', upvotes: 40 })]);
        expect(await store.upsertPapers([makePaper({ id: '1', upvotes: 3 })])).toMatchObject({ unchanged: 1 });
        expect((await store.getPaper('1'))?.upvotes).toBe(40);
      });

      it('a change of searchable text bumps the revision once per call', async () => {
        const { revision } = await store.upsertPapers([makePaper({ id: '1' }), makePaper({ id: '2' })]);
        const res = await store.upsertPapers([
          makePaper({ id: '1', title: 'A better title' }),
          makePaper({ id: '2', keywords: ['diffusion'] }),
        ]);
        expect(res).toMatchObject({ updated: 2, revision: revision + 1 });
        expect((await store.getPaper('1'))?.title).toBe('A better title');
        for (const change of [{ abstract: 'New abstract.' }, { authors: ['Grace Hopper'] }]) {
          const before = await store.revision();
          await store.upsertPapers([makePaper({ id: '1', title: 'A better title', keywords: [], ...change })]);
          expect(await store.revision()).toBe(before + 1);
        }
      });

      it('unions featured dates across upserts of the same paper on different days', async () => {
        await store.upsertPapers([makePaper({ id: '1', featuredDates: ['2025-03-04'] })]);
        const res = await store.upsertPapers([makePaper({ id: '1', featuredDates: ['2025-03-03'] })]);
        expect(res.updated).toBe(1);
        expect((await store.getPaper('1'))?.featuredDates).toEqual(['2025-03-03', '2025-03-04']);
      });

      it('getPapers keeps the order asked for and skips unknown ids', async () => {
        await store.upsertPapers(['1', '2', '3'].map((id) => makePaper({ id })));
        expect(ids(await store.getPapers(['3', 'nope', '1', '2']))).toEqual(['3', '1', '2']);
        expect(await store.getPapers([])).toEqual([]);
      });

      it('papersFeaturedBetween has inclusive bounds and lists each paper once', async () => {
        await store.upsertPapers([
          makePaper({ id: 'a', featuredDates: ['2025-03-02'] }),
          makePaper({ id: 'b', featuredDates: ['2025-03-03'] }),
          makePaper({ id: 'c', featuredDates: ['2025-03-04', '2025-03-05'] }),
          makePaper({ id: 'd', featuredDates: ['2025-03-06'] }),
          makePaper({ id: 'e', featuredDates: [] }),
        ]);
        expect(ids(await store.papersFeaturedBetween('2025-03-03', '2025-03-05')).sort()).toEqual(['b', 'c']);
        expect(ids(await store.papersFeaturedBetween('2025-03-06', '2025-03-06'))).toEqual(['d']);
        expect(await store.papersFeaturedBetween('2025-04-01', '2025-04-30')).toEqual([]);
        const [c] = await store.papersFeaturedBetween('2025-03-05', '2025-03-05');
        expect(c?.featuredDates).toEqual(['2025-03-04', '2025-03-05']);
      });

      it('featuredDays lists distinct days newest first, with onOrBefore and limit', async () => {
        await store.upsertPapers([
          makePaper({ id: 'a', featuredDates: ['2025-03-03', '2025-03-05'] }),
          makePaper({ id: 'b', featuredDates: ['2025-03-03'] }),
          makePaper({ id: 'c', featuredDates: ['2025-03-04'] }),
          makePaper({ id: 'd', featuredDates: [] }),
        ]);
        expect(await store.featuredDays()).toEqual(['2025-03-05', '2025-03-04', '2025-03-03']);
        expect(await store.featuredDays({ onOrBefore: '2025-03-04' })).toEqual(['2025-03-04', '2025-03-03']);
        expect(await store.featuredDays({ limit: 1 })).toEqual(['2025-03-05']);
        expect(await store.featuredDays({ onOrBefore: '2025-03-04', limit: 1 })).toEqual(['2025-03-04']);
        expect(await store.featuredDays({ onOrBefore: '2025-01-01' })).toEqual([]);
      });

      it('listPapers pages by id and covers every paper exactly once', async () => {
        const all = Array.from({ length: 23 }, (_, i) => makePaper({ id: `2503.${String(i * 7 % 23).padStart(5, '0')}` }));
        await store.upsertPapers(all);
        const seen: string[] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = await store.listPapers({ afterId, limit: 5 });
          if (!page.length) break;
          expect(page.length).toBeLessThanOrEqual(5);
          seen.push(...ids(page));
          afterId = page[page.length - 1]!.id;
        }
        expect(seen).toEqual(ids(all).sort());
      });

      it('a batch holding an invalid record is rejected whole and leaves the store unchanged', async () => {
        const original = makePaper({ id: '1', upvotes: 1 });
        await store.upsertPapers([original]);
        const statsBefore = await store.stats();
        const invalid: Paper[] = [
          makePaper({ id: '' }),
          { ...makePaper({ id: '9' }), title: 42 as unknown as string },
          makePaper({ id: '9', title: '   ' }),
          makePaper({ id: '9', featuredDates: ['03/03/2025'] }),
          makePaper({ id: '9', featuredDates: ['2025-03-04', '2025-03-03'] }),
        ];
        for (const bad of invalid) {
          // Valid records before and after the bad one: none of them may be kept.
          const batch = [makePaper({ id: '0', title: 'New' }), makePaper({ id: '1', upvotes: 99, title: 'Changed' }), bad, makePaper({ id: '2' })];
          await expect(store.upsertPapers(batch)).rejects.toThrow(Error);
          expect(await store.stats()).toEqual(statsBefore);
          expect(await store.getPaper('0')).toBeNull();
          expect(await store.getPaper('1')).toEqual(original);
        }
      });

      it('callers cannot change stored papers by mutating objects', async () => {
        const p = makePaper({ id: '1', authors: ['A'] });
        await store.upsertPapers([p]);
        p.authors.push('mutated input');
        const got = await store.getPaper('1');
        got!.authors.push('mutated output');
        got!.featuredDates.length = 0;
        expect(await store.getPaper('1')).toMatchObject({ authors: ['A'], featuredDates: ['2025-03-03'] });
      });

      it('stats counts papers, featured days and the rest', async () => {
        expect(await store.stats()).toEqual({
          papers: 0, featuredPapers: 0, featuredDays: 0, firstFeaturedDate: null, lastFeaturedDate: null,
          subscriptions: 0, bookmarks: 0, posted: 0, revision: 0,
        });
        const { revision } = await store.upsertPapers([
          makePaper({ id: 'a', featuredDates: ['2025-03-03', '2025-03-05'] }),
          makePaper({ id: 'b', featuredDates: ['2025-03-04'] }),
          makePaper({ id: 'c', featuredDates: [] }),
        ]);
        await store.saveSubscription(makeSubscription(CHANNEL, { paused: true }));
        await store.addBookmark({ platform: 'discord', userId: 'u', paperId: 'a', createdAt: '2026-01-01T00:00:00Z' });
        await store.recordPosted(posted({ messageId: 'm1', paperId: 'a' }));
        expect(await store.stats()).toEqual({
          papers: 3, featuredPapers: 2, featuredDays: 3, firstFeaturedDate: '2025-03-03', lastFeaturedDate: '2025-03-05',
          subscriptions: 1, bookmarks: 1, posted: 1, revision,
        });
      });
    });

    describe('subscriptions', () => {
      it('saves, reads and deletes one subscription per channel', async () => {
        const sub = makeSubscription(CHANNEL, { topic: 'diffusion', weekdays: [0, 6], minUpvotes: 5 });
        expect(await store.saveSubscription(sub)).toEqual(sub);
        expect(await store.getSubscription(CHANNEL)).toEqual(sub);
        expect(await store.getSubscription(OTHER_CHANNEL)).toBeNull();
        expect(await store.getSubscription({ ...CHANNEL, platform: 'slack' })).toBeNull();
        expect(await store.deleteSubscription(CHANNEL)).toBe(true);
        expect(await store.deleteSubscription(CHANNEL)).toBe(false);
        expect(await store.getSubscription(CHANNEL)).toBeNull();
      });

      it('keeps a ping (role or user group) and clears it again; none reads back as no field', async () => {
        const role = makeSubscription(CHANNEL, { ping: { kind: 'role', id: '900000000000000777', name: 'papers' } });
        expect(await store.saveSubscription(role)).toEqual(role);
        expect(await store.getSubscription(CHANNEL)).toEqual(role);
        const group = makeSubscription(OTHER_CHANNEL, { ping: { kind: 'usergroup', id: 'S0123ABC', name: 'ml-team' } });
        await store.saveSubscription(group);
        expect((await store.listSubscriptions()).map((s) => s.ping)).toEqual([role.ping, group.ping]);
        const cleared = await store.saveSubscription({ ...role, ping: null });
        expect(cleared.ping).toBeUndefined();
        expect((await store.getSubscription(CHANNEL))?.ping).toBeUndefined();
      });

      it('keeps thread mode on and turns it off again; off reads back as no field', async () => {
        const on = makeSubscription(CHANNEL, { threads: true });
        expect(await store.saveSubscription(on)).toEqual(on);
        expect((await store.getSubscription(CHANNEL))?.threads).toBe(true);
        const off = await store.saveSubscription({ ...on, threads: false });
        expect(off).not.toHaveProperty('threads');
        expect(await store.getSubscription(CHANNEL)).not.toHaveProperty('threads');
        expect(await store.saveSubscription(makeSubscription(OTHER_CHANNEL))).not.toHaveProperty('threads');
      });

      it('saving again replaces the settings but keeps who created it and when', async () => {
        await store.saveSubscription(makeSubscription(CHANNEL));
        const replaced = await store.saveSubscription(makeSubscription(CHANNEL, {
          hour: 17, topN: 3, createdBy: 'u2', createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z',
        }));
        expect(replaced).toMatchObject({ hour: 17, topN: 3, createdBy: 'u1', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' });
        expect(await store.getSubscription(CHANNEL)).toEqual(replaced);
        expect(await store.listSubscriptions({ includePaused: true })).toHaveLength(1);
      });

      it('lists by platform and leaves paused ones out unless asked', async () => {
        const slack: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
        await store.saveSubscription(makeSubscription(CHANNEL));
        await store.saveSubscription(makeSubscription(OTHER_CHANNEL, { paused: true, pausedReason: 'x' }));
        await store.saveSubscription(makeSubscription(slack));
        const keyOf = (s: Subscription) => `${s.platform}/${s.channelId}`;
        expect((await store.listSubscriptions()).map(keyOf)).toEqual(['discord/c1', 'slack/C1']);
        expect((await store.listSubscriptions({ includePaused: true })).map(keyOf)).toEqual(['discord/c1', 'discord/c2', 'slack/C1']);
        expect((await store.listSubscriptions({ platform: 'discord' })).map(keyOf)).toEqual(['discord/c1']);
        expect((await store.listSubscriptions({ platform: 'discord', includePaused: true })).map(keyOf)).toEqual(['discord/c1', 'discord/c2']);
        expect(await store.listSubscriptions({ platform: 'console' })).toEqual([]);
      });

      it('setPaused records the reason, and resuming clears it', async () => {
        await store.saveSubscription(makeSubscription(CHANNEL));
        expect(await store.setPaused(CHANNEL, true, 'channel deleted')).toBe(true);
        expect(await store.getSubscription(CHANNEL)).toMatchObject({ paused: true, pausedReason: 'channel deleted' });
        expect(await store.listSubscriptions()).toEqual([]);
        expect(await store.setPaused(CHANNEL, false, null)).toBe(true);
        expect(await store.getSubscription(CHANNEL)).toMatchObject({ paused: false, pausedReason: null });
        expect(await store.setPaused(OTHER_CHANNEL, true, 'x')).toBe(false);
      });
    });

    describe('bookmarks', () => {
      const bm = (paperId: string, createdAt: string, userId = 'u1'): Bookmark => ({ platform: 'discord', userId, paperId, createdAt });

      it('adds once, lists newest first per user, removes', async () => {
        expect(await store.addBookmark(bm('a', '2026-01-01T00:00:00.000Z'))).toBe(true);
        expect(await store.addBookmark(bm('a', '2026-01-05T00:00:00.000Z'))).toBe(false);
        await store.addBookmark(bm('b', '2026-01-03T00:00:00.000Z'));
        await store.addBookmark(bm('c', '2026-01-02T00:00:00.000Z'));
        await store.addBookmark(bm('z', '2026-01-09T00:00:00.000Z', 'u2'));
        await store.addBookmark({ ...bm('y', '2026-01-09T00:00:00.000Z'), platform: 'slack' });
        const list = await store.listBookmarks('discord', 'u1');
        expect(list.map((b) => b.paperId)).toEqual(['b', 'c', 'a']);
        expect(list[2]).toEqual(bm('a', '2026-01-01T00:00:00.000Z'));
        expect(await store.removeBookmark('discord', 'u1', 'c')).toBe(true);
        expect(await store.removeBookmark('discord', 'u1', 'c')).toBe(false);
        expect((await store.listBookmarks('discord', 'u1')).map((b) => b.paperId)).toEqual(['b', 'a']);
        expect(await store.listBookmarks('discord', 'nobody')).toEqual([]);
      });

      it('bookmarks made in the same instant list the latest added first', async () => {
        for (const id of ['a', 'b', 'c']) await store.addBookmark(bm(id, '2026-01-01T00:00:00.000Z'));
        expect((await store.listBookmarks('discord', 'u1')).map((b) => b.paperId)).toEqual(['c', 'b', 'a']);
      });
    });

    describe('posted log', () => {
      it('records a message once, however often it is recorded', async () => {
        const e = posted({ messageId: 'm1' });
        await store.recordPosted(e);
        await store.recordPosted(e);
        await store.recordPosted({ ...e, messageId: 'm1-retry' });
        // The same paper featured again on a later day is not posted twice to a channel.
        await store.recordPosted({ ...e, messageId: 'm1-later', date: '2025-03-04' });
        const header = posted({ kind: 'header', paperId: null, messageId: 'h1' });
        await store.recordPosted(header);
        await store.recordPosted({ ...header, messageId: 'h1-retry' });
        expect(await store.listPosted(CHANNEL, '2025-03-03')).toEqual([header, e]);
        expect(await store.listPosted(CHANNEL, '2025-03-04')).toEqual([]);
        expect((await store.stats()).posted).toBe(2);
      });

      it('finds an entry by its message, for reactions', async () => {
        const e = posted({ messageId: 'm1', paperId: 'p1' });
        await store.recordPosted(e);
        expect(await store.findPostedByMessage('discord', 'c1', 'm1')).toEqual(e);
        expect(await store.findPostedByMessage('discord', 'c2', 'm1')).toBeNull();
        expect(await store.findPostedByMessage('slack', 'c1', 'm1')).toBeNull();
        expect(await store.findPostedByMessage('discord', 'c1', 'm2')).toBeNull();
      });

      it('postedPaperIds lists the papers posted to one channel only', async () => {
        await store.recordPosted(posted({ messageId: 'h', kind: 'header', paperId: null }));
        await store.recordPosted(posted({ messageId: 'm1', paperId: 'p1' }));
        await store.recordPosted(posted({ messageId: 'm2', paperId: 'p2', date: '2025-03-04' }));
        await store.recordPosted(posted({ ...OTHER_CHANNEL, messageId: 'm3', paperId: 'p3' }));
        expect(await store.postedPaperIds(CHANNEL)).toEqual(new Set(['p1', 'p2']));
        expect(await store.postedPaperIds(OTHER_CHANNEL)).toEqual(new Set(['p3']));
        expect(await store.postedPaperIds({ ...CHANNEL, platform: 'slack' })).toEqual(new Set());
      });

      it('listPosted puts the header first, then papers in posting order', async () => {
        const p2 = posted({ messageId: 'm2', paperId: 'p2', postedAt: '2026-01-01T09:00:02.000Z' });
        const p1 = posted({ messageId: 'm1', paperId: 'p1', postedAt: '2026-01-01T09:00:01.000Z' });
        const p3 = posted({ messageId: 'm3', paperId: 'p3', postedAt: '2026-01-01T09:00:02.000Z' });
        const header = posted({ messageId: 'h', kind: 'header', paperId: null, postedAt: '2026-01-01T09:00:03.000Z' });
        for (const e of [p2, p1, p3, header]) await store.recordPosted(e);
        await store.recordPosted(posted({ ...OTHER_CHANNEL, messageId: 'x', paperId: 'p9' }));
        expect((await store.listPosted(CHANNEL, '2025-03-03')).map((e) => e.messageId)).toEqual(['h', 'm1', 'm2', 'm3']);
      });

      it('rejects an entry whose kind and paperId disagree', async () => {
        await expect(store.recordPosted(posted({ messageId: 'm', kind: 'paper', paperId: null }))).rejects.toThrow();
        await expect(store.recordPosted(posted({ messageId: 'm', kind: 'header', paperId: 'p1' }))).rejects.toThrow();
        expect((await store.stats()).posted).toBe(0);
      });
    });

    describe('installs and meta', () => {
      it('saves, replaces, reads and deletes installs; data round-trips as JSON', async () => {
        const data = { team: { id: 'T1', name: 'Lab' }, bot: { token: 'xoxb-test', scopes: ['chat:write'] }, enterprise: null, n: 3 };
        await store.saveInstall({ platform: 'slack', workspaceId: 'T1', data, installedAt: '2026-01-01T00:00:00.000Z' });
        expect(await store.getInstall('slack', 'T1')).toEqual({ platform: 'slack', workspaceId: 'T1', data, installedAt: '2026-01-01T00:00:00.000Z' });
        await store.saveInstall({ platform: 'slack', workspaceId: 'T1', data: { v: 2 }, installedAt: '2026-02-01T00:00:00.000Z' });
        expect(await store.getInstall('slack', 'T1')).toMatchObject({ data: { v: 2 }, installedAt: '2026-02-01T00:00:00.000Z' });
        expect(await store.getInstall('slack', 'T2')).toBeNull();
        expect(await store.getInstall('discord', 'T1')).toBeNull();
        expect(await store.deleteInstall('slack', 'T1')).toBe(true);
        expect(await store.deleteInstall('slack', 'T1')).toBe(false);
        expect(await store.getInstall('slack', 'T1')).toBeNull();
      });

      it('stores small key/value state', async () => {
        expect(await store.getMeta('last_ingest')).toBeNull();
        await store.setMeta('last_ingest', '2026-01-01');
        await store.setMeta('last_ingest', '2026-01-02');
        expect(await store.getMeta('last_ingest')).toBe('2026-01-02');
      });
    });

    deliveryLogContract(() => store);
    liveMessagesContract(() => store);
    peopleContract({
      store: () => store,
      ...(opts.persistent ? { reopen: async () => {
        if (!harness.reopen) throw new Error(`${name} is persistent but its harness has no reopen()`);
        await store.close();
        store = await harness.reopen();
        return store;
      } } : {}),
    });

    upvotesContract({
      store: () => store,
      ...(opts.persistent ? { reopen: async () => {
        await store.close();
        store = await harness.reopen!();
        return store;
      } } : {}),
    });

    describe('lifecycle', () => {
      it('rejects calls after close, and closing twice is harmless', async () => {
        await store.close();
        await store.close();
        await expect(store.getPaper('1')).rejects.toThrow();
        await expect(store.upsertPapers([makePaper({ id: '1' })])).rejects.toThrow();
      });

      if (opts.persistent) it('keeps everything across a reopen', async () => {
        if (!harness.reopen) throw new Error(`${name} is persistent but its harness has no reopen()`);
        const paper = makePaper({ id: '1', keywords: ['k'], featuredDates: ['2025-03-03', '2025-03-04'] });
        const { revision } = await store.upsertPapers([paper]);
        const sub = makeSubscription(CHANNEL);
        await store.saveSubscription(sub);
        const bookmark: Bookmark = { platform: 'discord', userId: 'u', paperId: '1', createdAt: '2026-01-01T00:00:00.000Z' };
        await store.addBookmark(bookmark);
        const entry = posted({ messageId: 'm1', paperId: '1' });
        await store.recordPosted(entry);
        await store.saveInstall({ platform: 'slack', workspaceId: 'T1', data: { a: 1 }, installedAt: 'now' });
        await store.setMeta('k', 'v');
        await store.close();

        store = await harness.reopen();
        expect(await store.getPaper('1')).toEqual(paper);
        expect(await store.revision()).toBe(revision);
        expect(await store.getSubscription(CHANNEL)).toEqual(sub);
        expect(await store.listBookmarks('discord', 'u')).toEqual([bookmark]);
        expect(await store.findPostedByMessage('discord', 'c1', 'm1')).toEqual(entry);
        expect((await store.getInstall('slack', 'T1'))?.data).toEqual({ a: 1 });
        expect(await store.getMeta('k')).toBe('v');
        expect(await store.upsertPapers([paper])).toMatchObject({ unchanged: 1, revision });
      });
    });
  });
}
