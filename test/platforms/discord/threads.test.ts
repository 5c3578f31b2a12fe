/**
 * Thread mode on Discord, end to end with discord.js against the stand-in: `settings
 * threads:True` puts the day's header in the channel and its papers in a thread on it; a
 * forum channel gets one forum post per digest; a channel where the bot cannot start
 * threads gets the papers in the channel; 🔖 reactions and Save buttons in a thread
 * bookmark; a retried delivery finds what it sent in the thread (or forum) instead of
 * sending it twice; live counts edit the messages where they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { refreshLiveCounts } from '../../../src/core/digest/live-counts.js';
import { digestMessageKey, type DigestPlan } from '../../../src/core/digest/digest-service.js';
import { threadName } from '../../../src/core/digest/thread-mode.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import { buildCommand } from '../../../src/platforms/discord/register.js';
import { unlimited } from '../../../src/redis/gcra-rate-limiter.js';
import { RateLimitedPlatform } from '../../../src/redis/rate-limited-platform.js';
import { DEFAULT_USER, PERMISSIONS, type StoredMessage } from '../../support/discord-standin/index.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const G = '900000000000000001';
const C = { text: '900000000000000301', forum: '900000000000000302', locked: '900000000000000303', retry: '900000000000000304', forumRetry: '900000000000000305', plain: '900000000000000306', forumPlain: '900000000000000307', forumCmd: '900000000000000308' };
const READER = { id: '200000000000000055', username: 'grace' };
const ref = (channelId: string): ChannelRef => ({ platform: 'discord', workspaceId: G, channelId });
const FORUMS = new Set([C.forum, C.forumRetry, C.forumPlain, C.forumCmd]);
const standin = {
  // No nonce memory: a retried post is only kept single by findPosted.
  nonceWindowMs: 0,
  guilds: [{ id: G, name: 'Papers Lab', channels: Object.entries(C).map(([name, id]) => ({ id, name, type: FORUMS.has(id) ? 15 : 0 })) }],
};

let bot: DiscordBot;

async function run(channelId: string, subcommand: string, options: Record<string, string | number | boolean> = {}) {
  const a = await bot.discord.answer(bot.discord.slashCommand({ channelId, subcommand, permissions: PERMISSIONS.manager, options }));
  return a.message!;
}

async function threaded(channelId: string): Promise<void> {
  expect((await run(channelId, 'subscribe', { threads: true })).content).toMatch(/^✅ Subscribed: .*papers in a thread/);
}

/** A threaded plan of the channel's digest, for delivering by hand. */
async function planOf(channelId: string): Promise<DigestPlan> {
  const sub = (await bot.store.getSubscription(ref(channelId)))!;
  const plan = await bot.services.digests.plan(sub, 'now');
  if ('skip' in plan) throw new Error(plan.skip);
  return plan;
}

const paperIdsIn = (messages: StoredMessage[]) => messages.map((m) => String(m.embeds[0]?.footer?.text ?? '').match(/arXiv (\S+)/)?.[1]).filter(Boolean);

beforeAll(async () => {
  bot = await startDiscordBot({ standin });
});

afterAll(async () => {
  await bot?.close();
});

