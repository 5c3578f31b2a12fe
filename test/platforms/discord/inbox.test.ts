/**
 * A person's inbox on Discord, through the real discord.js against the stand-in: the
 * `dm:<user>` ref opens the bot's DM with that user (once), digests and alerts land there
 * with the same idempotency as channel posts, a failed DM is a ChannelUnavailableError
 * the core pauses the inbox on, and /papers works from the DM, from group DMs and from
 * servers without the bot (user installs) without granting channel permissions there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { type DigestTarget } from '../../../src/core/digest/digest-service.js';
import { ChannelUnavailableError, RateLimitedError } from '../../../src/core/errors.js';
import { inboxRef } from '../../../src/core/people.js';
import { toPaperView } from '../../../src/core/views.js';
import { silentLogger } from '../../../src/log.js';
import { DiscordPlatform, nonceFor } from '../../../src/platforms/discord/discord-platform.js';
import { discordPlatform } from '../../../src/platforms/discord/index.js';
import { registerCommands } from '../../../src/platforms/discord/register.js';
import { makeTestServices, type TestServices } from '../../support/bot-harness.js';
import { PERMISSIONS, startDiscordStandin, type DiscordStandin, type StandinUser, type StoredMessage } from '../../support/discord-standin/index.js';
import { convLlava, makePaper } from '../../support/papers.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const ADA: StandinUser = { id: '200000000000000001', username: 'ada' };
const BOB: StandinUser = { id: '200000000000000002', username: 'bob' };
const CY: StandinUser = { id: '200000000000000003', username: 'cy' };
const inbox = (user: StandinUser) => inboxRef({ platform: 'discord', workspaceId: '@me', userId: user.id });
const buttons = (m: StoredMessage) => m.components.flatMap((r: { components: { custom_id?: string; label?: string }[] }) => r.components);
const opens = (d: DiscordStandin) => d.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels');

describe('Discord inbox posting (REST only, as a worker posts)', () => {
  let discord: DiscordStandin;
  let poster: DiscordPlatform;
  let t: TestServices;

  beforeAll(async () => {
    discord = await startDiscordStandin({ nonceWindowMs: 0 });
    poster = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), gateway: false });
    t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', platformFor: () => poster });
  });
  afterAll(async () => {
    await poster?.stop();
    await discord?.close();
  });

  it('delivers a digest to dm:<user> in the bot\'s DM with them, opening it once', async () => {
    const target: DigestTarget = { ...inbox(ADA), timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null };
    const plan = await t.services.digests.plan(target, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    const outcome = await t.services.digests.deliver(target, plan, poster);
    expect(outcome.posted).toBeGreaterThan(0);

    expect(opens(discord)).toHaveLength(1);
    expect(opens(discord)[0]!.body).toEqual({ recipient_id: ADA.id });
    const dm = discord.dmChannel(ADA.id);
    expect(poster.poster.dms.cached(ADA.id)).toBe(dm.id);
    expect(poster.inboxOpen(inbox(ADA))).toBe(true);
    expect(poster.inboxOpen(inbox(CY))).toBe(false);
    const shown = discord.dms(ADA.id);
    expect(shown).toHaveLength(plan.messages.length);
    expect(shown.every((m) => m.guildId === null && m.allowedMentions?.parse?.length === 0)).toBe(true);
    // Logged under the inbox ref, as the core keys it; the 🔖 hints went on the DM messages.
    const log = await t.store.listPosted(inbox(ADA), plan.day);
    expect(log.map((e) => e.messageId)).toEqual(shown.map((m) => m.id));
    expect(shown.slice(1).every((m) => m.reactions.get('🔖')?.has(discord.appId))).toBe(true);
  });

  it('finds a DM post again by its key (a retry long after the nonce window)', async () => {
    const message = { kind: 'digestPaper' as const, date: '2026-08-21', paper: toPaperView(convLlava(), {}), position: 1, of: 1, topic: 'vision encoder' };
    const posted = await poster.post(inbox(BOB), message, { idempotencyKey: 'discord:dm:bob:2026-08-21:2405.15738' });
    expect(await poster.findPosted(inbox(BOB), 'discord:dm:bob:2026-08-21:2405.15738')).toEqual(posted);
    expect(await poster.findPosted(inbox(BOB), 'discord:dm:bob:other')).toBeNull();
    const m = discord.message(posted.messageId)!;
    expect(m.channelId).toBe(discord.dmChannel(BOB.id).id);
    expect(m.embeds[0].description).toContain('*matched: vision encoder*');
  });

  it('posts an instant alert with a Save button per paper, deduplicated by its nonce', async () => {
    const d2 = await startDiscordStandin(); // nonces remembered for 5 minutes, as on Discord
    const p2 = new DiscordPlatform({ token: d2.token, appId: d2.appId, apiBase: d2.apiBase, commands, log: silentLogger(), gateway: false });
    try {
      const alert = { kind: 'alert' as const, batch: '2026-08-21T14', title: '2 new papers match what you follow', items: [{ paper: toPaperView(convLlava(), {}), topic: 'vision' }, { paper: toPaperView(makePaper({ id: '2405.00002' }), {}), topic: 'author:hinton' }] };
      const a = await p2.post(inbox(ADA), alert, { idempotencyKey: 'alert:ada:2026-08-21T14' });
      const b = await p2.post(inbox(ADA), alert, { idempotencyKey: 'alert:ada:2026-08-21T14' });
      expect(b).toEqual(a);
      expect(d2.deduplicated).toBe(1);
      const [m] = d2.dms(ADA.id);
      expect(m!.nonce).toBe(nonceFor('alert:ada:2026-08-21T14'));
      expect(buttons(m!).map((x) => x.label)).toEqual(['Save 1', 'Save 2']);
      expect(d2.rejected()).toEqual([]);
    } finally {
      await p2.stop();
      await d2.close();
    }
  });

  it('maps an undeliverable DM to ChannelUnavailableError: 50007 for a closed DM, 10013 for an unknown user', async () => {
    discord.unreachableUsers.add(CY.id);
    const err = await poster.post(inbox(CY), { kind: 'notice', text: 'hello' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelUnavailableError);
    expect((err as ChannelUnavailableError).platformCode).toBe('50007');
    discord.unreachableUsers.delete(CY.id);
    await expect(poster.post(inbox(CY), { kind: 'notice', text: 'hello again' })).resolves.toMatchObject({ messageId: expect.any(String) });

    discord.unknownUsers.add('200000000000000404');
    const unknown = await poster.post(inbox({ id: '200000000000000404', username: 'ghost' }), { kind: 'notice', text: 'x' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'channel_unavailable', platformCode: '10013' });
    // A channel ref is untouched by all this.
    expect(opens(discord).every((r) => typeof r.body.recipient_id === 'string')).toBe(true);
  });

  it('counts opening a DM against the global limit like every other bot request', async () => {
    const d3 = await startDiscordStandin({ globalRateLimit: 2 });
    const p3 = new DiscordPlatform({ token: d3.token, appId: d3.appId, apiBase: d3.apiBase, commands, log: silentLogger(), gateway: false, rest: { rejectOnRateLimit: () => true } });
    try {
      await p3.post(inbox(ADA), { kind: 'notice', text: 'one' }); // open + post: the second's budget
      const err = await p3.post(inbox(BOB), { kind: 'notice', text: 'two' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(d3.requests.filter((r) => r.status === 429).map((r) => r.path)).toEqual(['/users/@me/channels']);
    } finally {
      await p3.stop();
      await d3.close();
    }
  });
});

describe('Discord from anywhere (user installs) and 🔖 in the DM', () => {
  let bot: DiscordBot;

  beforeAll(async () => {
    bot = await startDiscordBot();
    await registerCommands({ rest: new (await import('discord.js')).REST({ api: bot.discord.apiBase }).setToken(bot.discord.token), appId: bot.discord.appId, specs: commands });
  });
  afterAll(async () => {
    expect(bot.discord.rejected().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
    await bot.close();
  });

  it('answers a slash command typed in the DM with the bot (no guild)', async () => {
    const i = bot.discord.slashCommand({ where: 'dm', subcommand: 'search', options: { query: 'sparse attention' }, user: BOB });
    expect(i.payload.guild_id).toBeUndefined();
    const a = await bot.discord.answer(i);
    expect(a.message!.content).toMatch(/^\*\*Search: sparse attention\*\*/);
    expect(a.message!.channelId).toBe(bot.discord.dmChannel(BOB.id).id);
    // Every paper card carries its Save button: reactions on an interaction reply are not the bot's to see.
    expect(buttons(a.message!).filter((b) => b.label?.startsWith('Save'))).toHaveLength(a.message!.embeds.length);
  });

  it('answers in a server without the bot (a user install) with a Save button on every card', async () => {
    const a = await bot.discord.answer(bot.discord.slashCommand({ where: { userInstallIn: '900000000000000555' }, subcommand: 'trending', user: BOB }));
    expect(a.message!.guildId).toBe('900000000000000555');
    expect(a.message!.embeds.length).toBeGreaterThan(0);
    expect(buttons(a.message!).filter((b) => b.label?.startsWith('Save'))).toHaveLength(a.message!.embeds.length);
    const shown = await bot.discord.answer(bot.discord.slashCommand({ where: { userInstallIn: '900000000000000555' }, subcommand: 'show', options: { paper: a.message!.embeds[0].url.split('/').pop() }, user: BOB }));
    expect(buttons(shown.message!).map((b) => b.label)).toContain('Save');
  });

  it('refuses subscribe in the DM, in a group DM and in a server without the bot, whatever the member may do there', async () => {
    const wheres = ['dm', { privateChannel: '900000000000000777' }, { userInstallIn: '900000000000000555' }] as const;
    for (const where of wheres) {
      const a = await bot.discord.answer(bot.discord.slashCommand({ where, subcommand: 'subscribe', options: { time: '08:30' }, permissions: PERMISSIONS.admin, user: BOB }));
      expect(a.message!.content, JSON.stringify(where)).toBe(`❌ ${discordPlatform.permissionRefusal}`);
    }
    expect(await bot.store.listSubscriptions({ includePaused: true })).toEqual([]);
  });

  it('bookmarks a paper from the inbox DM by 🔖 reaction and by its Save button', async () => {
    const paper = (await bot.store.papersFeaturedBetween('2026-08-21', '2026-08-21'))[0]!;
    const message = { kind: 'digestPaper' as const, date: '2026-08-21', paper: toPaperView(paper, {}), position: 1, of: 1 };
    const posted = await bot.platform.post(inbox(ADA), message);
    await bot.store.recordPosted({ ...inbox(ADA), date: '2026-08-21', kind: 'paper', paperId: paper.id, messageId: posted.messageId, postedAt: new Date().toISOString() });
    bot.discord.react({ channelId: bot.discord.dmChannel(ADA.id).id, messageId: posted.messageId, emoji: '🔖', user: ADA });
    await bot.discord.waitFor(async () => (await bot.store.listBookmarks('discord', ADA.id)).some((b) => b.paperId === paper.id), { what: 'the bookmark from the DM reaction' });

    await bot.store.removeBookmark('discord', ADA.id, paper.id);
    const save = buttons(bot.discord.message(posted.messageId)!).find((b) => b.label === 'Save')!;
    const a = await bot.discord.answer(bot.discord.clickButton({ messageId: posted.messageId, customId: save.custom_id! }));
    expect(a.message!.content).toMatch(/Saved/);
    expect((await bot.store.listBookmarks('discord', ADA.id)).map((b) => b.paperId)).toContain(paper.id);
  });
});
