/**
 * Two built bot processes sharing one Redis and one PostgreSQL, each running two of the
 * bot's four gateway shards (DISCORD_SHARDS=4, DISCORD_SHARD_IDS=0-1 and 2-3), against a
 * stand-in that routes each guild to shard (guild_id >> 22) % 4 as Discord does. Every
 * guild's commands reach the one process that runs its shard, and a digest asked for in
 * each guild is posted exactly once, whichever process's worker delivers it. The two
 * processes also take turns to identify through Redis, as Discord's identify limit is the
 * bot's, not a process's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../src/paths.js';
import { PERMISSIONS, shardOf, startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';
import { dropSchema, freshSchema, postgresUrl } from '../../support/postgres.js';
import { startTestRedis } from '../../support/redis.js';
import { papers, startBuiltBot, type BuiltBot } from '../../support/spawn.js';
import { tempDir } from '../../support/tmp.js';

const SHARDS = 4;
/** One guild per shard: a snowflake's shard is its timestamp bits (>> 22) modulo the count. */
const GUILDS = Array.from({ length: SHARDS }, (_, s) => {
  const id = ((1_000_000n + BigInt(s)) << 22n).toString();
  return { id, name: `guild-on-shard-${s}`, channels: [{ id: `91000000000000000${s}`, name: 'papers' }] };
});
const OWNERS = [
  { ids: '0-1', shards: [0, 1] },
  { ids: '2-3', shards: [2, 3] },
];

const schema = freshSchema('papers_shards');
const bots: BuiltBot[] = [];
let discord: DiscordStandin | undefined;
afterAll(async () => {
  await Promise.allSettled(bots.map((b) => b.stop()));
  await discord?.close();
  await dropSchema(schema);
});

/** Interaction ids whose command this process answered, from its JSON log lines (on stderr). */
function answered(bot: BuiltBot): Set<string> {
  const ids = new Set<string>();
  for (const line of bot.stderr().split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; interaction?: string };
    if (entry.msg === 'command answered' && entry.interaction) ids.add(entry.interaction);
  }
  return ids;
}

describe('Discord sharding across two bot processes', () => {
  it('routes each guild to the process running its shard, and posts every digest once', async () => {
    expect(GUILDS.map((g) => shardOf(g.id, SHARDS))).toEqual([0, 1, 2, 3]);
    // max_concurrency 2: buckets {0, 2} and {1, 3}, each shared by a shard of either process.
    discord = await startDiscordStandin({ shards: SHARDS, maxConcurrency: 2, guilds: GUILDS });
    const redis = await startTestRedis();
    const store = { DATABASE_URL: await postgresUrl(), DATABASE_SCHEMA: schema };
    // The shared store filled once, before either bot starts (as an operator would).
    const imported = await papers(['import', SAMPLE_DIR], { env: { ...store, DATA_DIR: tempDir() } });
    expect(imported.code, imported.stderr).toBe(0);

    const env = { ...store, DISCORD_TOKEN: discord.token, DISCORD_APP_ID: discord.appId, DISCORD_API_BASE: discord.apiBase, REDIS_URL: redis.url, SEED_SAMPLE: 'false', HF_BASE_URL: 'http://127.0.0.1:9', HF_RETRIES: '0', LOG_LEVEL: 'info', DISCORD_SHARDS: String(SHARDS) };
    bots.push(...(await Promise.all(OWNERS.map((o) => startBuiltBot({ ...env, DATA_DIR: tempDir(), DISCORD_SHARD_IDS: o.ids })))));
    for (const [n, bot] of bots.entries()) expect(bot.stderr()).toContain(`Discord (shards ${OWNERS[n]!.ids} of ${SHARDS})`);

    // Each shard identified exactly once, with the total, and nothing else connected.
    const identified = discord.gateway.identifies.map((i) => i.shard).sort((a, b) => a![0] - b![0]);
    expect(identified).toEqual([0, 1, 2, 3].map((s) => [s, SHARDS]));
    expect(discord.gateway.readySessions).toBe(SHARDS);
    expect(discord.gateway.closes).toEqual([]);
    // Discord allows one identify per bucket per 5 s for the whole bot: the two processes take turns through Redis.
    // The gate spaces the turns by exactly 5 s; the frames arrive that far apart give or take how long each process
    // took from its turn to the socket (measured 4,831 ms once on a loaded machine). Without the gate they arrive
    // together (within ~0.2 s), so 4 s tells the two apart with room for a slow machine.
    for (const bucket of [0, 1]) {
      const [first, second] = discord.gateway.identifies.filter((i) => i.shard![0] % 2 === bucket).map((i) => i.at);
      expect(second! - first!, `bucket ${bucket}`).toBeGreaterThanOrEqual(4_000);
    }

    // A search and a `digest now` in every guild: delivered on its shard only, answered once, by its owner.
    const asked: { shard: number; id: string }[] = [];
    const ask = async (kind: 'search' | 'digest', shard: number) => {
      const channelId = GUILDS[shard]!.channels[0]!.id;
      const i =
        kind === 'search'
          ? discord!.slashCommand({ channelId, subcommand: 'search', options: { query: 'sparse attention' } })
          : discord!.slashCommand({ channelId, subcommand: 'digest', options: { action: 'now' }, permissions: PERMISSIONS.manager });
      asked.push({ shard, id: i.id });
      const a = await discord!.answer(i, 30_000);
      expect(i.shards).toEqual([[shard, SHARDS]]);
      expect(i.callbacks).toHaveLength(1);
      return a.message!.content;
    };
    const shards = GUILDS.map((_, s) => s);
    for (const reply of await Promise.all(shards.map((s) => ask('search', s)))) expect(reply).toMatch(/^\*\*Search: sparse attention\*\*/);
    for (const reply of await Promise.all(shards.map((s) => ask('digest', s)))) expect(reply).toMatch(/^✅ Posting 5 papers from /);
    await discord.waitFor(() => asked.every((c) => bots.some((b) => answered(b).has(c.id))), { timeoutMs: 10_000, what: 'the logs to name every command answered' });
    for (const [n, bot] of bots.entries()) {
      const mine = asked.filter((c) => OWNERS[n]!.shards.includes(c.shard)).map((c) => c.id);
      expect([...answered(bot)].sort()).toEqual(mine.sort());
    }

    // Each channel shows its digest (a header and five papers, each with its 🔖) once.
    const complete = () => GUILDS.every((g) => discord!.messages(g.channels[0]!.id).filter((m) => m.reactions.get('🔖')?.has(discord!.appId)).length === 5);
    await discord.waitFor(complete, { timeoutMs: 30_000, what: 'every digest and its 🔖 hints' });
    // Longer than a worker takes to pick up a job: a second delivery would show by now.
    await new Promise((r) => setTimeout(r, 1500));
    for (const g of GUILDS) {
      const posted = discord.messages(g.channels[0]!.id);
      expect(posted, g.name).toHaveLength(6);
      expect(new Set(posted.map((m) => m.nonce)).size, g.name).toBe(6);
    }
    expect(discord.deduplicated).toBe(0);
    expect(discord.rejected()).toEqual([]);

    for (const bot of bots.splice(0)) expect(await bot.stop()).toBe(0);
  }, 60_000);
});
