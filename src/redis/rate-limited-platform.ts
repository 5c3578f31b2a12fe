/**
 * A ChatPlatform whose every outbound call first takes its turn from the shared rate
 * limiter. The limits are the platforms' own, declared by each platform's descriptor
 * (`rates` in src/platforms/<name>/index.ts) and handed in by name through config.
 *
 * Limits are a little under the platforms' so clock jitter does not produce 429s; any
 * 429 that still happens comes back here as a RateLimitedError and is waited out
 * (Retry-After) before a fresh turn.
 */
import { RateLimitedError } from '../core/errors.js';
import type { PlatformCall, RateRules } from '../core/platform-descriptor.js';
import type { ChannelRef, ChatPlatform, PlatformHandlers, PostedRef, PostOptions } from '../core/ports.js';
import type { OutboundMessage } from '../core/reply.js';
import type { Rate, RateLimiter } from './gcra-rate-limiter.js';

/** After this many 429s in a row the post fails and the job's own retry (with backoff) takes over. */
const MAX_RATE_LIMITED_ATTEMPTS = 8;

export interface PlatformRates {
  /** Key and rate for one call on a channel. */
  forCall(platform: string, channel: ChannelRef, call: PlatformCall): { key: string; rate: Rate } | null;
}

/** Each platform's rate rules, by platform name (Config['rates']). A platform not listed is not paced. */
export type RateSettings = Readonly<Record<string, RateRules>>;

export function platformRates(s: RateSettings = {}): PlatformRates {
  return {
    forCall: (platform, channel, call) => s[platform]?.(channel, call) ?? null,
  };
}

const UNPACED: PlatformRates = platformRates();

export class RateLimitedPlatform implements ChatPlatform {
  readonly name: ChatPlatform['name'];
  readonly addBookmarkHint?: (channel: ChannelRef, messageId: string) => Promise<void>;
  readonly findPosted?: (channel: ChannelRef, key: string, opts?: Pick<PostOptions, 'thread'>) => Promise<PostedRef | null>;
  readonly edit?: (channel: ChannelRef, messageId: string, message: OutboundMessage, opts?: PostOptions) => Promise<void>;

  constructor(
    private readonly inner: ChatPlatform,
    private readonly limiter: RateLimiter,
    private readonly rates: PlatformRates = UNPACED,
  ) {
    this.name = inner.name;
    const hint = inner.addBookmarkHint?.bind(inner);
    if (hint) {
      // Hints only use capacity nothing else wants: they never reserve ahead of a digest.
      this.addBookmarkHint = (channel, messageId) => this.paced(channel, 'hint', () => hint(channel, messageId));
    }
    const find = inner.findPosted?.bind(inner);
    if (find) this.findPosted = (channel, key, opts) => this.paced(channel, 'lookup', () => find(channel, key, opts));
    const edit = inner.edit?.bind(inner);
    // Live counts, like hints, only take capacity nothing else wants; so does a DM opened for one.
    if (edit) this.edit = async (channel, messageId, message, opts) => {
      if (this.inner.inboxOpen && this.inner.openInbox && !this.inner.inboxOpen(channel)) await this.paced(channel, 'edit', () => this.inner.openInbox!(channel));
      await this.paced(channel, 'edit', () => edit(channel, messageId, message, opts));
    };
  }

  start(handlers: PlatformHandlers): Promise<void> {
    return this.inner.start(handlers);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  /**
   * A 429 handed back by the adapter (global or per-route: the SDKs are told not to retry
   * them themselves) waits its Retry-After and takes a new turn, so even retries stay
   * inside the shared pace; the message's idempotency key makes a retry of a request that
   * did go through harmless.
   */
  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    // A person's first DM costs one more request (Discord opens the DM channel): it takes a turn of its own.
    if (this.inner.inboxOpen && this.inner.openInbox && !this.inner.inboxOpen(channel)) await this.paced(channel, 'open', () => this.inner.openInbox!(channel));
    return this.paced(channel, 'post', () => this.inner.post(channel, message, opts));
  }

  private async paced<T>(channel: ChannelRef, call: PlatformCall, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.turn(channel, call);
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof RateLimitedError) || attempt >= MAX_RATE_LIMITED_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, err.retryAfterMs));
      }
    }
  }

  private async turn(channel: ChannelRef, call: PlatformCall): Promise<void> {
    const r = this.rates.forCall(this.inner.name, channel, call);
    if (!r) return;
    if (call !== 'hint' && call !== 'edit') return this.limiter.take(r.key, r.rate);
    for (let wait = await this.limiter.tryTake(r.key, r.rate); wait > 0; wait = await this.limiter.tryTake(r.key, r.rate)) {
      await new Promise((res) => setTimeout(res, Math.min(wait, 1_000)));
    }
  }
}
