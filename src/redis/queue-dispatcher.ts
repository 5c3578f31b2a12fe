/**
 * `/papers digest now` with a worker: the bot plans at once (so "nothing new" is answered
 * in the same breath) and queues the delivery through the same `enqueueDelivery` the
 * scheduled tick uses, so a worker posts it within the rate limits like any digest.
 */
import { enqueueDelivery, type DeliveryDeps } from '../../jobs/index.js';
import type { DigestService } from '../core/digest/digest-service.js';
import type { ChannelRef, DigestDispatcher, DigestRunOutcome, Subscription } from '../core/ports.js';
import { DEFAULT_SETTINGS } from '../core/subscription.js';

export class QueueDigestDispatcher implements DigestDispatcher {
  constructor(
    private readonly digests: DigestService,
    private readonly deliveries: DeliveryDeps,
    private readonly ensureFreshUpvotes: () => Promise<void> = async () => {},
  ) {}

  async runNow(sub: Subscription | (ChannelRef & Partial<Subscription>)): Promise<DigestRunOutcome | { queued: true; date: string; papers: number }> {
    await this.ensureFreshUpvotes();
    const plan = await this.digests.plan({ ...DEFAULT_SETTINGS, ...sub }, 'now');
    if ('skip' in plan) return { date: null, posted: 0, skippedReason: plan.skip };
    const ref = { platform: sub.platform, workspaceId: sub.workspaceId, channelId: sub.channelId };
    const queued = await enqueueDelivery(this.deliveries, ref, plan, 'now');
    return { queued: true, date: plan.day, papers: queued.papers };
  }
}
