/**
 * The personal commands through the core on the committed sample (2026-08-10 … 2026-08-21):
 * follow, following, unfollow, inbox, forget-me, and the refusals that must store nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { userMessageOf } from '../../src/core/errors.js';
import { MAX_FOLLOWS } from '../../src/core/people.js';
import type { Reply, TextReply } from '../../src/core/reply.js';
import { CHANNEL, makeHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness('2026-08-21T10:00:00Z');
});

/** A command's answer as text; a parse refusal (bad flag, bad number) is an answer too. */
async function say(line: string, user = 'u1'): Promise<TextReply> {
  let r: Reply;
  try {
    r = await h.run(line, { user });
  } catch (err) {
    return { kind: 'text', text: userMessageOf(err), tone: 'error', ephemeral: true };
  }
  if (r.kind !== 'text') throw new Error(`expected text, got ${r.kind}`);
  return r;
}

const follows = (user = 'u1') => h.store.people.listFollows('console', user);
const inbox = (user = 'u1') => h.store.people.getInbox('console', user);
const press = (actionId: string, userId: string) =>
  h.handlers.action({ ...CHANNEL, id: `a-${userId}`, userId, actionId, permissions: { manageChannel: false, workspaceAdmin: false } });

describe('follow, following, unfollow', () => {
  it('follows topics, numbers them with this week’s counts, and unfollows by number or text', async () => {
    expect((await say('follow speculative decoding')).text).toMatch(/^Following "speculative decoding": \d+ papers? matched/);
    expect((await say('follow author:hinton OR "mixture of experts" -survey')).tone).not.toBe('error');
    expect((await say('follow video generation')).tone).toBe('success');
    expect((await say('follow  Video   GENERATION')).text).toMatch(/already follow/);
    expect((await follows()).map((f) => f.topic)).toHaveLength(3);

    const list = (await say('following')).text;
    expect(list).toMatch(/1\. speculative decoding — \d+ papers? in the last 7 days/);
    expect(list).toMatch(/3\. video generation — \d+ papers? in the last 7 days/);
    expect(list).toContain(`(3 of ${MAX_FOLLOWS})`);

    expect((await say('unfollow 99')).text).toMatch(/You follow 3 topics; 99 is not one of their numbers/);
    expect((await say('unfollow 1')).text).toBe('Unfollowed "speculative decoding".');
    expect((await say('unfollow VIDEO generation')).text).toBe('Unfollowed "video generation".');
    expect((await say('unfollow nothing like this')).text).toMatch(/do not follow/);
    expect(await follows()).toHaveLength(1);
    // Someone else's topics are their own.
    expect(await follows('u2')).toHaveLength(0);
  });

  it.each([
    ['follow', /Give a topic|required|needs/i],
    ['follow +', /.+/],
    ['follow of the', /.+/],
    ['follow zzqxv wqpxz', /Nothing featured in the last 90 days matches "zzqxv wqpxz"/],
  ])('refuses %j with a short reason and stores nothing', async (line, why) => {
    const r = await say(line);
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(why);
    expect(r.text.length).toBeLessThan(240);
    expect(await follows()).toHaveLength(0);
  });

  it('refuses a 26th topic', async () => {
    for (let i = 0; i < MAX_FOLLOWS; i++) await h.store.people.addFollow({ platform: 'console', userId: 'u1', topic: `topic ${i}`, createdAt: `2026-08-01T00:00:${String(i).padStart(2, '0')}Z` });
    const r = await say('follow diffusion');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/You follow 25 topics, the most I keep/);
    expect(await follows()).toHaveLength(MAX_FOLLOWS);
  });
});

describe('inbox', () => {
  it('says how to start, turns on with settings, shows the next delivery in the person’s zone, turns off', async () => {
    expect((await say('inbox')).text).toMatch(/You have no inbox yet/);
    const on = await say('inbox on --time 07:30 --timezone Europe/Paris --weekdays mon-fri --top 3');
    expect(on.tone).toBe('success');
    // Fri 21 Aug 2026 10:00 UTC is 12:00 in Paris: the next weekday slot is Monday's.
    expect(on.text).toMatch(/Your inbox is on: 07:30 Europe\/Paris, Mon–Fri, top 3/);
    expect(on.text).toContain('Next delivery: Mon 24 Aug, 07:30 (Europe/Paris)');
    expect(on.text).toMatch(/whole list/);
    const saved = await inbox();
    expect(saved).toMatchObject({ enabled: true, hour: 7, minute: 30, timezone: 'Europe/Paris', weekdays: [1, 2, 3, 4, 5], topN: 3, every: 'day', instant: false });

    await say('follow diffusion');
    expect((await say('inbox')).text).toMatch(/Your inbox is on: .*; 1 followed topic\. Next delivery: Mon 24 Aug, 07:30 \(Europe\/Paris\), with the top papers matching your 1 followed topic/);

    const weekly = await say('inbox --every week --instant');
    expect(weekly.text).toMatch(/weekly on Mon, top 3, instant alerts on/);
    expect(await inbox()).toMatchObject({ every: 'week', weekdays: [1], instant: true, enabled: true });

    expect((await say('inbox off')).text).toMatch(/Your inbox is off; your 1 followed topic and settings are kept/);
    expect(await inbox()).toMatchObject({ enabled: false, every: 'week' });
    expect((await say('inbox off')).text).toMatch(/already off/);
  });

  it.each([
    ['inbox on --timezone Mars/Olympus', /Unknown timezone "Mars\/Olympus"/],
    ['inbox on --time 25:00', /Hour 25 is out of range/],
    ['inbox on --every month', /"month" is not a cadence: use --every day or --every week/],
    ['inbox on --top 0', /--top must be a whole number from 1 to 25/],
    ['inbox on --top 1000', /--top must be a whole number from 1 to 25/],
    ['inbox on --every week --weekdays mon-fri', /weekly digest goes out on one day/],
    ['inbox on --min-upvotes -3', /.+/],
    ['inbox maybe', /Unexpected "maybe" after inbox/],
  ])('refuses %j and stores nothing', async (line, why) => {
    const r = await say(line);
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(why);
    expect(await inbox()).toBeNull();
  });

  it('keeps an existing inbox unchanged when a change is refused', async () => {
    await say('inbox on --time 08:00');
    const before = await inbox();
    expect((await say('inbox --time 24:30')).tone).toBe('error');
    expect(await inbox()).toEqual(before);
  });
});

