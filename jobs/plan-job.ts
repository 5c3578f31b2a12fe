/**
 * The tick a subscription's job scheduler fires at its hour: plans what the channel gets
 * and hands the plan to `enqueueDelivery` (deliver-job.ts), the same call `digest now`
 * makes. Planning has a queue of its own with a small concurrency: a tick costs a few
 * milliseconds of CPU, and a thousand of them run side by side would all finish together,
 * seconds later, before the first digest posts. Taken one after the other, the first
 * digests post while the rest are being planned.
 */
import type { z } from 'zod';
import { dayInZone } from '../src/core/dates.js';
import type { ChannelRef } from '../src/core/subscription.js';
import { enqueueDelivery } from './deliver-job.js';
import { channelPayload, jobKey, type ChannelIds } from './job-ids.js';
import type { JobContext, JobLike } from './job-ports.js';
import { parsePayload } from './parse-payload.js';

export const PLAN_QUEUE = 'papers-plan';
export const PLAN_JOB = 'digest-tick';

export const digestTickPayload = channelPayload;
export type DigestTickPayload = z.infer<typeof digestTickPayload>;

/** The job scheduler of a subscription: one per channel. */
export const schedulerId = (c: ChannelIds): string => jobKey('digest', c.platform, c.workspaceId, c.channelId);

/** The platform a scheduler id belongs to (see schedulerId). */
export const schedulerPlatform = (schedulerKey: string): string | undefined => schedulerKey.split('|')[1];

export type TickResult =
  | { status: 'queued'; day: string; papers: number; deliverJobId: string }
  | { status: 'skipped'; reason: string };

export async function processDigestTick(job: JobLike, ctx: JobContext): Promise<TickResult> {
  const p = parsePayload(digestTickPayload, job.data, PLAN_JOB);
  const ref: ChannelRef = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  const log = ctx.log.child({ job: job.id, channel: `${ref.platform}:${ref.channelId}` });
  const sub = await ctx.store.getSubscription(ref);
  if (!sub || sub.paused) {
    // A scheduler that outlived its subscription (or a paused one) is cleaned up, not run.
    if (!sub) await ctx.schedules.remove(ref);
    const reason = sub ? 'subscription paused' : 'no subscription';
    log.info({ reason }, 'digest skipped');
    return { status: 'skipped', reason };
  }
  await ctx.ensureFreshUpvotes();
  const plan = await ctx.digests.plan(sub, 'scheduled');
  // Planned (posting or skipping) on this local day: the sweep's missed-slot check is satisfied.
  const markSlot = () => ctx.store.deliveries.markSlot(ref, dayInZone(ctx.clock.now(), sub.timezone), ctx.clock.now().toISOString());
  if ('skip' in plan) {
    await markSlot();
    return { status: 'skipped', reason: plan.skip };
  }
  const queued = await enqueueDelivery(ctx, ref, plan, 'scheduled');
  await markSlot();
  log.info({ day: plan.day, papers: queued.papers, deliverJobId: queued.jobId }, 'digest planned');
  return { status: 'queued', day: plan.day, papers: queued.papers, deliverJobId: queued.jobId };
}
