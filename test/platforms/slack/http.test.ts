/**
 * The real Bolt app in HTTP mode, receiving signed requests and calling the Slack
 * stand-in: slash commands, buttons, reactions, App Home, digests, and the requests a
 * hostile or confused network sends (forged, stale, unsigned, replayed, retried).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackPlatform } from '../../../src/platforms/slack/index.js';
import {
  appHomeOpened,
  blockActions,
  eventCallback,
  mentionsIn,
  reactionEvent,
  slashCommand,
  validateBlocks,
  type StandinMessage,
  type StandinResponse,
} from '../../support/slack-standin/index.js';
import { SIGNING_SECRET, startSlackBot, type SlackBot } from './slack-bot.js';

let bot: SlackBot;
beforeAll(async () => {
  bot = await startSlackBot({ standin: { users: [{ id: 'U0ADMIN', teamId: 'T0TEST', isAdmin: true }] }, tuning: { adminCacheMs: 0 } });
});
afterAll(async () => {
  await bot?.close();
});

/** Sends `/papers <text>` and returns what the bot answered through the response_url. */
async function command(text: string, o: { user?: string; channel?: string; triggerId?: string } = {}): Promise<StandinResponse['body']> {
  const id = randomUUID();
  const res = await bot.send.command(slashCommand({ text, responseUrl: bot.slack.responseUrl(id), ...(o.user ? { userId: o.user } : {}), ...(o.channel ? { channelId: o.channel } : {}), ...(o.triggerId ? { triggerId: o.triggerId } : {}) }));
  expect(res.status).toBe(200);
  expect(res.body).toBe(''); // acknowledged at once, answered later
  const r = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 10_000, `the answer to /papers ${text.slice(0, 40)}`);
  return r.body;
}

const textOf = (body: StandinResponse['body']) => JSON.stringify(body.blocks ?? []) + (body.text ?? '');

async function digestNow(channel: string, user = 'U0ALICE'): Promise<StandinMessage[]> {
  const before = bot.slack.messages.length;
  const answer = await command('digest now', { channel, user });
  expect(answer).toMatchObject({ response_type: 'ephemeral' });
  expect(textOf(answer)).toMatch(/Posted \d+ papers?/);
  return bot.slack.messages.slice(before).filter((m) => m.channel === channel);
}

describe('slash commands', () => {
  it('searches with quotes and flags, answering ephemerally with valid Block Kit', async () => {
    const body = await command('search "sparse attention" --top 3');
    expect(body.response_type).toBe('ephemeral');
    expect(validateBlocks(body.blocks)).toEqual([]);
    const sections = (body.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section');
    expect(sections).toHaveLength(3);
    expect(sections[0]!.text!.text).toMatch(/^\*1\. <https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}\|/);
    expect(JSON.stringify(body.blocks)).toContain('"text":"🔖 Save"');
  });

  it('answers help for an empty or unknown subcommand', async () => {
    expect(textOf(await command(''))).toContain('/papers search &lt;query&gt;');
    expect((await command('frobnicate')).text).toMatch(/^"frobnicate" is not a command/);
  });

  it('copes with 4,000 characters, unbalanced quotes, bad flags and ids that are no paper', async () => {
    expect((await command(`search ${'attention '.repeat(450)}`)).response_type).toBe('ephemeral');
    expect((await command('search "sparse attention --top 2')).response_type).toBe('ephemeral');
    expect(textOf(await command('search x --top lots'))).toMatch(/--top must be a whole number/);
    const missing = await command('show 1234.56789');
    expect(textOf(missing)).toMatch(/I have not seen paper 1234\.56789/);
    expect(textOf(await command('show not-a-paper'))).toMatch(/is not an arXiv id/);
    for (const r of bot.slack.responses) expect(validateBlocks(r.body.blocks)).toEqual([]);
  });

  it('never lets a query ping anyone', async () => {
    const body = await command('search "<!channel> @here <@U0BOSS>" attention');
    expect(mentionsIn(body)).toEqual([]);
  });

  it('previews a ten-paper digest within Block Kit limits', async () => {
    const body = await command('digest preview', { channel: 'C0PREVIEW' });
    const blocks = body.blocks as unknown[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(blocks)).toEqual([]);
  });
});