describe('a paused inbox', () => {
  it('is mentioned once, on the next command the person runs', async () => {
    await say('inbox on');
    const i = (await inbox())!;
    await h.store.people.saveInbox({ ...i, enabled: false, pausedReason: 'direct messages could not be delivered (50007)', pauseNoticeShown: false });
    const first = await h.run('search diffusion');
    expect(first.kind).toBe('papers');
    expect(first.kind === 'papers' && first.notice).toMatch(/Your inbox is paused: direct messages could not be delivered \(50007\).*\/papers inbox on/);
    const second = await h.run('search diffusion');
    expect(second.kind === 'papers' && second.notice).toBeFalsy();
    expect((await say('inbox')).text).toMatch(/Your inbox is paused: direct messages could not be delivered/);
    expect((await say('inbox on')).text).toMatch(/Your inbox is on/);
    expect(await inbox()).toMatchObject({ enabled: true, pausedReason: null });
  });
});

describe('forget-me', () => {
  it('asks first; only the asker’s press deletes, and then everything about them goes', async () => {
    await say('follow diffusion');
    await say('inbox on --instant');
    const paper = (await h.store.papersFeaturedBetween('2026-08-21', '2026-08-21'))[0]!;
    await h.store.addBookmark({ platform: 'console', userId: 'u1', paperId: paper.id, createdAt: '2026-08-21T09:00:00Z' });
    await h.store.addBookmark({ platform: 'console', userId: 'u2', paperId: paper.id, createdAt: '2026-08-21T09:00:00Z' });
    await h.store.recordPosted({ platform: 'console', workspaceId: 'w1', channelId: 'dm:u1', date: '2026-08-21', kind: 'paper', paperId: paper.id, messageId: 'm1', postedAt: '2026-08-21T09:00:00Z' });
    await h.store.people.addPendingAlerts([{ platform: 'console', userId: 'u1', workspaceId: 'w1', paperId: paper.id, topic: 'diffusion', addedAt: '2026-08-21T09:00:00Z' }]);

    const ask = await say('forget-me');
    expect(ask.tone).toBe('warning');
    expect(ask.buttons).toHaveLength(1);
    const actionId = ask.buttons![0]!.actionId;

    const stranger = await press(actionId, 'u2');
    expect(stranger).toMatchObject({ kind: 'text', tone: 'error' });
    expect(stranger?.kind === 'text' && stranger.text).toMatch(/belongs to someone else/);
    expect(await follows()).toHaveLength(1);
    expect(await h.store.listBookmarks('console', 'u1')).toHaveLength(1);

    const done = await press(actionId, 'u1');
    expect(done?.kind === 'text' && done.text).toBe(
      'Deleted 1 bookmark, 1 followed topic, your inbox settings, 1 record of a paper sent to you, 1 pending alert. I keep nothing else about you.',
    );
    expect(await follows()).toHaveLength(0);
    expect(await inbox()).toBeNull();
    expect(await h.store.listBookmarks('console', 'u1')).toHaveLength(0);
    expect(await h.store.people.listPendingAlerts('console', 'u1')).toHaveLength(0);
    expect(await h.store.postedPaperIds({ platform: 'console', workspaceId: 'w1', channelId: 'dm:u1' })).toEqual(new Set());
    // The other person's bookmark is theirs.
    expect(await h.store.listBookmarks('console', 'u2')).toHaveLength(1);
  });
});

describe('help', () => {
  it('lists the personal subcommands', async () => {
    const r = await h.run('help');
    expect(r.kind).toBe('help');
    const usages = r.kind === 'help' ? r.commands.map((c) => c.usage).join('\n') : '';
    for (const name of ['follow', 'following', 'unfollow', 'inbox', 'forget-me']) expect(usages).toContain(`/papers ${name}`);
  });
});

describe('an inbox set up in one place', () => {
  it('stays keyed by the workspace it was set up from when changed from another', async () => {
    await h.run('inbox on', { channel: { platform: 'console', workspaceId: 'w-first', channelId: 'c1' } });
    await h.run('inbox --top 3', { channel: { platform: 'console', workspaceId: 'w-other', channelId: 'c9' } });
    expect(await inbox()).toMatchObject({ workspaceId: 'w-first', topN: 3 });
  });
});

describe('a store that is behind', () => {
  it('counts "the last 90 days" and "this week" back from the newest featured day it has, not the calendar', async () => {
    h.clock.set('2026-12-04T10:00:00Z'); // months after the sample's last day (2026-08-21)
    expect((await say('follow diffusion')).text).toMatch(/^Following "diffusion": \d+ papers? matched/);
    expect((await say('following')).text).toMatch(/1\. diffusion — [1-9]\d* papers? in the last 7 days/);
  });
});
