/**
 * DISCORD_SHARDS and DISCORD_SHARD_IDS: how they are read and refused, how the platform
 * resolves `auto` with a subset through GET /gateway/bot, and what the stand-in's gateway
 * enforces about IDENTIFY's shard (4010, 4011) and which events each shard gets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { commands } from '../../../commands/index.js';
import { loadConfig } from '../../../src/config.js';
import { ConfigError, type BotError } from '../../../src/core/errors.js';
import { text } from '../../../src/core/reply.js';
import { silentLogger } from '../../../src/log.js';
import type { DiscordSection } from '../../../src/platforms/discord/discord-config.js';
import { DiscordPlatform } from '../../../src/platforms/discord/discord-platform.js';
import { describeShardIds, parseShardIds } from '../../../src/platforms/discord/shards.js';
import { INTENTS, shardOf, startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';

const BASE = { DISCORD_TOKEN: 'test-token-not-real', DISCORD_APP_ID: '100000000000000001', DATA_DIR: '/tmp/unused-papers-data' };
const shardsOf = (env: Record<string, string>) => (loadConfig({ ...BASE, ...env }).platforms.discord as DiscordSection).shards;

/** Guild ids on a given shard of `count`: the shard is the id's timestamp bits (>> 22) modulo the count. */
const guildOn = (shard: number, count: number, n = 0) => ((BigInt(1_000_000 * count + shard + n * count) << 22n) + 7n).toString();

describe('DISCORD_SHARDS and DISCORD_SHARD_IDS', () => {
  it('default to auto and every shard; take a count, ranges and lists', () => {
    expect(shardsOf({})).toEqual({ count: 'auto', ids: undefined });
    expect(shardsOf({ DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: '0-1' })).toEqual({ count: 4, ids: [0, 1] });
    expect(shardsOf({ DISCORD_SHARDS: ' AUTO ', DISCORD_SHARD_IDS: '0, 2' })).toEqual({ count: 'auto', ids: [0, 2] });
    expect(shardsOf({ DISCORD_SHARDS: '16', DISCORD_SHARD_IDS: '8-9,2,0-1,9' })).toEqual({ count: 16, ids: [0, 1, 2, 8, 9] });
    expect(describeShardIds(parseShardIds('0-3,5,7-8') as number[])).toBe('0-3, 5, 7-8');
  });

  it('refuse a bad count, a bad list and ids beyond the count, naming the variable', () => {
    expect(() => shardsOf({ DISCORD_SHARDS: '0' })).toThrow(/DISCORD_SHARDS: must be auto or a whole number from 1/);
    expect(() => shardsOf({ DISCORD_SHARDS: 'two' })).toThrow(/DISCORD_SHARDS: must be auto or a whole number.*"two"/);
    expect(() => shardsOf({ DISCORD_SHARD_IDS: '3-1' })).toThrow(/DISCORD_SHARD_IDS: the range 3-1 runs backwards \(write 1-3\)/);
    expect(() => shardsOf({ DISCORD_SHARD_IDS: '0;1' })).toThrow(/DISCORD_SHARD_IDS: "0;1" is not a shard id or a range/);
    expect(() => shardsOf({ DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: '2-5' })).toThrow(/DISCORD_SHARD_IDS: shard 4, 5 does not exist: with 4 shards the ids are 0–3 \(DISCORD_SHARDS=4\)/);
  });
});

let discord: DiscordStandin | undefined;
let platform: DiscordPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await discord?.close();
  platform = discord = undefined;
});

const handlers = { command: async () => text('ok'), reaction: async () => {}, action: async () => null };

