/** The LiveMessageLog (paper messages whose counts are kept current) in memory; see src/core/live-messages.ts. */
import type { LiveMessage, LiveMessageLog, ShownCounts } from '../core/live-messages.js';
import type { ChannelRef, PlatformName } from '../core/ports.js';

const keyOf = (ref: ChannelRef, messageId: string): string => JSON.stringify([ref.platform, ref.workspaceId, ref.channelId, messageId]);

export class MemoryLiveMessages implements LiveMessageLog {
  private readonly watching = new Map<string, LiveMessage>();

  constructor(protected readonly live: () => void = () => {}) {}

  async watch(m: LiveMessage): Promise<void> {
    this.live();
    const key = keyOf(m, m.messageId);
    if (!this.watching.has(key)) this.watching.set(key, structuredClone(m));
  }

  async watched(opts: { platform: PlatformName; postedSince: string; limit?: number; offset?: number }): Promise<LiveMessage[]> {
    this.live();
    const list = [...this.watching.values()].filter((m) => m.platform === opts.platform && m.postedAt >= opts.postedSince);
    // Stable: Map order is insertion order, the tie-breaker "in record order".
    list.sort((a, b) => (a.postedAt < b.postedAt ? -1 : a.postedAt > b.postedAt ? 1 : 0));
    const from = opts.offset ?? 0;
    return structuredClone(list.slice(from, opts.limit === undefined ? undefined : from + opts.limit));
  }

  async watchedPlatforms(postedSince: string): Promise<PlatformName[]> {
    this.live();
    return [...new Set([...this.watching.values()].filter((m) => m.postedAt >= postedSince).map((m) => m.platform))].sort();
  }

  async setShown(ref: ChannelRef, messageId: string, shown: ShownCounts): Promise<void> {
    this.live();
    const m = this.watching.get(keyOf(ref, messageId));
    if (m) m.shown = { upvotes: shown.upvotes, comments: shown.comments };
  }

  async unwatch(ref: ChannelRef, messageId: string): Promise<void> {
    this.live();
    this.watching.delete(keyOf(ref, messageId));
  }

  async pruneWatched(before: string): Promise<number> {
    this.live();
    let n = 0;
    for (const [k, m] of this.watching) if (m.postedAt < before && this.watching.delete(k)) n++;
    return n;
  }

  /** Forgetting a person: their inbox's messages. */
  protected forgetWatched(platform: PlatformName, channelId: string): void {
    for (const [k, m] of this.watching) if (m.platform === platform && m.channelId === channelId) this.watching.delete(k);
  }
}
