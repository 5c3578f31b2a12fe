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
import { RateLimitedError } from '../core/errors.js';
import type { ChannelRef, ChatPlatform, PlatformHandlers, PostedRef, PostOptions } from '../core/ports.js';
import type { OutboundMessage } from '../core/reply.js';
import type { Rate, RateLimiter } from './gcra-rate-limiter.js';

/** After this many 429s in a row the post fails and the job's own retry (with backoff) takes over. */
const MAX_RATE_LIMITED_ATTEMPTS = 8;

export interface PlatformRates {
  /** Key and rate for one call on a channel. */
  forCall(platform: string, channel: ChannelRef, call: 'post' | 'hint' | 'lookup'): { key: string; rate: Rate } | null;
}

export interface RateSettings {
  /** Discord requests per second for the bot, all channels together (Discord allows 50). */
  discordPerSecond: number;
  /** Slack messages per second per channel (Slack allows about 1, with short bursts). */
  slackPerChannelPerSecond: number;
  /** Slack Tier 3 calls (reactions.add, conversations.history) per minute per workspace (Slack: 50+). */
  slackTier3PerMinute: number;
}

export const DEFAULT_RATE_SETTINGS: RateSettings = { discordPerSecond: 48, slackPerChannelPerSecond: 1, slackTier3PerMinute: 50 };

export function platformRates(s: RateSettings = DEFAULT_RATE_SETTINGS): PlatformRates {
  return {
    forCall(platform, channel, call) {
      // One bucket for every Discord call: the global limit counts messages and reactions alike.
      if (platform === 'discord') return { key: 'discord:global', rate: { perSecond: s.discordPerSecond, burst: 1 } };
      if (platform === 'slack') {
        // A burst of 2 stays inside Slack's "short bursts" whatever their exact size.
        if (call === 'post') return { key: `slack:${channel.workspaceId}:${channel.channelId}`, rate: { perSecond: s.slackPerChannelPerSecond, burst: 2 } };
        // reactions.add and conversations.history are per workspace (Tier 3: 50+ per minute).
        return { key: `slack:${channel.workspaceId}:tier3`, rate: { perSecond: s.slackTier3PerMinute / 60, burst: 5 } };
      }
      return null;
    },
  };
}

export const DEFAULT_RATES: PlatformRates = platformRates();

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
      // Hints only use capacity nothing else wants: they never reserve ahead of a digest.
      this.addBookmarkHint = async (channel, messageId) => {
        const r = this.rates.forCall(this.inner.name, channel, 'hint');
        for (let wait = r ? await this.limiter.tryTake(r.key, r.rate) : 0; wait > 0; wait = await this.limiter.tryTake(r!.key, r!.rate)) {
          await new Promise((res) => setTimeout(res, Math.min(wait, 1_000)));
        }
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

  /**
   * A 429 handed back by the adapter waits its Retry-After and takes a new turn, so even
   * retries stay inside the shared pace; the message's idempotency key makes a retry of a
   * request that did go through harmless.
   */
  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    for (let attempt = 1; ; attempt++) {
      await this.turn(channel, 'post');
      try {
        return await this.inner.post(channel, message, opts);
      } catch (err) {
        if (!(err instanceof RateLimitedError) || attempt >= MAX_RATE_LIMITED_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, err.retryAfterMs));
      }
    }
  }

  private async turn(channel: ChannelRef, call: 'post' | 'hint' | 'lookup'): Promise<void> {
    const r = this.rates.forCall(this.inner.name, channel, call);
    if (r) await this.limiter.take(r.key, r.rate);
  }
}