describe('digests', () => {
  it('posts a header and one message per paper, each with metadata, recorded in the posted log, with a 🔖 hint', async () => {
    const msgs = await digestNow('C0DIGEST');
    const [header, ...papers] = msgs;
    expect(header!.metadata).toEqual({ event_type: 'papers_bot_post', event_payload: { key: 'slack:C0DIGEST:2026-08-21:header', date: '2026-08-21' } });
    expect(JSON.stringify(header!.blocks)).toMatch(/Themes|themes/);
    expect(papers.length).toBeGreaterThan(0);
    const ref = { platform: 'slack' as const, workspaceId: 'T0TEST', channelId: 'C0DIGEST' };
    const posted = await bot.store.listPosted(ref, '2026-08-21');
    expect(posted.map((p) => p.messageId)).toEqual(msgs.map((m) => m.ts));
    for (const m of papers) {
      const paperId = m.metadata!.event_payload.paper_id as string;
      expect(m.metadata!.event_payload.key).toBe(`slack:C0DIGEST:2026-08-21:${paperId}`);
      expect(posted.find((p) => p.messageId === m.ts)?.paperId).toBe(paperId);
      expect(m.reactions).toEqual([{ name: 'bookmark', users: ['U0BOT'] }]);
      expect(m.args).toMatchObject({ unfurl_links: 'false', parse: 'none' });
    }
  });

  it('waits out a 429 with Retry-After and posts every message exactly once', async () => {
    bot.slack.fail('chat.postMessage', { kind: '429', retryAfter: 1 });
    const msgs = await digestNow('C0RATELIMIT');
    const calls = bot.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0RATELIMIT');
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(msgs.length);
    const keys = msgs.map((m) => m.metadata!.event_payload.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('says so when the channel is gone, without a stack trace', async () => {
    bot.slack.channelErrors.set('C0GONE', 'channel_not_found');
    const body = await command('digest now', { channel: 'C0GONE' });
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toContain('I can no longer post in this channel.');
  });
});

describe('bookmarks', () => {
  it('bookmarks on :bookmark: added and unbookmarks on removed, for that user only', async () => {
    const msgs = await digestNow('C0REACT');
    const paperMsg = msgs[1]!;
    const paperId = paperMsg.metadata!.event_payload.paper_id as string;
    const react = async (type: 'reaction_added' | 'reaction_removed', o: { user?: string; reaction?: string; ts?: string } = {}) => {
      const r = await bot.send.event(eventCallback(reactionEvent(type, { channel: 'C0REACT', ts: o.ts ?? paperMsg.ts, user: o.user ?? 'U0BOB', ...(o.reaction ? { reaction: o.reaction } : {}) })));
      expect(r.status).toBe(200);
      await bot.platform.idle();
    };
    await react('reaction_added');
    expect((await bot.store.listBookmarks('slack', 'U0BOB')).map((b) => b.paperId)).toEqual([paperId]);
    expect(await bot.store.listBookmarks('slack', 'U0ALICE')).toEqual([]);
    await react('reaction_added', { reaction: 'thumbsup', user: 'U0CAROL' });
    await react('reaction_added', { ts: msgs[0]!.ts, user: 'U0CAROL' }); // the header is no paper
    await react('reaction_added', { ts: '1.000000', user: 'U0CAROL' }); // not our message
    expect(await bot.store.listBookmarks('slack', 'U0CAROL')).toEqual([]);
    await react('reaction_removed');
    expect(await bot.store.listBookmarks('slack', 'U0BOB')).toEqual([]);
  });

  it('saves with the 🔖 Save button and answers ephemerally', async () => {
    const id = randomUUID();
    const r = await bot.send.action(blockActions({ actionId: 'bm:2608.19758', value: '2608.19758', userId: 'U0DAVE', responseUrl: bot.slack.responseUrl(id) }));
    expect(r.status).toBe(200);
    const answer = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 5_000, 'the save answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(answer.body)).toMatch(/Saved/);
    expect((await bot.store.listBookmarks('slack', 'U0DAVE')).map((b) => b.paperId)).toEqual(['2608.19758']);

    const stale = randomUUID();
    await bot.send.action(blockActions({ actionId: 'bm:1234.56789', userId: 'U0DAVE', responseUrl: bot.slack.responseUrl(stale) }));
    const refusal = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === stale), 5_000, 'the refusal');
    expect(refusal.body.text).toMatch(/Paper 1234\.56789 is no longer known/);
  });

  it('turns the page of a search in place with Next', async () => {
    const first = await command('search agents');
    const buttons = (first.blocks as { type: string; elements?: { action_id: string }[] }[]).flatMap((b) => b.elements ?? []);
    const actionId = buttons.find((e) => e.action_id?.startsWith('pg:search:2:'))!.action_id;
    expect(actionId).toBeDefined();
    const id = randomUUID();
    await bot.send.action(blockActions({ actionId, responseUrl: bot.slack.responseUrl(id), container: { type: 'message', channelId: 'C0GENERAL', isEphemeral: true } }));
    const page2 = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 5_000, 'page 2');
    expect(page2.body.replace_original).toBe(true);
    expect(JSON.stringify(page2.body.blocks)).toMatch(/\*6\. </);
  });

  it('only acknowledges link buttons', async () => {
    const id = randomUUID();
    const r = await bot.send.action(blockActions({ actionId: 'link:arxiv:2608.19758', url: 'https://arxiv.org/abs/2608.19758', responseUrl: bot.slack.responseUrl(id) }));
    expect(r.status).toBe(200);
    await bot.platform.idle();
    expect(bot.slack.responses.find((x) => x.id === id)).toBeUndefined();
  });
});

