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
 * discord.js also paces itself per process (50/s by default); ours is the shared limit, so
 * the client's own is set just above it and never the one that binds.
 */
function discordRest(config: Config) {
  return { globalRequestsPerSecond: config.rates.discordPerSecond + 2 };
}
