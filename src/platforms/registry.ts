/**
 * Which chat platforms a process runs, from config. The bot gets full platforms
 * (gateway, receivers); a worker gets posters only (REST / Web API), enough to deliver
 * digests without receiving events.
 */
import type { Config } from '../config.js';
import type { CommandSpec } from '../core/commands/spec.js';
import type { ChatPlatform, Logger, PlatformName, Store } from '../core/ports.js';
import { DiscordPlatform } from './discord/discord-platform.js';
import { SlackPlatform } from './slack/slack-platform.js';

export interface PlatformDeps {
  store: Store;
  log: Logger;
  commands: readonly CommandSpec[];
}

/** Discord and Slack as configured, ready to start with the bot's handlers. */
export function createBotPlatforms(config: Config, deps: PlatformDeps): Map<PlatformName, ChatPlatform> {
  const out = new Map<PlatformName, ChatPlatform>();
  if (config.discord) out.set('discord', new DiscordPlatform({ ...config.discord, commands: deps.commands, log: deps.log.child({ platform: 'discord' }), rest: discordRest(config) }));
  if (config.slack) out.set('slack', new SlackPlatform({ slack: config.slack, store: deps.store, commands: deps.commands, log: deps.log.child({ platform: 'slack' }) }));
  return out;
}

/** Posting-only platforms for worker processes. */
export function createPosters(config: Config, deps: PlatformDeps): Map<PlatformName, ChatPlatform> {
  const out = new Map<PlatformName, ChatPlatform>();
  if (config.discord) {
    out.set('discord', new DiscordPlatform({ ...config.discord, commands: deps.commands, log: deps.log.child({ platform: 'discord' }), gateway: false, rest: discordRest(config) }));
  }
  if (config.slack) {
    out.set('slack', new SlackPlatform({ slack: config.slack, store: deps.store, commands: deps.commands, log: deps.log.child({ platform: 'slack' }), webOnly: true }));
  }
  return out;
}

/**
 * The global limit belongs to the worker's shared limiter (src/queue/rate-limit.ts), which
 * paces every process evenly. discord.js would pace each process on its own, with a fixed
 * one-second window that lets held-back requests leave in a clump, and would retry a
 * global 429 at once, outside the shared pacing: so its own limiter is lifted out of the
 * way and a global 429 is handed back (RateLimitedError) for the shared limiter to
 * reschedule. Per-route limits stay with discord.js, which reads them from the headers.
 * Interaction replies are not under the global limit.
 */
function discordRest(_config: Config) {
  return { globalRequestsPerSecond: 10_000, rejectOnRateLimit: (data: { global: boolean }) => data.global };
}