describe('App Home', () => {
  const home = async (user: string) => {
    const before = bot.slack.views.length;
    await bot.send.event(eventCallback(appHomeOpened(user)));
    await bot.slack.waitFor(() => bot.slack.views.length > before, 5_000, 'views.publish');
    return bot.slack.views.at(-1)!;
  };
  const press = async (user: string, actionId: string) => {
    const before = bot.slack.views.length;
    const r = await bot.send.action(blockActions({ actionId, userId: user, container: { type: 'view' } }));
    expect(r.status).toBe(200);
    await bot.slack.waitFor(() => bot.slack.views.length > before, 5_000, 'views.publish after a button');
    return bot.slack.views.at(-1)!;
  };

  it('lists bookmarks with Remove buttons; removes; exports BibTeX by DM', async () => {
    const empty = await home('U0ERIN');
    expect(JSON.stringify(empty.view.blocks)).toMatch(/No bookmarks yet/);
    expect(JSON.stringify(empty.view.blocks)).not.toContain('home:export');
    await bot.store.addBookmark({ platform: 'slack', userId: 'U0ERIN', paperId: '2608.19758', createdAt: '2026-08-21T10:00:00Z' });
    await bot.store.addBookmark({ platform: 'slack', userId: 'U0ERIN', paperId: '2608.08097', createdAt: '2026-08-21T10:01:00Z' });
    const v = await home('U0ERIN');
    expect(v.userId).toBe('U0ERIN');
    expect(validateBlocks(v.view.blocks, { maxBlocks: 100 })).toEqual([]);
    const json = JSON.stringify(v.view.blocks);
    expect(json).toContain('"action_id":"ub:2608.19758"');
    expect(json).toContain('home:export:bibtex');

    const afterRemove = await press('U0ERIN', 'ub:2608.19758');
    expect(JSON.stringify(afterRemove.view.blocks)).toMatch(/Removed/);
    expect((await bot.store.listBookmarks('slack', 'U0ERIN')).map((b) => b.paperId)).toEqual(['2608.08097']);

    const afterExport = await press('U0ERIN', 'home:export:bibtex');
    const file = bot.slack.files.at(-1)!;
    expect(file).toMatchObject({ filename: 'bookmarks.bib', channel: 'DU0ERIN' });
    expect(file.content).toMatch(/@misc\{.*,\n {2}title = \{/);
    expect(file.content).toContain('2608.08097');
    expect(JSON.stringify(afterExport.view.blocks)).toMatch(/Sent bookmarks\.bib/);
  });

  it('pages through a long bookmark list in place', async () => {
    const papers = await bot.store.papersFeaturedBetween('2026-08-21', '2026-08-21');
    for (const [i, p] of papers.slice(0, 7).entries()) await bot.store.addBookmark({ platform: 'slack', userId: 'U0KIM', paperId: p.id, createdAt: `2026-08-21T10:0${i}:00Z` });
    const first = await home('U0KIM');
    const buttons = (first.view.blocks as { elements?: { action_id: string }[] }[]).flatMap((b) => b.elements ?? []);
    const next = buttons.find((e) => e.action_id?.startsWith('pg:bookmarks:2:'))!;
    const second = await press('U0KIM', next.action_id);
    expect(JSON.stringify(second.view.blocks)).toMatch(/\*6\. </);
    expect(JSON.stringify(second.view.blocks)).toContain('Page 2 of 2');
  });

  it('exports from the slash command by DM too', async () => {
    await bot.store.addBookmark({ platform: 'slack', userId: 'U0FRANK', paperId: '2608.19758', createdAt: '2026-08-21T10:00:00Z' });
    const body = await command('bookmarks export markdown', { user: 'U0FRANK' });
    expect(textOf(body)).toMatch(/Sent bookmarks\.md to you in a direct message/);
    expect(bot.slack.files.at(-1)).toMatchObject({ filename: 'bookmarks.md', channel: 'DU0FRANK' });
  });

  it('lets only admins and owners change who may subscribe (or post a digest now)', async () => {
    const memberTry = await press('U0GRACE', 'home:policy:admins');
    expect(JSON.stringify(memberTry.view.blocks)).toMatch(/Only workspace admins, owners and the installer can change/);
    expect(JSON.stringify(memberTry.view.blocks)).not.toContain('home:policy:');
    expect(await bot.store.getMeta('slack:subscribePolicy:T0TEST')).toBeNull();

    const adminView = await home('U0ADMIN');
    expect(JSON.stringify(adminView.view.blocks)).toContain('home:policy:admins');
    await press('U0ADMIN', 'home:policy:admins');
    expect(await bot.store.getMeta('slack:subscribePolicy:T0TEST')).toBe('admins');
    try {
      const refused = await command('subscribe --time 08:00', { channel: 'C0POLICY', user: 'U0GRACE' });
      expect(refused.response_type).toBe('ephemeral');
      expect(textOf(refused)).toContain(slackPlatform.permissionRefusal);
      expect(await bot.store.getSubscription({ platform: 'slack', workspaceId: 'T0TEST', channelId: 'C0POLICY' })).toBeNull();
      expect(textOf(await command('subscribe --time 08:00', { channel: 'C0POLICY', user: 'U0ADMIN' }))).toMatch(/Subscribed/);
      // Posting now is changing the channel too: refused for a member, and no join, no post.
      const posts = bot.slack.messages.length;
      const joins = bot.slack.callsOf('conversations.join').length;
      expect(textOf(await command('digest now', { channel: 'C0QUIET', user: 'U0GRACE' }))).toContain(slackPlatform.permissionRefusal);
      expect(bot.slack.messages.length).toBe(posts);
      expect(bot.slack.callsOf('conversations.join').length).toBe(joins);
      expect(textOf(await command('digest preview', { channel: 'C0QUIET', user: 'U0GRACE' }))).toMatch(/Preview/);
      // Commands without a permission never ask Slack who is an admin.
      const lookups = bot.slack.callsOf('users.info').length;
      await command('help', { user: 'U0GRACE' });
      expect(bot.slack.callsOf('users.info').length).toBe(lookups);
    } finally {
      await press('U0ADMIN', 'home:policy:everyone');
    }
    expect(await bot.store.getMeta('slack:subscribePolicy:T0TEST')).toBe('everyone');
  });
});

describe('request security', () => {
  const cmdBody = () => new URLSearchParams(slashCommand({ text: 'help', responseUrl: bot.slack.responseUrl('never') })).toString();
  const FORM = 'application/x-www-form-urlencoded';

  it('refuses a bad signature, a stale timestamp and an unsigned request with 401, and does nothing', async () => {
    const before = bot.slack.calls.length;
    expect((await bot.send.raw(cmdBody(), FORM, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await bot.send.raw(cmdBody(), FORM, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await bot.send.raw(cmdBody(), FORM, { unsigned: true })).status).toBe(401);
    expect((await bot.send.raw(cmdBody(), FORM, { signature: 'v1=abc' })).status).toBe(401);
    expect((await bot.send.event(eventCallback(appHomeOpened('U0MALLORY')), { secret: `${SIGNING_SECRET}x` })).status).toBe(401);
    await bot.platform.idle();
    expect(bot.slack.responses.find((r) => r.id === 'never')).toBeUndefined();
    expect(bot.slack.calls.length).toBe(before);
  });

  it('handles a replayed command once', async () => {
    const body = cmdBody().replace('never', 'replayed');
    const ts = Math.floor(Date.now() / 1000);
    expect((await bot.send.raw(body, FORM, { timestamp: ts })).status).toBe(200);
    expect((await bot.send.raw(body, FORM, { timestamp: ts })).status).toBe(200);
    await bot.platform.idle();
    await bot.slack.waitFor(() => bot.slack.responses.find((r) => r.id === 'replayed'), 5_000);
    expect(bot.slack.responses.filter((r) => r.id === 'replayed')).toHaveLength(1);
  });

  it('acknowledges a retried event (X-Slack-Retry-Num) without handling it twice', async () => {
    const cb = eventCallback(appHomeOpened('U0HEIDI'), { eventId: `Ev${randomUUID().slice(0, 8)}` });
    expect((await bot.send.event(cb)).status).toBe(200);
    expect((await bot.send.event(cb, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await bot.send.event(cb, { retryNum: 2 })).status).toBe(200);
    await bot.platform.idle();
    expect(bot.slack.views.filter((v) => v.userId === 'U0HEIDI')).toHaveLength(1);
  });

  it('answers a health check', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});
