/**
 * A person's inbox on Slack, through the real Web API client (and Bolt, for reactions)
 * against the stand-in: `dm:<user>` opens the app's DM with that user in the ref's
 * workspace (once), digests and alerts land there with their metadata keys, findPosted
 * reads that DM's history, Slack's per-channel limit holds for DMs as for channels, and a
 * DM that cannot be delivered is a ChannelUnavailableError the core pauses the inbox on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { type DigestTarget } from '../../../src/core/digest/digest-service.js';
import { ChannelUnavailableError } from '../../../src/core/errors.js';
import { inboxRef } from '../../../src/core/people.js';
import { toPaperView } from '../../../src/core/views.js';
import { silentLogger } from '../../../src/log.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { makeTestServices, type TestServices } from '../../support/bot-harness.js';
import { convLlava, makePaper } from '../../support/papers.js';
import { dmId, eventCallback, reactionEvent, startSlackStandin, type SlackStandin } from '../../support/slack-standin/index.js';
import { slackConfig, startSlackBot, type SlackBot } from './slack-bot.js';

const inbox = (userId: string, workspaceId = 'T0TEST') => inboxRef({ platform: 'slack', workspaceId, userId });

describe('Slack inbox posting (Web API only, as a worker posts)', () => {
  let slack: SlackStandin;
  let poster: SlackPlatform;
  let t: TestServices;

  beforeAll(async () => {
    slack = await startSlackStandin();
    t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', platformFor: () => poster });
  });
  afterAll(async () => {
    await slack?.close();
  });
  beforeEach(async () => {
    slack.rateLimit = null;
    slack.dmErrors.clear();
    poster = new SlackPlatform({ slack: slackConfig(slack), store: t.store, commands, log: silentLogger(), webOnly: true });
    await poster.start({} as never);
  });

  it('delivers a digest to dm:<user> in the app\'s DM with them, with no conversations.open, and the 🔖 hints', async () => {
    const target: DigestTarget = { ...inbox('U0ADA'), timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null };
    const plan = await t.services.digests.plan(target, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    await t.services.digests.deliver(target, plan, poster);

    // The first post goes to the user id (Slack opens the DM itself and names it); the rest to that conversation.
    const posts = slack.callsOf('chat.postMessage').filter((c) => c.status === 200);
    expect(posts[0]!.args.channel).toBe(dmId('U0ADA'));
    expect(slack.callsOf('conversations.open').filter((c) => c.args.users === 'U0ADA')).toHaveLength(0);
    expect(poster.dms.cached('T0TEST', 'U0ADA')).toBe(dmId('U0ADA'));
    // Nothing to open ahead of a post, so nothing for a pacing caller to take a turn for.
    expect(poster.inboxOpen(inbox('U0NEW'))).toBe(true);
    const shown = slack.dmMessages('U0ADA');
    expect(shown).toHaveLength(plan.messages.length);
    expect(shown.every((m) => m.args.parse === 'none' && m.metadata?.event_type === 'papers_bot_post')).toBe(true);
    const log = await t.store.listPosted(inbox('U0ADA'), plan.day);
    expect(log.map((e) => e.messageId)).toEqual(shown.map((m) => m.ts));
    expect(slack.reactions.filter((r) => r.channel === dmId('U0ADA'))).toHaveLength(plan.messages.length - 1);
  });

  it('finds an inbox post again by its key in the DM\'s history', async () => {
    const message = { kind: 'digestPaper' as const, date: '2026-08-21', paper: toPaperView(convLlava(), {}), position: 1, of: 1, topic: 'vision encoder' };
    const { messageId } = await poster.post(inbox('U0BOB'), message, { idempotencyKey: 'slack:dm:U0BOB:2026-08-21:2405.15738' });
    expect(await poster.findPosted(inbox('U0BOB'), 'slack:dm:U0BOB:2026-08-21:2405.15738')).toEqual({ messageId });
    expect(await poster.findPosted(inbox('U0BOB'), 'slack:dm:U0BOB:nope')).toBeNull();
    expect(slack.callsOf('conversations.history').at(-1)!.args).toMatchObject({ channel: dmId('U0BOB') });
    expect(JSON.stringify(slack.dmMessages('U0BOB')[0]!.blocks)).toContain('_matched: vision encoder_');
  });

  it('posts an instant alert in the DM with a Save button per paper', async () => {
    const alert = { kind: 'alert' as const, batch: '2026-08-21T14', title: '2 new papers match what you follow', items: [{ paper: toPaperView(convLlava(), {}), topic: 'vision' }, { paper: toPaperView(makePaper({ id: '2405.00002' }), {}), topic: 'author:hinton' }] };
    await poster.post(inbox('U0ADA'), alert, { idempotencyKey: 'alert:U0ADA:2026-08-21T14' });
    const m = slack.dmMessages('U0ADA').at(-1)!;
    expect(m.metadata).toEqual({ event_type: 'papers_bot_post', event_payload: { key: 'alert:U0ADA:2026-08-21T14', date: '2026-08-21T14' } });
    expect(JSON.stringify(m.blocks).match(/"action_id":"bm:/g)).toHaveLength(2);
  });

  it('posts the DM with the token of the ref\'s workspace', async () => {
    const other = { teamId: 'T0OTHER', teamName: 'Other', botToken: 'xoxb-other', botUserId: 'U0BOT2', botId: 'B0BOT2', appId: 'A0TEST' };
    slack.addWorkspace(other);
    const oauthPoster = new SlackPlatform({ slack: slackConfig(slack, { oauth: true }), store: t.store, commands, log: silentLogger(), webOnly: true });
    await t.store.saveInstall({ platform: 'slack', workspaceId: 'T0OTHER', data: { team: { id: 'T0OTHER' }, bot: { token: 'xoxb-other', userId: 'U0BOT2', id: 'B0BOT2' } }, installedAt: new Date().toISOString() });
    await oauthPoster.post(inbox('U0ELSE', 'T0OTHER'), { kind: 'notice', text: 'hello' });
    expect(slack.callsOf('chat.postMessage').at(-1)).toMatchObject({ teamId: 'T0OTHER', token: 'xoxb-other' });
    expect(slack.dmMessages('U0ELSE')[0]!.teamId).toBe('T0OTHER');
  });

  it('keeps Slack\'s per-channel pace in a DM: a 429 there is waited out, another DM is not held back', async () => {
    slack.rateLimit = { perSecond: 1, burst: 1 };
    const started = Date.now();
    await poster.post(inbox('U0PACE'), { kind: 'notice', text: 'one' });
    await poster.post(inbox('U0OTHER'), { kind: 'notice', text: 'other' });
    expect(Date.now() - started).toBeLessThan(900);
    await poster.post(inbox('U0PACE'), { kind: 'notice', text: 'two' }); // this DM's bucket is empty: 429, waited out
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429).map((c) => c.args.channel)).toEqual([dmId('U0PACE')]);
    expect(slack.dmMessages('U0PACE').map((m) => m.text)).toEqual(['one', 'two']);
  }, 10_000);

  for (const code of ['cannot_dm_bot', 'user_not_found', 'account_inactive', 'user_disabled']) {
    it(`maps ${code} on a DM to ChannelUnavailableError (the inbox gets paused)`, async () => {
      slack.dmErrors.set('U0GONE', code);
      const err = await poster.post(inbox('U0GONE'), { kind: 'notice', text: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelUnavailableError);
      expect(err).toMatchObject({ code: 'channel_unavailable', platformCode: code });
      expect(slack.dmMessages('U0GONE')).toEqual([]);
    });
  }

  it('forgets a DM that became undeliverable after it was opened, and posts to the user afresh next time', async () => {
    await poster.post(inbox('U0LATER'), { kind: 'notice', text: 'first' });
    slack.dmErrors.set('U0LATER', 'user_disabled');
    await expect(poster.post(inbox('U0LATER'), { kind: 'notice', text: 'second' })).rejects.toMatchObject({ platformCode: 'user_disabled' });
    expect(poster.dms.cached('T0TEST', 'U0LATER')).toBeUndefined();
    slack.dmErrors.delete('U0LATER');
    await poster.post(inbox('U0LATER'), { kind: 'notice', text: 'third' });
    expect(poster.dms.cached('T0TEST', 'U0LATER')).toBe(dmId('U0LATER'));
    expect(slack.dmMessages('U0LATER').map((m) => m.text)).toEqual(['first', 'third']);
  });
});

describe('Slack 🔖 in an inbox DM', () => {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot();
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('bookmarks the paper of an inbox message reacted to in the DM', async () => {
    const paper = (await bot.store.papersFeaturedBetween('2026-08-21', '2026-08-21'))[0]!;
    const { messageId } = await bot.platform.post(inbox('U0ADA'), { kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(paper, {}), position: 1, of: 1 });
    await bot.store.recordPosted({ ...inbox('U0ADA'), date: '2026-08-21', kind: 'paper', paperId: paper.id, messageId, postedAt: new Date().toISOString() });
    const r = await bot.send.event(eventCallback(reactionEvent('reaction_added', { channel: dmId('U0ADA'), ts: messageId, user: 'U0ADA' })));
    expect(r.status).toBe(200);
    await bot.platform.idle();
    expect((await bot.store.listBookmarks('slack', 'U0ADA')).map((b) => b.paperId)).toEqual([paper.id]);
  });
});
