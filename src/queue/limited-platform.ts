/**
 * A ChatPlatform whose every outbound call first takes its turn from the shared rate
 * limiter. The limits are the platforms' own:
 *
 * - Discord: 50 requests per second for the bot across all channels (the global limit).
 *   Per-route buckets (5 messages / 5 s per channel, reactions) are handled by discord.js
 *   from the response headers; the global one needs coordination between processes.
 * - Slack: about one message per second per channel, short bursts allowed.
 *
 * Limits are a little under the platforms' so clock jitter does not produce 429s; any
 * 429 that still happens is waited out by the SDKs (Retry-After).
 */
import type { ChannelRef, ChatPlatform, PlatformHandlers, PostedRef, PostOptions } from '../core/ports.js';
import type { OutboundMessage } from '../core/reply.js';
import type { Rate, RateLimiter } from './rate-limit.js';

export interface PlatformRates {
  /** Key and rate for one call on a channel. */
  forCall(platform: string, channel: ChannelRef, call: 'post' | 'hint' | 'lookup'): { key: string; rate: Rate } | null;
}

export const DEFAULT_RATES: PlatformRates = {
  forCall(platform, channel, call) {
    if (platform === 'discord') return { key: 'discord:global', rate: { perSecond: 48, burst: 1 } };
    if (platform === 'slack') {
      if (call === 'post') return { key: `slack:${channel.workspaceId}:${channel.channelId}`, rate: { perSecond: 1, burst: 3 } };
      // reactions.add and conversations.history are per-workspace (Tier 3: 50+ per minute).
      return { key: `slack:${channel.workspaceId}:tier3`, rate: { perSecond: 0.8, burst: 5 } };
    }
    return null;
  },
};

export class RateLimitedPlatform implements ChatPlatform {
  readonly name: ChatPlatform['name'];
  readonly addBookmarkHint?: (channel: ChannelRef, messageId: string) => Promise<void>;
  readonly findPosted?: (channel: ChannelRef, key: string) => Promise<PostedRef | null>;

  constructor(
    private readonly inner: ChatPlatform,
    private readonly limiter: RateLimiter,
    private readonly rates: PlatformRates = DEFAULT_RATES,
  ) {
    this.name = inner.name;
    const hint = inner.addBookmarkHint?.bind(inner);
    if (hint) {
      this.addBookmarkHint = async (channel, messageId) => {
        await this.turn(channel, 'hint');
        return hint(channel, messageId);
      };
    }
    const find = inner.findPosted?.bind(inner);
    if (find) {
      this.findPosted = async (channel, key) => {
        await this.turn(channel, 'lookup');
        return find(channel, key);
      };
    }
  }

  start(handlers: PlatformHandlers): Promise<void> {
    return this.inner.start(handlers);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    await this.turn(channel, 'post');
    return this.inner.post(channel, message, opts);
  }

  private async turn(channel: ChannelRef, call: 'post' | 'hint' | 'lookup'): Promise<void> {
    const r = this.rates.forCall(this.inner.name, channel, call);
    if (r) await this.limiter.take(r.key, r.rate);
  }
}
