/**
 * Opt-in pings on Discord, end to end: the real discord.js client against the stand-in.
 * `/papers settings ping:@role` arrives as a role option (type 8) with the role in
 * data.resolved.roles; the core checks Manage Roles and whether the role can be mentioned
 * (its flag, or the bot's Mention Everyone in app_permissions); the digest header then
 * mentions that role with allowed_mentions naming exactly it, and nothing else pings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import { buildCommand } from '../../../src/platforms/discord/register.js';
import { validateCommand as standinValidate } from '../../support/discord-standin/validate.js';
import { PERMISSIONS, pingsOf, type StandinRole } from '../../support/discord-standin/index.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const G = '900000000000000001';
const C = { pinged: '900000000000000201', quiet: '900000000000000202', none: '900000000000000203' };
const PAPERS: StandinRole = { id: '900000000000000777', name: 'papers', mentionable: true };
const HIDDEN: StandinRole = { id: '900000000000000778', name: 'hidden', mentionable: false };
const ref = (channelId: string): ChannelRef => ({ platform: 'discord', workspaceId: G, channelId });
const standin = { guilds: [{ id: G, name: 'Papers Lab', channels: Object.entries(C).map(([name, id]) => ({ id, name })) }] };

describe('Discord: settings --ping and the pinging digest header (discord.js against the stand-in)', () => {
  let bot: DiscordBot;
  const run = async (channelId: string, subcommand: string, o: { options?: Record<string, string | number | boolean>; roles?: Record<string, StandinRole>; permissions?: string; appPermissions?: string } = {}) => {
    const a = await bot.discord.answer(bot.discord.slashCommand({ channelId, subcommand, permissions: PERMISSIONS.manager, ...o }));
    return a.message!;
  };

  beforeAll(async () => {
    bot = await startDiscordBot({ standin });
  });

  afterAll(async () => {
    expect(bot.discord.rejected().map((r) => `${r.method} ${r.path} ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)).toEqual([]);
    await bot.close();
  });

  it('registers ping as a role option (type 8) on settings and subscribe, with no_ping beside it', () => {
    const papers = buildCommand(commands);
    expect(standinValidate(papers)).toEqual([]);
    for (const sub of ['settings', 'subscribe']) {
      const opts = (papers.options ?? []).find((o) => o.name === sub) as unknown as { options: { name: string; type: number }[] };
      expect(opts.options.find((o) => o.name === 'ping')?.type).toBe(8);
      expect(opts.options.find((o) => o.name === 'no_ping')?.type).toBe(5);
    }
  });

  it('refuses a member without Manage Roles, privately and briefly, and stores nothing', async () => {
    await run(C.pinged, 'subscribe');
    const m = await run(C.pinged, 'settings', { roles: { ping: PAPERS } });
    expect(m.content).toBe('❌ Setting a ping needs Manage Roles on Discord (a workspace admin on Slack).');
    expect(m.flags & 64).toBe(64);
    expect((await bot.store.getSubscription(ref(C.pinged)))!.ping).toBeUndefined();
  });

  it('refuses a role that is not mentionable when the bot lacks Mention Everyone; accepts it when the bot has it', async () => {
    await run(C.quiet, 'subscribe');
    const no = await run(C.quiet, 'settings', { roles: { ping: HIDDEN }, permissions: PERMISSIONS.roleManager });
    expect(no.content).toBe("❌ I can't mention @hidden: make it mentionable or give me Mention Everyone.");
    expect((await bot.store.getSubscription(ref(C.quiet)))!.ping).toBeUndefined();
    const yes = await run(C.quiet, 'settings', { roles: { ping: HIDDEN }, permissions: PERMISSIONS.roleManager, appPermissions: PERMISSIONS.botMentionEveryone });
    expect(yes.content).toMatch(/^✅ Saved: .*pings @hidden/);
    // Cleared with no_ping: the settings say nothing about a ping any more.
    expect((await run(C.quiet, 'settings', { options: { no_ping: true } })).content).not.toMatch(/ping/);
    expect((await bot.store.getSubscription(ref(C.quiet)))!.ping).toBeUndefined();
  });

  it('a manager picks a mentionable role: the digest header pings exactly it, the papers ping no one', async () => {
    const saved = await run(C.pinged, 'settings', { roles: { ping: PAPERS }, permissions: PERMISSIONS.roleManager });
    expect(saved.content).toMatch(/^✅ Saved: .*pings @papers/);
    expect(pingsOf(saved)).toEqual({ roles: [], users: [], everyone: false }); // the answer names it, pings no one
    expect((await bot.store.getSubscription(ref(C.pinged)))!.ping).toEqual({ kind: 'role', id: PAPERS.id, name: 'papers' });

    expect((await run(C.pinged, 'digest', { options: { action: 'now' } })).content).toMatch(/^✅ Posted 5 papers/);
    const [header, ...papers] = bot.discord.messages(C.pinged);
    expect(header!.content).toBe(`<@&${PAPERS.id}>`);
    expect(header!.allowedMentions).toEqual({ parse: [], roles: [PAPERS.id] });
    expect(pingsOf(header!)).toEqual({ roles: [PAPERS.id], users: [], everyone: false });
    expect(header!.embeds[0].title).toMatch(/21 Aug 2026/);
    expect(papers).toHaveLength(5);
    for (const m of papers) {
      expect(m.allowedMentions).toEqual({ parse: [] });
      expect(m.content).toBe('');
      expect(pingsOf(m)).toEqual({ roles: [], users: [], everyone: false });
    }
  });

  it('a channel without a ping posts its header mention-free, as before', async () => {
    await run(C.none, 'subscribe');
    await run(C.none, 'digest', { options: { action: 'now' } });
    const posted = bot.discord.messages(C.none);
    expect(posted.length).toBeGreaterThan(1);
    for (const m of posted) {
      expect(m.allowedMentions).toEqual({ parse: [] });
      expect(pingsOf(m).roles).toEqual([]);
    }
  });
});
