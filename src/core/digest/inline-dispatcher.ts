/**
 * `/papers digest now` without a queue: runs the digest in this process. The console
 * uses it; with a worker, the queue-backed dispatcher takes its place so a manual run
 * and the schedule share one idempotent job.
 */
import { BotError } from '../errors.js';
import type { ChatPlatform, DigestDispatcher, DigestRunOutcome, PlatformName } from '../ports.js';
import type { ChannelRef, Subscription } from '../subscription.js';
import type { DigestService } from './digest-service.js';

export class InlineDigestDispatcher implements DigestDispatcher {
  constructor(
    private readonly digests: DigestService,
    private readonly platformFor: (name: PlatformName) => ChatPlatform | undefined,
  ) {}

  async runNow(sub: Subscription | (ChannelRef & Partial<Subscription>)): Promise<DigestRunOutcome> {
    const platform = this.platformFor(sub.platform);
    if (!platform) throw new BotError('unavailable', `The ${sub.platform} connection is not running, so I cannot post here right now.`);
    return this.digests.run(sub as Subscription, 'now', platform);
  }
}
