/**
 * Members who try to make the bot talk, through discord.js and the stand-in with the
 * in-process throttle the bot uses without Redis: `digest now` without Manage Channels,
 * and a flood of searches from one user while another searches too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryThrottle } from '../../../src/core/throttle.js';
import { OTHER_CHANNEL, type StandinUser } from '../../support/discord-standin/index.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const MALLORY: StandinUser = { id: '200000000000000666', username: 'mallory', bot: false };
const MEMBER: StandinUser = { id: '200000000000000667', username: 'member', bot: false };
const OTHER: StandinUser = { id: '200000000000000668', username: 'other', bot: false };
const QUIET_CHANNEL = OTHER_CHANNEL; // unsubscribed

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot({ throttle: new MemoryThrottle() });
});
afterAll(async () => {
  await bot?.close();
});

const refusal = /^❌ (Only members with the Manage Channels permission in this channel can change its digest\.|Slow down: try again in \d+ s\.)$/;

describe('abuse', () => {
  it('50 `digest now` from a member without Manage Channels: every one refused, nothing posted', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => bot.discord.answer(bot.discord.slashCommand({ channelId: QUIET_CHANNEL, subcommand: 'digest', options: { action: 'now' }, user: MALLORY }))),
    );
    const texts = answers.map((a) => a.message!.content);
    for (const t of texts) expect(t).toMatch(refusal);
    expect(texts.filter((t) => /Manage Channels/.test(t)).length).toBeGreaterThanOrEqual(8);
    for (const a of answers) expect(a.message!.flags & 64).toBe(64); // privately
    expect(bot.discord.messages(QUIET_CHANNEL).filter((m) => m.author.bot)).toEqual([]);
    expect(await bot.store.listPosted({ platform: 'discord', workspaceId: bot.discord.channel(QUIET_CHANNEL)!.guildId, channelId: QUIET_CHANNEL }, '2026-08-21')).toEqual([]);
  });

  it('`digest preview` stays open to the same member, and shows only them', async () => {
    const a = await bot.discord.answer(bot.discord.slashCommand({ channelId: QUIET_CHANNEL, subcommand: 'digest', options: { action: 'preview' }, user: MEMBER }));
    expect(a.message!.flags & 64).toBe(64);
    expect(a.message!.content + JSON.stringify(a.message!.embeds)).toMatch(/Preview/);
    expect(bot.discord.messages(QUIET_CHANNEL).filter((m) => m.author.bot)).toEqual([]);
  });

  it('100 searches in a second from one user: a few answered, the rest told to slow down; another user is unaffected', async () => {
    const flood = Array.from({ length: 100 }, () => bot.discord.answer(bot.discord.slashCommand({ subcommand: 'search', options: { query: 'diffusion' }, user: MALLORY })));
    const other = bot.discord.answer(bot.discord.slashCommand({ subcommand: 'search', options: { query: 'diffusion' }, user: OTHER }));
    const answers = await Promise.all(flood);
    const slowed = answers.filter((a) => /^❌ Slow down: try again in \d+ s\.$/.test(a.message!.content));
    // Mallory already spent part of the burst above; at most a burst of 8 gets through.
    expect(answers.length - slowed.length).toBeLessThanOrEqual(8);
    expect(slowed.length).toBeGreaterThanOrEqual(92);
    const o = await other;
    expect(o.message!.content).not.toMatch(/Slow down/);
    expect(JSON.stringify(o.message!.embeds) + o.message!.content).toMatch(/diffusion/i);
  });
});