describe('a process running some of the shards', () => {
  it('with auto, takes the total from GET /gateway/bot and connects only its own shards, which carry only their guilds', async () => {
    const guilds = [0, 1, 2].map((s) => ({ id: guildOn(s, 3), channels: [{ id: `92000000000000000${s}` }] }));
    discord = await startDiscordStandin({ shards: 3, maxConcurrency: 3, guilds });
    platform = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), shards: { count: 'auto', ids: [1, 2] } });
    await platform.start(handlers);
    expect(discord.requests.filter((r) => r.path === '/gateway/bot').length).toBeGreaterThanOrEqual(1);
    expect(discord.gateway.readyShards.sort((a, b) => a[0] - b[0])).toEqual([[1, 3], [2, 3]]);
    // The guild on shard 0 is nobody's here: an interaction there reaches no connection.
    expect(() => discord!.slashCommand({ channelId: guilds[0]!.channels[0]!.id, subcommand: 'help' })).toThrow(/no client is connected/);
    const i = discord.slashCommand({ channelId: guilds[2]!.channels[0]!.id, subcommand: 'help' });
    expect(i.shards).toEqual([[2, 3]]);
    expect((await discord.answer(i)).message!.content).toBe('ok');
  });

  it('with auto, refuses ids beyond the count Discord recommends, before connecting', async () => {
    discord = await startDiscordStandin({ shards: 2 });
    platform = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), shards: { count: 'auto', ids: [1, 2] } });
    await expect(platform.start(handlers)).rejects.toThrow(/DISCORD_SHARD_IDS: shard 2 does not exist: with 2 shards the ids are 0–1 \(DISCORD_SHARDS=auto and Discord recommends 2\)/);
    expect(discord.gateway.connections).toBe(0);
  });
});

describe('a bot with fewer shards than Discord requires', () => {
  it('fails start with close code 4011 said as the variable to change', async () => {
    discord = await startDiscordStandin({ shards: 2 });
    platform = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), shards: { count: 1, ids: undefined } });
    const failed = await platform.start(handlers).then(
      () => null,
      (err: unknown) => err as BotError,
    );
    expect(failed).toBeInstanceOf(ConfigError);
    expect(failed!.userMessage).toMatch(/too many servers for this many shards \(close code 4011\)\. Set DISCORD_SHARDS=auto or a larger total/);
    expect(discord.gateway.closes).toEqual([4011]);
  });
});

/** IDENTIFY with a given shard on a bare socket; resolves with the close code, or the READY's guild ids. */
function identify(d: DiscordStandin, shard: unknown): Promise<{ closed: number } | { guilds: string[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${d.gatewayUrl}?v=10&encoding=json`);
    ws.on('close', (code) => resolve({ closed: code }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: d.token, intents: INTENTS.Guilds, properties: {}, ...(shard === undefined ? {} : { shard }) } }));
      if (msg.t === 'READY') {
        resolve({ guilds: msg.d.guilds.map((g: { id: string }) => g.id) });
        ws.terminate();
      }
    });
  });
}

describe('the stand-in gateway with shards', () => {
  it('closes with 4010 for an invalid shard and 4011 when the bot needs more shards; hands each shard its guilds', async () => {
    const guilds = [0, 1, 0].map((s, n) => ({ id: guildOn(s, 2, n), channels: [{ id: `93000000000000000${n}` }] }));
    expect(guilds.map((g) => shardOf(g.id, 2))).toEqual([0, 1, 0]);
    discord = await startDiscordStandin({ shards: 2, guilds });
    expect(await identify(discord, [2, 2])).toEqual({ closed: 4010 });
    expect(await identify(discord, [0, 0])).toEqual({ closed: 4010 });
    expect(await identify(discord, 'zero')).toEqual({ closed: 4010 });
    expect(await identify(discord, undefined)).toEqual({ closed: 4011 });
    expect(await identify(discord, [0, 1])).toEqual({ closed: 4011 });
    expect(discord.gateway.closes).toEqual([4010, 4010, 4010, 4011, 4011]);
    expect(await identify(discord, [0, 2])).toEqual({ guilds: [guilds[0]!.id, guilds[2]!.id] });
    expect(await identify(discord, [1, 2])).toEqual({ guilds: [guilds[1]!.id] });
    // More shards than recommended are allowed, as on Discord; the guilds spread again by (id >> 22) % 4.
    expect(guilds.map((g) => shardOf(g.id, 4))).toEqual([0, 3, 0]);
    expect(await identify(discord, [3, 4])).toEqual({ guilds: [guilds[1]!.id] });
  });
});
