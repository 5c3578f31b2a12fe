/**
 * The Discord plug-in: everything the app knows about Discord, in one record. The SDK
 * code loads only when a factory or the CLI runs, so reading config never loads discord.js.
 */
import { definePlatform } from '../descriptor.js';
import { discordConfig, type DiscordSection } from './discord-config.js';
import { describeShardIds } from './shards.js';

/**
 * Pacing belongs to the shared limiter (src/redis/gcra-rate-limiter.ts), which paces every
 * process evenly. discord.js would pace each process on its own, with a fixed one-second
 * window that lets held-back requests leave in a clump, and would wait out and retry any
 * 429 by itself, outside the shared pacing (12–13 global 429s per storm run at 50/s): so
 * its own global limiter is lifted out of the way and every rate limit, global or
 * per-route, is handed back (RateLimitedError) for RateLimitedPlatform to wait out and
 * take a fresh turn. Interaction callbacks and follow-ups are the exception: Discord
 * keeps them out of the global limit, and no one could retry a failed reply, so the
 * library waits their per-route limits itself.
 */
const INTERACTION_ROUTE = /^\/(interactions|webhooks)\//;
const REST_OPTIONS = { globalRequestsPerSecond: 10_000, rejectOnRateLimit: (data: { route: string }) => !INTERACTION_ROUTE.test(data.route) };

export const discordPlatform = definePlatform<DiscordSection>({
  name: 'discord',
  permissionRefusal: 'Only members with the Manage Channels permission in this channel can change its digest.',
  config: discordConfig,
  enabled: (s) => s.connection !== undefined,
  // The shards as configured; the platform logs the ids it actually runs once `auto` is resolved.
  describe: ({ shards }) => (shards.count === 'auto' && !shards.ids ? 'Discord' : `Discord (shards ${shards.ids ? describeShardIds(shards.ids) : 'all'} of ${shards.count})`),
  // One bucket for every Discord call: the global limit (50/s) counts messages and reactions
  // alike. Per-route buckets (5 messages / 5 s per channel) are discord.js's, from the headers.
  rates: (s) => () => ({ key: 'discord:global', rate: { perSecond: s.requestsPerSecond, burst: 1 } }),
  async createBot(s, deps) {
    const { DiscordPlatform } = await import('./discord-platform.js');
    return new DiscordPlatform({ ...s.connection!, commands: deps.commands, log: deps.log.child({ platform: 'discord' }), rest: REST_OPTIONS, invalidRequestsOpenAt: s.invalidRequestsOpenAt, shards: s.shards, ...(deps.turns ? { identifyTurns: deps.turns } : {}), ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  },
  async createPoster(s, deps) {
    const { DiscordPlatform } = await import('./discord-platform.js');
    return new DiscordPlatform({ ...s.connection!, commands: deps.commands, log: deps.log.child({ platform: 'discord' }), gateway: false, rest: REST_OPTIONS, invalidRequestsOpenAt: s.invalidRequestsOpenAt, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  },
  cli: {
    usage: '  discord register [--guild ID]      Register /papers with Discord (see docs/discord.md)',
    async run(args, s) {
      const { discordCli } = await import('./discord-cli.js');
      return discordCli(args, { discord: s.connection });
    },
  },
});
