/** RateLimitedPlatform: every outbound request takes a turn, the one that opens a person's DM included. */
import { describe, expect, it } from 'vitest';
import type { PlatformCall } from '../../src/core/platform-descriptor.js';
import type { ChannelRef, ChatPlatform } from '../../src/core/ports.js';
import { RateLimitedPlatform, platformRates } from '../../src/redis/rate-limited-platform.js';
import type { Rate, RateLimiter } from '../../src/redis/gcra-rate-limiter.js';

/** A platform whose DMs need opening once per user, as Discord's do. */
function dmPlatform(log: string[]): ChatPlatform {
  const open = new Set<string>();
  return {
    name: 'discord',
    async start() {},
    async stop() {},
    async post(ch) {
      if (ch.channelId.startsWith('dm:') && !open.has(ch.channelId)) log.push(`open ${ch.channelId} (unpaced!)`);
      open.add(ch.channelId);
      log.push(`post ${ch.channelId}`);
      return { messageId: String(log.length) };
    },
    inboxOpen: (ch) => !ch.channelId.startsWith('dm:') || open.has(ch.channelId),
    async openInbox(ch) {
      open.add(ch.channelId);
      log.push(`open ${ch.channelId}`);
    },
  };
}

describe('RateLimitedPlatform', () => {
  it('gives the request that opens a DM a turn of its own, once per person', async () => {
    const log: string[] = [];
    const limiter: RateLimiter = {
      async take(key: string, _rate: Rate) {
        log.push(`turn ${key}`);
      },
      async tryTake() {
        return 0;
      },
    } as unknown as RateLimiter;
    const calls: PlatformCall[] = [];
    const rates = platformRates({ discord: (_ch: ChannelRef, call: PlatformCall) => (calls.push(call), { key: 'discord:global', rate: { perSecond: 50, burst: 1 } }) });
    const p = new RateLimitedPlatform(dmPlatform(log), limiter, rates);
    const dm: ChannelRef = { platform: 'discord', workspaceId: '@me', channelId: 'dm:42' };
    await p.post(dm, { kind: 'notice', text: 'a' });
    await p.post(dm, { kind: 'notice', text: 'b' });
    await p.post({ platform: 'discord', workspaceId: 'g', channelId: 'c1' }, { kind: 'notice', text: 'c' });
    expect(log).toEqual(['turn discord:global', 'open dm:42', 'turn discord:global', 'post dm:42', 'turn discord:global', 'post dm:42', 'turn discord:global', 'post c1']);
    expect(calls).toEqual(['open', 'post', 'post', 'post']);
  });
});
