/** Discord's configuration section: the variables it reads and its section built from them. */
import { z } from 'zod';
import type { PlatformConfig } from '../descriptor.js';
import { optionalString, url } from '../../env-schema.js';

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
  },
  read(v) {
    const token = v.DISCORD_TOKEN as string | undefined;
    const appId = v.DISCORD_APP_ID as string | undefined;
    const problems: string[] = [];
    if (Boolean(token) !== Boolean(appId)) problems.push(`  ${token ? 'DISCORD_APP_ID' : 'DISCORD_TOKEN'}: required when ${token ? 'DISCORD_TOKEN' : 'DISCORD_APP_ID'} is set`);
    return {
      section: {
        connection: token && appId ? { token, appId, apiBase: v.DISCORD_API_BASE as string } : undefined,
        requestsPerSecond: v.DISCORD_REQUESTS_PER_SECOND as number,
        invalidRequestsOpenAt: v.DISCORD_INVALID_REQUESTS_OPEN_AT as number,
      },
      problems,
    };
  },
};