describe('Discord thread mode', () => {
  it('registers threads as a boolean option of subscribe and settings', () => {
    const papers = buildCommand(commands);
    for (const sub of ['settings', 'subscribe']) {
      const opts = (papers.options ?? []).find((o) => o.name === sub) as unknown as { options: { name: string; type: number }[] };
      expect(opts.options.find((o) => o.name === 'threads')?.type).toBe(5);
    }
  });

  it('posts the header in the channel and the papers in a thread on it, hinted there', async () => {
    await threaded(C.text);
    expect((await run(C.text, 'digest', { action: 'now' })).content).toMatch(/^✅ Posted 5 papers/);
    const inChannel = bot.discord.messages(C.text).filter((m) => m.interactionId === null);
    expect(inChannel).toHaveLength(1);
    const header = inChannel[0]!;
    expect(header.embeds[0].description).toMatch(/5 papers in the thread below/);
    const [thread] = bot.discord.threads(C.text);
    // A thread started on a message has the message's id.
    expect(thread).toMatchObject({ id: header.id, type: 11, parentId: C.text, name: header.embeds[0].title });
    const papers = bot.discord.messages(thread!.id);
    expect(papers).toHaveLength(5);
    for (const m of papers) expect([...(m.reactions.get('🔖') ?? [])]).toEqual([bot.discord.appId]);
    // The posted log names the channel: the next digest knows these were posted.
    const posted = await bot.store.listPosted(ref(C.text), '2026-08-21');
    expect(posted.map((e) => e.messageId)).toEqual([header.id, ...papers.map((m) => m.id)]);
    expect(bot.discord.rejected()).toEqual([]);
  });

  it('bookmarks from a 🔖 reaction and from the Save button on a paper in the thread', async () => {
    const [thread] = bot.discord.threads(C.text);
    const [first, second] = bot.discord.messages(thread!.id);
    bot.discord.react({ channelId: thread!.id, messageId: first!.id, emoji: '🔖', user: READER });
    await bot.discord.waitFor(async () => (await bot.store.listBookmarks('discord', READER.id)).length === 1, { what: 'the reaction bookmark' });
    const save = second!.components.flatMap((r: { components: { custom_id?: string }[] }) => r.components).find((b: { custom_id?: string }) => b.custom_id?.startsWith('bm:'))!;
    await bot.discord.answer(bot.discord.clickButton({ messageId: second!.id, customId: save.custom_id!, user: READER }));
    const saved = (await bot.store.listBookmarks('discord', READER.id)).map((b) => b.paperId).sort();
    expect(saved).toEqual(paperIdsIn([first!, second!]).sort());
  });

  it('after a restart (empty caches), a 🔖 in the thread still bookmarks', async () => {
    await bot.restart();
    const [thread] = bot.discord.threads(C.text);
    const third = bot.discord.messages(thread!.id)[2]!;
    bot.discord.react({ channelId: thread!.id, messageId: third.id, emoji: '🔖', user: READER });
    await bot.discord.waitFor(async () => (await bot.store.listBookmarks('discord', READER.id)).length === 3, { what: 'the bookmark after a restart' });
  });

  it('live counts edit the papers in the thread', async () => {
    const [thread] = bot.discord.threads(C.text);
    const ids = paperIdsIn(bot.discord.messages(thread!.id)) as string[];
    const papers = await bot.store.getPapers(ids);
    await bot.store.upsertPapers(papers.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + 7 })));
    const report = await refreshLiveCounts({ store: bot.store, clock: bot.clock, log: bot.services.log }, new RateLimitedPlatform(bot.platform, unlimited));
    expect(report).toMatchObject({ edited: 5, failed: 0, dropped: 0 });
    for (const m of bot.discord.messages(thread!.id)) expect(m.edits).toBe(1);
  });

  it('a forum channel gets one forum post per digest: the header first, the papers in it', async () => {
    await threaded(C.forum);
    expect((await run(C.forum, 'digest', { action: 'now' })).content).toMatch(/^✅ Posted 5 papers/);
    const posts = bot.discord.threads(C.forum);
    expect(posts).toHaveLength(1);
    const [first, ...papers] = bot.discord.messages(posts[0]!.id);
    // The post's first message is the header, and has the post's id.
    expect(first!.id).toBe(posts[0]!.id);
    expect(first!.embeds[0].title).toBe(posts[0]!.name);
    expect(papers).toHaveLength(5);
    expect(bot.discord.rejected()).toEqual([]);
  });

  it('a forum without thread mode still gets one forum post per digest (a forum takes no plain messages)', async () => {
    expect((await run(C.forumPlain, 'subscribe')).content).not.toMatch(/thread/);
    expect((await run(C.forumPlain, 'digest', { action: 'now' })).content).toMatch(/^✅ Posted 5 papers/);
    const posts = bot.discord.threads(C.forumPlain);
    expect(posts).toHaveLength(1);
    const [first, ...papers] = bot.discord.messages(posts[0]!.id);
    expect(first!.embeds[0].title).toBe(posts[0]!.name);
    expect(papers).toHaveLength(5);
    for (const m of papers) expect([...(m.reactions.get('🔖') ?? [])]).toEqual([bot.discord.appId]);
    // One plain attempt is refused (50008); the channel is then known to be a forum.
    expect(bot.discord.rejected().filter((r) => r.path === `/channels/${C.forumPlain}/messages`).map((r) => r.status)).toEqual([400]);
  });

  it('a command run in a forum post speaks for the forum: subscribe there, and each digest is a new post', async () => {
    const question = bot.discord.userForumPost(C.forumCmd, { name: 'papers bot here?' });
    expect((await run(question, 'subscribe')).content).toMatch(/^✅ Subscribed/);
    expect(await bot.store.getSubscription(ref(C.forumCmd))).not.toBeNull();
    expect(await bot.store.getSubscription(ref(question))).toBeNull();
    expect((await run(question, 'digest', { action: 'now' })).content).toMatch(/^✅ Posted 5 papers/);
    const posts = bot.discord.threads(C.forumCmd);
    expect(posts.map((p) => p.ownerId)).toEqual([DEFAULT_USER.id, bot.discord.appId]);
    expect(bot.discord.messages(posts[1]!.id)).toHaveLength(6);
    // The member's post holds only its own message and the command's answers.
    expect(bot.discord.messages(question).filter((m) => m.interactionId === null)).toHaveLength(1);
  });

  it('without Create Public Threads the papers go in the channel, and the digest succeeds', async () => {
    bot.discord.noCreateThreads.add(C.locked);
    await threaded(C.locked);
    expect((await run(C.locked, 'digest', { action: 'now' })).content).toMatch(/^✅ Posted 5 papers/);
    expect(bot.discord.messages(C.locked).filter((m) => m.interactionId === null)).toHaveLength(6);
    expect(bot.discord.threads(C.locked)).toEqual([]);
    // One refused start per digest, not one per paper.
    expect(bot.discord.rejected().filter((r) => r.path.endsWith('/threads'))).toHaveLength(1);
    expect(bot.logs.some((l) => l.msg?.includes('cannot start the digest thread'))).toBe(true);
  });

  it('a retried delivery finds the paper its lost attempt sent in the thread, and sends it once', async () => {
    await threaded(C.retry);
    const plan = await planOf(C.retry);
    await bot.services.digests.deliver(ref(C.retry), { ...plan, messages: plan.messages.slice(0, 1) }, bot.platform);
    const headerId = bot.discord.messages(C.retry).find((m) => m.interactionId === null)!.id;
    // An attempt that sent the first paper into the thread, then died before recording it.
    const lost = plan.messages[1]!;
    const header = plan.messages[0]!;
    if (header.kind !== 'digestHeader') throw new Error('the plan starts with its header');
    await bot.platform.post(ref(C.retry), lost, { idempotencyKey: digestMessageKey(ref(C.retry), lost), thread: { name: threadName(header), parentMessageId: headerId } });
    const out = await bot.services.digests.deliver(ref(C.retry), plan, bot.platform, { inFlightKey: digestMessageKey(ref(C.retry), lost) });
    expect(out.posted).toBe(5);
    expect(paperIdsIn(bot.discord.messages(headerId))).toEqual(plan.messages.slice(1).map((m) => (m.kind === 'digestPaper' ? m.paper.id : null)));
    expect(bot.discord.requests.some((r) => r.method === 'GET' && r.path === `/channels/${headerId}/messages`)).toBe(true);
  });

  it('a forum post whose answer was lost is found among the active threads, not opened twice', async () => {
    await threaded(C.forumRetry);
    const plan = await planOf(C.forumRetry);
    bot.discord.fault({ kind: 'serverError', method: 'POST', path: `/channels/${C.forumRetry}/threads`, afterCommit: true, times: 1 });
    await expect(bot.services.digests.deliver(ref(C.forumRetry), plan, bot.platform)).rejects.toThrow();
    expect(bot.discord.threads(C.forumRetry)).toHaveLength(1);
    const out = await bot.services.digests.deliver(ref(C.forumRetry), plan, bot.platform, { inFlightKey: digestMessageKey(ref(C.forumRetry), plan.messages[0]!) });
    expect(out.posted).toBe(5);
    const posts = bot.discord.threads(C.forumRetry);
    expect(posts).toHaveLength(1);
    expect(bot.discord.messages(posts[0]!.id)).toHaveLength(6);
    expect((await bot.store.listPosted(ref(C.forumRetry), plan.day))[0]!.messageId).toBe(posts[0]!.id);
  });

  it('threads off (the default) posts every message in the channel, as before', async () => {
    expect((await run(C.plain, 'subscribe')).content).not.toMatch(/thread/);
    await run(C.plain, 'digest', { action: 'now' });
    expect(bot.discord.messages(C.plain).filter((m) => m.interactionId === null)).toHaveLength(6);
    expect(bot.discord.threads(C.plain)).toEqual([]);
    expect((await run(C.plain, 'settings', { threads: true })).content).toMatch(/^✅ Saved: .*papers in a thread/);
    expect((await bot.store.getSubscription(ref(C.plain)))!.threads).toBe(true);
    expect((await run(C.plain, 'settings', { threads: false })).content).not.toMatch(/thread/);
    expect((await bot.store.getSubscription(ref(C.plain)))!.threads).toBeUndefined();
  });
});
