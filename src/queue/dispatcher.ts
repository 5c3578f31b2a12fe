/**
 * `/papers digest now` with a worker: the bot plans at once (so "nothing new" is answered
 * in the same breath) and queues the delivery, which a worker posts within the rate
 * limits like any scheduled digest.
 */
import { deliverJobId, JOB, type DigestDeliverPayload } from '../../jobs/queues.js';
import type { DigestService } from '../core/digest/digest-service.js';
import type { ChannelRef, DigestDispatcher, DigestRunOutcome, Subscription } from '../core/ports.js';
import { DEFAULT_SETTINGS } from '../core/subscription.js';
import type { Queues } from './queues.js';

export class QueueDigestDispatcher implements DigestDispatcher {
  constructor(
    private readonly digests: DigestService,
    private readonly queues: Queues,
    private readonly ensureFreshUpvotes: () => Promise<void> = async () => {},
  ) {}

  async runNow(sub: Subscription | (ChannelRef & Partial<Subscription>)): Promise<DigestRunOutcome | { queued: true; date: string; papers: number }> {
    await this.ensureFreshUpvotes();
    const target = { ...DEFAULT_SETTINGS, ...sub };
    const plan = await this.digests.plan(target, 'now');
    if ('skip' in plan) return { date: null, posted: 0, skippedReason: plan.skip };
    const ref = { platform: sub.platform, workspaceId: sub.workspaceId, channelId: sub.channelId };
    const ids = plan.digest.papers.map((p) => p.id);
    const payload: DigestDeliverPayload = { ...ref, day: plan.day, mode: 'now', messages: plan.messages as unknown as Record<string, unknown>[] };
    await this.queues.digest(sub.platform).add(JOB.digestDeliver, payload, { jobId: deliverJobId(ref, plan.day, 'now', ids) });
    return { queued: true, date: plan.day, papers: ids.length };
  }
}
