/**
 * The PeopleStore part of the Store contract (followed topics, inboxes, pending alerts,
 * forgetting a person) and the subscription's cadence; run by storeContract against
 * every store.
 */
import { describe, expect, it } from 'vitest';
import { inboxRef, type Follow, type Inbox, type PendingAlert } from '../../src/core/people.js';
import { slotKey, type PlannedDelivery, type PostedEntry, type Store, type Subscription } from '../../src/core/ports.js';
import type { ChannelRef, PlatformName } from '../../src/core/subscription.js';

export interface PeopleHarness {
  store(): Store;
  /** Closes the store and opens the same storage again (persistent stores only). */
  reopen?: () => Promise<Store>;
}

const T0 = '2026-03-01T08:00:00.000Z';
const T1 = '2026-03-02T08:00:00.000Z';
const T2 = '2026-03-03T08:00:00.000Z';

const follow = (topic: string, createdAt = T0, userId = 'u1', platform: PlatformName = 'discord'): Follow => ({ platform, userId, topic, createdAt });

function makeInbox(userId: string, over: Partial<Inbox> = {}): Inbox {
  return {
    platform: 'discord',
    userId,
    workspaceId: 'g1',
    hour: 8,
    minute: 15,
    timezone: 'America/New_York',
    weekdays: [1, 2, 3, 4, 5],
    every: 'day',
    topN: 5,
    minUpvotes: 0,
    instant: false,
    enabled: true,
    pausedReason: null,
    pauseNoticeShown: false,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

const alert = (paperId: string, addedAt = T0, userId = 'u1', over: Partial<PendingAlert> = {}): PendingAlert => ({
  platform: 'discord', userId, workspaceId: 'g1', paperId, topic: 'diffusion', addedAt, ...over,
});

function makeSubscription(over: Partial<Subscription> = {}): Subscription {
  return {
    platform: 'slack', workspaceId: 'T1', channelId: 'C1', hour: 9, minute: 0, timezone: 'UTC', weekdays: [1], every: 'week',
    topN: 5, minUpvotes: 0, topic: null, order: 'upvotes', paused: false, pausedReason: null, createdBy: 'U1', createdAt: T0, updatedAt: T0, ...over,
  };
}

function dmPost(ref: ChannelRef, paperId: string | null, messageId: string, date = '2026-03-02'): PostedEntry {
  return { ...ref, date, kind: paperId === null ? 'header' : 'paper', paperId, messageId, postedAt: T1 };
}

function plan(id: string, ref: ChannelRef): Omit<PlannedDelivery, 'finishedAt' | 'outcome'> {
  return { ...ref, id, day: '2026-03-02', mode: 'scheduled', messages: [{ kind: 'notice', text: `for ${ref.channelId}` }], plannedAt: T1 };
}

const topics = (fs: readonly Follow[]): string[] => fs.map((f) => f.topic);
const users = (is: readonly Inbox[]): string[] => is.map((i) => `${i.platform}/${i.userId}`);

export function peopleContract(h: PeopleHarness): void {
  describe('people: followed topics', () => {
    it('adds a topic once per person, whatever its case and spacing, and keeps it as typed', async () => {
      const p = h.store().people;
      expect(await p.addFollow(follow('Speculative Decoding'))).toBe(true);
      expect(await p.addFollow(follow('speculative  decoding', T1))).toBe(false);
      expect(await p.addFollow(follow(' SPECULATIVE decoding ', T1))).toBe(false);
      // Another person, or the same id on another platform, is someone else.
      expect(await p.addFollow(follow('speculative decoding', T0, 'u2'))).toBe(true);
      expect(await p.addFollow(follow('speculative decoding', T0, 'u1', 'slack'))).toBe(true);
      expect(await p.listFollows('discord', 'u1')).toEqual([follow('Speculative Decoding')]);
      expect(await p.listFollows('discord', 'nobody')).toEqual([]);
    });

    it('lists oldest first, ties in the order they were added', async () => {
      const p = h.store().people;
      await p.addFollow(follow('c', T2));
      await p.addFollow(follow('b', T0));
      await p.addFollow(follow('a', T1));
      await p.addFollow(follow('z', T0));
      await p.addFollow(follow('y', T0));
      expect(topics(await p.listFollows('discord', 'u1'))).toEqual(['b', 'z', 'y', 'a', 'c']);
    });

    it('removes a topic given in any case, once, and only that person\'s', async () => {
      const p = h.store().people;
      await p.addFollow(follow('author:hinton'));
      await p.addFollow(follow('"mixture of experts" -survey', T1));
      await p.addFollow(follow('author:hinton', T0, 'u2'));
      expect(await p.removeFollow('discord', 'u1', 'AUTHOR:Hinton ')).toBe(true);
      expect(await p.removeFollow('discord', 'u1', 'author:hinton')).toBe(false);
      expect(await p.removeFollow('discord', 'u1', 'never followed')).toBe(false);
      expect(topics(await p.listFollows('discord', 'u1'))).toEqual(['"mixture of experts" -survey']);
      expect(topics(await p.listFollows('discord', 'u2'))).toEqual(['author:hinton']);
      // Followed again after removal: a new follow, listed by its new time.
      expect(await p.addFollow(follow('author:hinton', T2))).toBe(true);
      expect(topics(await p.listFollows('discord', 'u1'))).toEqual(['"mixture of experts" -survey', 'author:hinton']);
    });
  });

  describe('people: inboxes', () => {
    it('saves and reads an inbox, every field round-tripping', async () => {
      const p = h.store().people;
      expect(await p.getInbox('discord', 'u1')).toBeNull();
      const inbox = makeInbox('u1', {
        weekdays: [0], every: 'week', topN: 25, minUpvotes: 3, instant: true, enabled: false,
        pausedReason: 'Discord 50007: cannot send messages to this user', pauseNoticeShown: true, workspaceId: '@me',
      });
      expect(await p.saveInbox(inbox)).toEqual(inbox);
      expect(await p.getInbox('discord', 'u1')).toEqual(inbox);
      expect(await p.getInbox('slack', 'u1')).toBeNull();
      expect(await p.getInbox('discord', 'u2')).toBeNull();
    });

    it('saving again replaces the settings but keeps when it was created', async () => {
      const p = h.store().people;
      await p.saveInbox(makeInbox('u1'));
      const replaced = await p.saveInbox(makeInbox('u1', { hour: 19, every: 'week', weekdays: [5], workspaceId: 'g2', createdAt: T2, updatedAt: T2 }));
      expect(replaced).toEqual(makeInbox('u1', { hour: 19, every: 'week', weekdays: [5], workspaceId: 'g2', createdAt: T0, updatedAt: T2 }));
      expect(await p.getInbox('discord', 'u1')).toEqual(replaced);
      expect(await p.listInboxes({ includeDisabled: true })).toHaveLength(1);
    });

    it('lists enabled inboxes by platform and user, with platform, includeDisabled and instantOnly filters', async () => {
      const p = h.store().people;
      await p.saveInbox(makeInbox('u2'));
      await p.saveInbox(makeInbox('U10', { platform: 'slack', workspaceId: 'T1', instant: true }));
      await p.saveInbox(makeInbox('u10', { instant: true }));
      await p.saveInbox(makeInbox('u1', { enabled: false, pausedReason: 'dm refused', instant: true }));
      await p.saveInbox(makeInbox('U2', { platform: 'slack', workspaceId: 'T1' }));
      expect(users(await p.listInboxes())).toEqual(['discord/u10', 'discord/u2', 'slack/U10', 'slack/U2']);
      expect(users(await p.listInboxes({ includeDisabled: true }))).toEqual(['discord/u1', 'discord/u10', 'discord/u2', 'slack/U10', 'slack/U2']);
      expect(users(await p.listInboxes({ platform: 'slack' }))).toEqual(['slack/U10', 'slack/U2']);
      expect(users(await p.listInboxes({ instantOnly: true }))).toEqual(['discord/u10', 'slack/U10']);
      expect(users(await p.listInboxes({ instantOnly: true, includeDisabled: true, platform: 'discord' }))).toEqual(['discord/u1', 'discord/u10']);
      expect(await p.listInboxes({ platform: 'console' })).toEqual([]);
    });

    it('callers cannot change a stored inbox by mutating objects', async () => {
      const p = h.store().people;
      const inbox = makeInbox('u1');
      await p.saveInbox(inbox);
      inbox.weekdays.push(6);
      const got = await p.getInbox('discord', 'u1');
      got!.weekdays.length = 0;
      expect((await p.getInbox('discord', 'u1'))?.weekdays).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('people: pending alerts', () => {
    it('adds one alert per person and paper, lists them oldest first, and names the people waiting', async () => {
      const p = h.store().people;
      expect(await p.addPendingAlerts([])).toBe(0);
      expect(await p.addPendingAlerts([alert('p2', T1), alert('p1', T1), alert('p0', T0)])).toBe(3);
      // Already pending (another topic matched it too), repeated within the batch, and new ones.
      expect(await p.addPendingAlerts([
        alert('p1', T2, 'u1', { topic: 'other' }), alert('p3', T2), alert('p3', T2), alert('p1', T0, 'u2', { workspaceId: 'g2' }),
        alert('p1', T0, 'U1', { platform: 'slack', workspaceId: 'T1' }),
      ])).toBe(3);
      const list = await p.listPendingAlerts('discord', 'u1');
      expect(list.map((a) => a.paperId)).toEqual(['p0', 'p2', 'p1', 'p3']);
      expect(list[2]).toEqual(alert('p1', T1));
      expect(await p.listPendingAlerts('discord', 'nobody')).toEqual([]);
      expect(await p.peopleWithPendingAlerts()).toEqual([
        { platform: 'discord', userId: 'u1', workspaceId: 'g1' },
        { platform: 'discord', userId: 'u2', workspaceId: 'g2' },
        { platform: 'slack', userId: 'U1', workspaceId: 'T1' },
      ]);
    });

    it('clears the alerts sent, that person\'s only; a person with none left is no longer waiting', async () => {
      const p = h.store().people;
      await p.addPendingAlerts([alert('p1'), alert('p2'), alert('p3'), alert('p1', T0, 'u2')]);
      expect(await p.clearPendingAlerts('discord', 'u1', ['p1', 'p3', 'unknown', 'p1'])).toBe(2);
      expect(await p.clearPendingAlerts('discord', 'u1', [])).toBe(0);
      expect((await p.listPendingAlerts('discord', 'u1')).map((a) => a.paperId)).toEqual(['p2']);
      expect((await p.listPendingAlerts('discord', 'u2')).map((a) => a.paperId)).toEqual(['p1']);
      expect(await p.clearPendingAlerts('discord', 'u1', ['p2'])).toBe(1);
      expect(await p.peopleWithPendingAlerts()).toEqual([{ platform: 'discord', userId: 'u2', workspaceId: 'g1' }]);
      // Cleared, it can be pending again (a later alert window).
      expect(await p.addPendingAlerts([alert('p1')])).toBe(1);
    });
  });

  describe('people: forgetting a person', () => {
    /** Everything the store holds about one person, their inbox delivered in two workspaces. */
    async function seed(s: Store, platform: PlatformName, userId: string, workspaces: readonly string[]): Promise<void> {
      await s.addBookmark({ platform, userId, paperId: 'p1', createdAt: T0 });
      await s.addBookmark({ platform, userId, paperId: 'p2', createdAt: T1 });
      await s.people.addFollow(follow('diffusion', T0, userId, platform));
      await s.people.addFollow(follow('author:hinton', T1, userId, platform));
      await s.people.saveInbox(makeInbox(userId, { platform, workspaceId: workspaces[0]! }));
      await s.people.addPendingAlerts([alert('p3', T0, userId, { platform }), alert('p4', T0, userId, { platform })]);
      for (const ws of workspaces) {
        const ref = inboxRef({ platform, workspaceId: ws, userId });
        await s.recordPosted(dmPost(ref, null, `${ws}-h`));
        await s.recordPosted(dmPost(ref, 'p1', `${ws}-m1`));
        await s.deliveries.plan(plan(`deliver:${platform}:${ws}:${userId}`, ref));
        await s.deliveries.markSlot(ref, '2026-03-02', T1);
      }
    }

    async function holds(s: Store, platform: PlatformName, userId: string, ws: string) {
      const ref = inboxRef({ platform, workspaceId: ws, userId });
      return {
        bookmarks: (await s.listBookmarks(platform, userId)).length,
        follows: (await s.people.listFollows(platform, userId)).length,
        inbox: (await s.people.getInbox(platform, userId)) !== null,
        pendingAlerts: (await s.people.listPendingAlerts(platform, userId)).length,
        posted: (await s.listPosted(ref, '2026-03-02')).length,
        postedIds: [...(await s.postedPaperIds(ref))],
        delivery: (await s.deliveries.get(`deliver:${platform}:${ws}:${userId}`)) !== null,
        slot: (await s.deliveries.handledSlots('2026-01-01')).has(slotKey(ref, '2026-03-02')),
      };
    }
    const nothing = { bookmarks: 0, follows: 0, inbox: false, pendingAlerts: 0, posted: 0, postedIds: [], delivery: false, slot: false };
    const everything = { bookmarks: 2, follows: 2, inbox: true, pendingAlerts: 2, posted: 2, postedIds: ['p1'], delivery: true, slot: true };

    it('deletes everything about the person, in every workspace, says what it deleted, and nothing of anyone else', async () => {
      const s = h.store();
      await seed(s, 'discord', 'u1', ['g1', '@me']);
      await seed(s, 'discord', 'u2', ['g1']);
      // The same user id on another platform is another person.
      await seed(s, 'slack', 'u1', ['T1']);
      // A channel digest in a channel the person was in is the channel's, not theirs.
      const channel: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' };
      await s.recordPosted(dmPost(channel, 'p1', 'c1-m1'));
      await s.deliveries.plan(plan('deliver:channel', channel));
      await s.deliveries.markSlot(channel, '2026-03-02', T1);

      expect(await s.people.forget('discord', 'u1')).toEqual({ bookmarks: 2, follows: 2, inbox: true, posted: 4, deliveries: 2, pendingAlerts: 2 });
      expect(await holds(s, 'discord', 'u1', 'g1')).toEqual(nothing);
      expect(await holds(s, 'discord', 'u1', '@me')).toEqual(nothing);
      expect(await holds(s, 'discord', 'u2', 'g1')).toEqual(everything);
      expect(await holds(s, 'slack', 'u1', 'T1')).toEqual(everything);
      expect((await s.listPosted(channel, '2026-03-02')).map((e) => e.messageId)).toEqual(['c1-m1']);
      expect(await s.deliveries.get('deliver:channel')).not.toBeNull();
      expect((await s.deliveries.handledSlots('2026-01-01')).has(slotKey(channel, '2026-03-02'))).toBe(true);
      expect(await s.people.peopleWithPendingAlerts()).toEqual([
        { platform: 'discord', userId: 'u2', workspaceId: 'g1' },
        { platform: 'slack', userId: 'u1', workspaceId: 'g1' },
      ]);
      expect(await s.stats()).toMatchObject({ bookmarks: 4, posted: 5 });

      // Forgetting again (or someone the bot never knew) deletes nothing and says so.
      const none = { bookmarks: 0, follows: 0, inbox: false, posted: 0, deliveries: 0, pendingAlerts: 0 };
      expect(await s.people.forget('discord', 'u1')).toEqual(none);
      expect(await s.people.forget('discord', 'stranger')).toEqual(none);
    });

    it('a person forgotten can start again from nothing', async () => {
      const s = h.store();
      await seed(s, 'discord', 'u1', ['g1']);
      await s.people.forget('discord', 'u1');
      await seed(s, 'discord', 'u1', ['g1']);
      expect(await holds(s, 'discord', 'u1', 'g1')).toEqual(everything);
    });
  });

  describe('subscription cadence', () => {
    it('a weekly subscription round-trips, and saving again can make it daily', async () => {
      const s = h.store();
      const weekly = makeSubscription();
      expect(await s.saveSubscription(weekly)).toEqual(weekly);
      expect(await s.getSubscription(weekly)).toEqual(weekly);
      expect(await s.listSubscriptions()).toEqual([weekly]);
      const daily = await s.saveSubscription(makeSubscription({ every: 'day', weekdays: [1, 2, 3, 4, 5], updatedAt: T1 }));
      expect(daily).toMatchObject({ every: 'day', weekdays: [1, 2, 3, 4, 5] });
      expect(await s.getSubscription(weekly)).toEqual(daily);
    });
  });

  if (h.reopen) {
    const reopen = h.reopen;
    it('people and the subscription cadence survive a reopen', async () => {
      let s = h.store();
      await s.people.addFollow(follow('b', T1));
      await s.people.addFollow(follow('a', T0));
      const inbox = makeInbox('u1', { every: 'week', weekdays: [3], instant: true, enabled: false, pausedReason: 'x', pauseNoticeShown: true });
      await s.people.saveInbox(inbox);
      await s.people.addPendingAlerts([alert('p2', T1), alert('p1', T1)]);
      await s.saveSubscription(makeSubscription());
      s = await reopen();
      expect(topics(await s.people.listFollows('discord', 'u1'))).toEqual(['a', 'b']);
      expect(await s.people.addFollow(follow('A', T2))).toBe(false);
      expect(await s.people.getInbox('discord', 'u1')).toEqual(inbox);
      expect((await s.people.listPendingAlerts('discord', 'u1')).map((a) => a.paperId)).toEqual(['p2', 'p1']);
      expect(await s.getSubscription(makeSubscription())).toEqual(makeSubscription());
    });
  }
}
