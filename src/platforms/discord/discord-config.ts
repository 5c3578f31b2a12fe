/** Discord's configuration section: the variables it reads and its section built from them. */
import { z } from 'zod';
import type { PlatformConfig } from '../descriptor.js';
import { optionalString, url } from '../../env-schema.js';
import { parseShardCount, parseShardIds, shardIdsProblem, type ShardPlan } from './shards.js';

export interface DiscordConnection {
  token: string;
  appId: string;
  apiBase: string;
}

export interface DiscordSection {
  /** Present when DISCORD_TOKEN and DISCORD_APP_ID are both set. */
  connection: DiscordConnection | undefined;
  /** Requests per second for the bot, shared by every process (Discord's global limit is 50). */
  requestsPerSecond: number;
  /** Invalid requests (401/403/429) per 10 minutes at which this process stops sending. */
  invalidRequestsOpenAt: number;
  /** The gateway shards this process runs (DISCORD_SHARDS, DISCORD_SHARD_IDS). */
  shards: ShardPlan;
}

export const discordConfig: PlatformConfig<DiscordSection> = {
  env: {
    // DISCORD_TOKEN and DISCORD_APP_ID turn the Discord platform on.
    DISCORD_TOKEN: optionalString,
    DISCORD_APP_ID: optionalString,
    /** REST base; the gateway URL is then taken from GET /gateway/bot (tests point both at a stand-in). */
    DISCORD_API_BASE: url('https://discord.com/api'),
    DISCORD_REQUESTS_PER_SECOND: z.coerce.number().positive().max(10_000).default(48),
    // Discord bans an IP at 10,000 in 10 minutes; half leaves room for other processes on it.
    DISCORD_INVALID_REQUESTS_OPEN_AT: z.coerce.number().int().positive().max(9_999).default(5_000),
    // Read as text: `auto` and ranges are checked together in read(), where both are known.
    DISCORD_SHARDS: z.string().default('auto'),
    DISCORD_SHARD_IDS: z.string().default(''),
  },
  read(v) {
    const token = v.DISCORD_TOKEN as string | undefined;
    const appId = v.DISCORD_APP_ID as string | undefined;
    const problems: string[] = [];
    if (Boolean(token) !== Boolean(appId)) problems.push(`  ${token ? 'DISCORD_APP_ID' : 'DISCORD_TOKEN'}: required when ${token ? 'DISCORD_TOKEN' : 'DISCORD_APP_ID'} is set`);
    const count = parseShardCount(v.DISCORD_SHARDS as string);
    const ids = parseShardIds(v.DISCORD_SHARD_IDS as string);
    if (typeof count === 'object') problems.push(`  DISCORD_SHARDS: ${count.problem}`);
    if (typeof ids === 'object' && !Array.isArray(ids)) problems.push(`  DISCORD_SHARD_IDS: ${ids.problem}`);
    const plan: ShardPlan = { count: typeof count === 'object' ? 'auto' : count, ids: Array.isArray(ids) ? ids : undefined };
    // With `auto` the count is only known at start (the platform checks the ids then).
    const outside = typeof plan.count === 'number' ? shardIdsProblem(plan.ids, plan.count) : null;
    if (outside) problems.push(`  DISCORD_SHARD_IDS: ${outside} (DISCORD_SHARDS=${plan.count})`);
    return {
      section: {
        connection: token && appId ? { token, appId, apiBase: v.DISCORD_API_BASE as string } : undefined,
        requestsPerSecond: v.DISCORD_REQUESTS_PER_SECOND as number,
        invalidRequestsOpenAt: v.DISCORD_INVALID_REQUESTS_OPEN_AT as number,
        shards: plan,
      },
      problems,
    };
  },
};
