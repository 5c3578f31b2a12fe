/**
 * End to end, offline: the real discord.js Client logs in to the local stand-in of
 * Discord (REST + gateway) and the whole bot answers through it, exactly as wired in
 * production. Every test drives the bot as a user would (slash commands, buttons,
 * reactions) and asserts what Discord would show and what the store holds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordPlatform } from '../../../src/platforms/discord/index.js';
import { BotError, ChannelUnavailableError, GENERIC_FAILURE } from '../../../src/core/errors.js';
import type { ChannelRef, PlatformHandlers } from '../../../src/core/ports.js';
import { text } from '../../../src/core/reply.js';
import { DiscordPlatform, nonceFor } from '../../../src/platforms/discord/discord-platform.js';
import { commands } from '../../../commands/index.js';
import { silentLogger } from '../../../src/log.js';
import { INTENTS, PERMISSIONS, startDiscordStandin, type StandinUser, type StoredMessage } from '../../support/discord-standin/index.js';
import { makePaper } from '../../support/papers.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const G = '900000000000000001';
const C = {
  cmd: '900000000000000101',
  digest: '900000000000000102',
  rest: '900000000000000103',
  gone: '900000000000000104',
  noAccess: '900000000000000105',
  sub: '900000000000000106',
  restart: '900000000000000107',
};
const ADA: StandinUser = { id: '200000000000000001', username: 'ada' };
const BOB: StandinUser = { id: '200000000000000002', username: 'bob' };
const ref = (channelId: string): ChannelRef => ({ platform: 'discord', workspaceId: G, channelId });
const buttons = (m: StoredMessage) => m.components.flatMap((r: { components: { custom_id?: string; label?: string; url?: string; disabled?: boolean }[] }) => r.components);
const standin = { guilds: [{ id: G, name: 'Papers Lab', channels: Object.entries(C).map(([name, id]) => ({ id, name })) }] };

describe('Discord bot end to end (discord.js against the local stand-in)', () => {
  let bot: DiscordBot;

  beforeAll(async () => {
    bot = await startDiscordBot({ standin });
  });

  afterAll(async () => {
    // Nothing the bot sent was refused by "Discord", and every interaction was acknowledged in time.
    expect(bot.discord.rejected().map((r) => `${r.method} ${r.path} ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)).toEqual([]);
    expect([...bot.discord.interactions.values()].filter((i) => i.late > 0 || i.callbacks.length === 0).map((i) => i.id)).toEqual([]);
    await bot.close();
  });

  it('logs in with Guilds, GuildMessageReactions and DirectMessageReactions only, and keeps the heartbeat going', async () => {
    const { gateway } = bot.discord;
    expect(gateway.identifies).toHaveLength(1);
    expect(gateway.identifies[0]!.intents).toBe(INTENTS.Guilds | INTENTS.GuildMessageReactions | INTENTS.DirectMessageReactions);
    expect(bot.discord.requests.find((r) => r.path === '/gateway/bot')?.auth).toBe(true);
    await bot.discord.waitFor(() => gateway.heartbeats >= 2, { what: 'two heartbeats' });
    expect(gateway.heartbeatAcks).toBe(gateway.heartbeats);
    expect(bot.platform.botUserId).toBe(bot.discord.appId);
  });

  it('answers a slash command search privately with one embed per paper, escaped and mention-free', async () => {
    const i = bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'search', options: { query: 'sparse attention' } });
    const a = await bot.discord.answer(i);
    expect(a.deferred).toBe(false);
    const m = a.message!;
    expect(m.flags & 64).toBe(64); // ephemeral
    expect(m.content).toMatch(/^\*\*Search: sparse attention\*\*\n\d+ matches/);
    expect(m.embeds).toHaveLength(5);
    expect(m.embeds[0].url).toMatch(/^https:\/\/huggingface\.co\/papers\/\d{4}\.\d{5}$/);
    expect(m.embeds.map((e: { title: string }) => e.title.split('.')[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(m.allowedMentions).toEqual({ parse: [] });
    const labels = buttons(m).map((b) => b.label);
    expect(labels).toEqual(['Save 1', 'Save 2', 'Save 3', 'Save 4', 'Save 5', 'Prev', expect.stringMatching(/^Page 1 of \d+$/), 'Next']);
  });

  it('pages search results with buttons whose state lives in the custom_id', async () => {
    const first = (await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'search', options: { query: 'video generation' } }))).message!;
    const next = buttons(first).find((b) => b.label === 'Next')!;
    expect(next.custom_id).toMatch(/^pg:search:2:/);
    const page1Titles = first.embeds.map((e: { title: string }) => e.title);

    const click = bot.discord.clickButton({ messageId: first.id, customId: next.custom_id! });
    const a = await bot.discord.answer(click);
    expect(a.kind).toBe('update'); // the same message, edited in place
    expect(a.message!.id).toBe(first.id);
    expect(a.message!.embeds[0].title).toMatch(/^6\. /);
    expect(a.message!.embeds.map((e: { title: string }) => e.title)).not.toEqual(page1Titles);
    expect(buttons(a.message!).find((b) => b.label?.startsWith('Page'))?.label).toMatch(/^Page 2 of/);

    const prev = buttons(a.message!).find((b) => b.label === 'Prev')!;
    const back = await bot.discord.answer(bot.discord.clickButton({ messageId: first.id, customId: prev.custom_id! }));
    expect(back.message!.embeds.map((e: { title: string }) => e.title)).toEqual(page1Titles);
  });

  it('posts a digest: a themed header, then one message per paper with a 🔖 hint, all recorded and mention-free', async () => {
    const i = bot.discord.slashCommand({ channelId: C.digest, subcommand: 'digest', options: { action: 'now' }, permissions: PERMISSIONS.manager });
    const a = await bot.discord.answer(i);
    expect(a.deferred).toBe(true); // digest is a slow command: deferred at once
    expect(i.callbacks[0]!.type).toBe(5);
    expect(a.message!.content).toMatch(/^✅ Posted 5 papers from Fri,? 21 Aug 2026\.$/);

    const posted = bot.discord.messages(C.digest);
    expect(posted).toHaveLength(6);
    const [header, ...papers] = posted;
    expect(header!.embeds[0].title).toMatch(/21 Aug 2026/);
    expect(header!.embeds[0].description).toMatch(/themes/i);
    for (const [n, m] of papers.entries()) {
      expect(m.embeds).toHaveLength(1);
      expect(m.embeds[0].title).toMatch(new RegExp(`^${n + 1}\\. `));
      expect(buttons(m).map((b) => b.label)).toEqual(expect.arrayContaining(['arXiv', 'PDF', 'Save']));
      expect(m.reactions.get('🔖')?.has(bot.discord.appId)).toBe(true);
    }
    for (const m of posted) {
      expect(m.allowedMentions).toEqual({ parse: [] });
      expect(typeof m.nonce).toBe('string');
      expect(String(m.nonce).length).toBeLessThanOrEqual(25);
    }
    const log = await bot.store.listPosted(ref(C.digest), '2026-08-21');
    expect(log.map((e) => e.messageId)).toEqual(posted.map((m) => m.id));
    expect(log[0]!.kind).toBe('header');
    expect(header!.nonce).toBe(nonceFor(`discord:${C.digest}:2026-08-21:header`));
  });

  it('bookmarks on a 🔖 reaction and unbookmarks when it is removed; ignores other emoji, other messages and its own reactions', async () => {
    const [header, first, second] = bot.discord.messages(C.digest);
    const paperOf = async (m: StoredMessage) => (await bot.store.findPostedByMessage('discord', C.digest, m.id))!.paperId!;
    const marks = async (u: StandinUser) => (await bot.store.listBookmarks('discord', u.id)).map((b) => b.paperId);

    // Noise first: another emoji, 🔖 on the header, 🔖 on a message the bot never posted.
    bot.discord.react({ channelId: C.digest, messageId: first!.id, emoji: '👍', user: BOB });
    bot.discord.react({ channelId: C.digest, messageId: header!.id, emoji: '🔖', user: BOB });
    bot.discord.react({ channelId: C.digest, messageId: '900000000000009999', emoji: '🔖', user: BOB });
    // Then the real one: these messages were never cached by the client (partials at work).
    bot.discord.react({ channelId: C.digest, messageId: second!.id, emoji: '🔖', user: BOB });
    const id = await paperOf(second!);
    await bot.discord.waitFor(async () => (await marks(BOB)).includes(id), { what: 'the bookmark' });
    await bot.platform.idle();
    expect(await marks(BOB)).toEqual([id]);
    // The bot's own 🔖 hints came back through the gateway and were ignored.
    expect(await marks({ id: bot.discord.appId, username: 'bot' })).toEqual([]);

    bot.discord.react({ channelId: C.digest, messageId: second!.id, emoji: '🔖', user: BOB, remove: true });
    await bot.discord.waitFor(async () => (await marks(BOB)).length === 0, { what: 'the bookmark to go' });
  });

  it('saves with the "🔖 Save" button too, answering privately', async () => {
    const [, first] = bot.discord.messages(C.digest);
    const save = buttons(first!).find((b) => b.label === 'Save')!;
    const a = await bot.discord.answer(bot.discord.clickButton({ messageId: first!.id, customId: save.custom_id!, user: ADA }));
    expect(a.kind).toBe('message');
    expect(a.message!.flags & 64).toBe(64);
    expect(a.message!.content).toMatch(/^✅ 🔖 Saved "/);
    const id = (await bot.store.findPostedByMessage('discord', C.digest, first!.id))!.paperId;
    expect((await bot.store.listBookmarks('discord', ADA.id)).map((b) => b.paperId)).toContain(id);
  });

  it('lists bookmarks privately and exports them as a .bib or .md file', async () => {
    const list = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'bookmarks', user: ADA }));
    expect(list.message!.flags & 64).toBe(64);
    expect(list.message!.content).toMatch(/Your bookmarks \(1\)/);
    expect(buttons(list.message!)[0]!.label).toBe('Remove 1');

    const bib = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'bookmarks', options: { action: 'export', format: 'bibtex' }, user: ADA }));
    expect(bib.message!.flags & 64).toBe(64);
    expect(bib.message!.content).toBe('Your 1 bookmark as BibTeX.');
    const file = bib.message!.attachments[0]!;
    expect(file.filename).toBe('bookmarks.bib');
    expect(file.data.toString('utf8')).toMatch(/^@misc\{/);

    const md = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'bookmarks', options: { action: 'export', format: 'markdown' }, user: ADA }));
    expect(md.message!.attachments[0]!.filename).toBe('bookmarks.md');
  });

  it('refuses subscribe, unsubscribe and settings without Manage Channels, privately, and allows them with it', async () => {
    for (const subcommand of ['subscribe', 'unsubscribe', 'settings']) {
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.sub, subcommand, permissions: PERMISSIONS.member, user: BOB }));
      expect(a.message!.flags & 64).toBe(64);
      expect(a.message!.content).toBe(`❌ ${discordPlatform.permissionRefusal}`);
    }
    expect(await bot.store.getSubscription(ref(C.sub))).toBeNull();

    const ok = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.sub, subcommand: 'subscribe', options: { time: '08:30', timezone: 'Europe/Paris', top: 3 }, permissions: PERMISSIONS.manager }));
    expect(ok.message!.content).toMatch(/^✅ Subscribed/);
    expect(await bot.store.getSubscription(ref(C.sub))).toMatchObject({ hour: 8, minute: 30, timezone: 'Europe/Paris', topN: 3, createdBy: ADA.id });
    const admin = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.sub, subcommand: 'settings', options: { top: 4 }, permissions: PERMISSIONS.admin }));
    expect(admin.message!.content).toMatch(/^✅ Saved/);
  });

  it('suggests paper ids by title and timezones while typing', async () => {
    const papers = await bot.discord.answer(bot.discord.autocomplete({ channelId: C.cmd, subcommand: 'show', option: 'paper', text: 'video' }));
    expect(papers.kind).toBe('choices');
    expect(papers.choices!.length).toBeGreaterThan(0);
    for (const c of papers.choices!) {
      expect(c.value).toMatch(/^\d{4}\.\d{5}$/);
      expect(c.name.startsWith(`${c.value} · `)).toBe(true);
      expect(c.name.length).toBeLessThanOrEqual(100);
    }
    const zones = await bot.discord.answer(bot.discord.autocomplete({ channelId: C.cmd, subcommand: 'subscribe', option: 'timezone', text: 'paris' }));
    expect(zones.choices!.map((c: { value: string }) => c.value)).toContain('Europe/Paris');
  });

  describe('bad input', () => {
    it('answers an unknown subcommand with help, and ignores unknown options', async () => {
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'frobnicate' }));
      expect(a.message!.embeds[0].description).toMatch(/^"frobnicate" is not a command\./);
      const b = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'trending', options: { period: 'week', bogus: 'x', other: 3 } }));
      expect(b.message!.content).toMatch(/^\*\*Trending this week/);
    });

    it('says so, privately, for an id that is no paper', async () => {
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'show', options: { paper: 'not-a-paper' } }));
      expect(a.message!.flags & 64).toBe(64);
      expect(a.message!.content).toMatch(/^❌ "not-a-paper" is not an arXiv id/);
      const b = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'show', options: { paper: '1901.00001' } }));
      expect(b.message!.content).toMatch(/^❌ I have not seen paper 1901\.00001/);
    });

    it('answers a 6,000-character query within the limits', async () => {
      const query = 'attention '.repeat(600);
      expect(query).toHaveLength(6000);
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'search', options: { query } }));
      expect(a.message!.content.length).toBeLessThanOrEqual(2000);
      expect(a.message!.flags & 64).toBe(64);
    });

    it('shortens a paper that would break every embed limit, and breaks mentions in it', async () => {
      const evil = makePaper({
        id: '2608.99991',
        title: `@everyone <@123456789012345678> **${'Very long title '.repeat(60)}**`,
        abstract: `${'An abstract that never ends, with [a link](https://evil.example) and @here. '.repeat(400)}`,
        authors: Array.from({ length: 300 }, (_, k) => `Author ${k} <@&42>`),
        keywords: Array.from({ length: 40 }, (_, k) => `keyword-${k}-${'x'.repeat(50)}`),
        aiSummary: `TL;DR ${'so long '.repeat(300)}`,
        featuredDates: [],
        upvotes: null,
      });
      await bot.store.upsertPapers([evil]);
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'show', options: { paper: evil.id } }));
      const e = a.message!.embeds[0];
      expect(e.title.length).toBeLessThanOrEqual(256);
      expect(e.title).toMatch(/…$/);
      expect(e.description.length).toBeLessThanOrEqual(4096);
      const text = JSON.stringify(a.message!.embeds);
      expect(text).not.toMatch(/@everyone|@here|<@\d|<@&/);
      expect(a.message!.allowedMentions).toEqual({ parse: [] });
    });
  });

  describe('REST delivery', () => {
    const notice = (text: string) => ({ kind: 'notice' as const, text });

    it('waits out a 429 with retry_after, then posts once', async () => {
      bot.discord.fault({ kind: 'rateLimit', method: 'POST', path: `/channels/${C.rest}/messages`, retryAfter: 0.3 });
      const posted = await bot.platform.post(ref(C.rest), notice('after a rate limit'), { idempotencyKey: 'k-429' });
      const tries = bot.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${C.rest}/messages`);
      expect(tries.map((r) => r.status)).toEqual([429, 200]);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(290);
      expect(bot.discord.messages(C.rest).map((m) => m.id)).toEqual([posted.messageId]);
    });

    it('retries a 500, and a 500 whose message was already made is not posted twice (nonce)', async () => {
      bot.discord.fault({ kind: 'serverError', method: 'POST', path: `/channels/${C.rest}/messages` });
      await bot.platform.post(ref(C.rest), notice('after a plain 500'), { idempotencyKey: 'k-500' });
      bot.discord.fault({ kind: 'serverError', method: 'POST', path: `/channels/${C.rest}/messages`, afterCommit: true });
      const before = bot.discord.deduplicated;
      const posted = await bot.platform.post(ref(C.rest), notice('after a lost response'), { idempotencyKey: 'k-lost' });
      expect(bot.discord.deduplicated).toBe(before + 1);
      const texts = bot.discord.messages(C.rest).map((m) => m.content);
      expect(texts).toEqual(['after a rate limit', 'after a plain 500', 'after a lost response']);
      expect(bot.discord.messages(C.rest).at(-1)!.id).toBe(posted.messageId);
      // A whole retried post (a crash between post and posted log) shows no second message either.
      const again = await bot.platform.post(ref(C.rest), notice('after a lost response'), { idempotencyKey: 'k-lost' });
      expect(again.messageId).toBe(posted.messageId);
      expect(bot.discord.messages(C.rest)).toHaveLength(3);
    });

    it('gives up on a lasting 5xx with the raw error (for the caller to retry later)', async () => {
      bot.discord.fault({ kind: 'serverError', method: 'POST', path: `/channels/${C.rest}/messages`, status: 503, times: 4 });
      const err = await bot.platform.post(ref(C.rest), notice('never'), { idempotencyKey: 'k-503' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(BotError);
      expect(bot.discord.messages(C.rest)).toHaveLength(3);
    });

    it('maps a deleted channel (10003) and lost access (50001) to ChannelUnavailableError', async () => {
      bot.discord.channelFault(C.gone, 'unknownChannel');
      bot.discord.channelFault(C.noAccess, 'missingAccess');
      await expect(bot.platform.post(ref(C.gone), notice('x'))).rejects.toMatchObject({ constructor: ChannelUnavailableError, platformCode: '10003' });
      await expect(bot.platform.post(ref(C.noAccess), notice('x'))).rejects.toMatchObject({ constructor: ChannelUnavailableError, platformCode: '50001' });
      // Through a command, the user reads the short message, not the API's.
      const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.gone, subcommand: 'digest', options: { action: 'now' }, permissions: PERMISSIONS.manager }));
      expect(a.message!.content).toBe('❌ I can no longer post in this channel.');
    });

    it('posts and adds the hint from a REST-only instance, without a gateway connection', async () => {
      const connections = bot.discord.gateway.connections;
      const rest = new DiscordPlatform({ token: bot.discord.token, appId: bot.discord.appId, apiBase: bot.discord.apiBase, commands, log: silentLogger(), gateway: false });
      try {
        const { messageId } = await rest.post(ref(C.rest), notice('from the worker'), { idempotencyKey: 'k-worker' });
        await rest.addBookmarkHint(ref(C.rest), messageId);
        expect(bot.discord.message(messageId)!.reactions.get('🔖')?.has(bot.discord.appId)).toBe(true);
      } finally {
        await rest.stop();
      }
      expect(bot.discord.gateway.connections).toBe(connections);
    });
  });

  it('after a restart, old buttons still page and reactions on old messages still bookmark', async () => {
    const list = (await bot.discord.answer(bot.discord.slashCommand({ channelId: C.restart, subcommand: 'search', options: { query: 'agents' } }))).message!;
    await bot.discord.answer(bot.discord.slashCommand({ channelId: C.restart, subcommand: 'digest', options: { action: 'now' }, permissions: PERMISSIONS.manager }));
    const [, paper] = bot.discord.messages(C.restart);
    const identifies = bot.discord.gateway.identifies.length;

    await bot.restart();
    expect(bot.discord.gateway.identifies).toHaveLength(identifies + 1);

    const next = buttons(list).find((b) => b.label === 'Next')!;
    const a = await bot.discord.answer(bot.discord.clickButton({ messageId: list.id, customId: next.custom_id! }));
    expect(a.message!.embeds[0].title).toMatch(/^6\. /);

    bot.discord.react({ channelId: C.restart, messageId: paper!.id, emoji: '🔖', user: BOB });
    const id = (await bot.store.findPostedByMessage('discord', C.restart, paper!.id))!.paperId!;
    await bot.discord.waitFor(async () => (await bot.store.listBookmarks('discord', BOB.id)).some((b) => b.paperId === id), { what: 'the bookmark after restart' });
  });
});

describe('Discord answers in time', () => {
  let bot: DiscordBot;
  const slow = new Set<string>();

  beforeAll(async () => {
    const wrap = (h: PlatformHandlers): PlatformHandlers => ({
      ...h,
      async command(inv) {
        if (inv.command === 'similar') throw new Error('boom: secret detail for the log only');
        if (slow.has(inv.command)) await sleep(300);
        return h.command(inv);
      },
      async action(ev) {
        if (slow.has('action')) await sleep(300);
        return h.action(ev);
      },
      async autocomplete(kind, text) {
        if (slow.has('autocomplete')) await sleep(300);
        return h.autocomplete!(kind, text);
      },
    });
    bot = await startDiscordBot({ standin, platform: { deferAfterMs: 50, autocompleteTimeoutMs: 50 }, wrapHandlers: wrap });
  });

  afterAll(async () => {
    expect(bot.discord.rejected()).toEqual([]);
    expect([...bot.discord.interactions.values()].filter((i) => i.late > 0).length).toBe(0);
    await bot.close();
  });

  it('defers a command that has not answered in time, then edits the reply', async () => {
    slow.add('trending');
    const i = bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'trending' });
    const a = await bot.discord.answer(i);
    expect(i.callbacks.map((c) => c.type)).toEqual([5]);
    expect(a.deferred).toBe(true);
    expect(a.message!.flags & 64).toBe(64);
    expect(a.message!.content).toMatch(/^\*\*Trending · Fri,? 21 Aug 2026\*\*/);
    expect(a.message!.embeds.length).toBeGreaterThan(0);
  });

  it('defers a slow page turn as an update of the same message', async () => {
    const list = (await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'search', options: { query: 'diffusion' } }))).message!;
    slow.add('action');
    const next = buttons(list).find((b) => b.label === 'Next')!;
    const click = bot.discord.clickButton({ messageId: list.id, customId: next.custom_id! });
    const a = await bot.discord.answer(click);
    slow.delete('action');
    expect(click.callbacks.map((c) => c.type)).toEqual([6]);
    expect(a).toMatchObject({ kind: 'update', deferred: true });
    expect(a.message!.id).toBe(list.id);
    expect(a.message!.embeds[0].title).toMatch(/^6\. /);
  });

  it('answers autocomplete with nothing rather than too late', async () => {
    slow.add('autocomplete');
    const a = await bot.discord.answer(bot.discord.autocomplete({ channelId: C.cmd, subcommand: 'show', option: 'paper', text: 'video' }));
    slow.delete('autocomplete');
    expect(a.choices).toEqual([]);
  });

  it('turns an unexpected error into a short private message and logs the details', async () => {
    const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'similar', options: { paper: '2608.19758' } }));
    expect(a.message!.flags & 64).toBe(64);
    expect(a.message!.content).toBe(`❌ ${GENERIC_FAILURE}`);
    expect(JSON.stringify(a.message)).not.toContain('secret detail');
    const logged = bot.logs.find((l) => l.level >= 50 && JSON.stringify(l).includes('secret detail'));
    expect(logged).toBeDefined();
    expect(JSON.stringify(bot.logs)).not.toContain(bot.discord.token);
  });

  it('apologises when Discord refuses the reply itself, logging the error without the interaction token', async () => {
    bot.discord.fault({ kind: 'missingAccess', method: 'POST', path: /^\/interactions\//, times: 1 });
    const i = bot.discord.slashCommand({ channelId: C.cmd, subcommand: 'help' });
    const a = await bot.discord.answer(i);
    expect(a.message!.content).toBe(`❌ ${GENERIC_FAILURE}`);
    const logged = bot.logs.find((l) => l.msg === 'interaction failed' && l.interaction === i.id);
    expect(JSON.stringify(logged)).toContain('Missing Access');
    expect(JSON.stringify(bot.logs)).not.toContain(i.token);
  });
});

describe('Discord login', () => {
  it('fails start() clearly when the token is refused', async () => {
    const discord = await startDiscordStandin();
    const platform = new DiscordPlatform({ token: 'wrong-test-token', appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger() });
    try {
      const handlers = { command: async () => text('x'), reaction: async () => {}, action: async () => null };
      await expect(platform.start(handlers)).rejects.toThrow(/token/i);
      expect(discord.gateway.connections).toBe(0);
    } finally {
      await platform.stop();
      await discord.close();
    }
  });
});
