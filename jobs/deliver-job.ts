/**
 * Posts a planned digest, message by message, exactly once. The plan travels with the
 * delivery job, so every retry posts exactly the same messages; the posted log and the
 * in-flight key (kept in the job's progress) make a retry post only what is missing.
 */
import { UnrecoverableError } from 'bullmq';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DigestPlan } from '../src/core/digest/digest-service.js';
import { BotError, ChannelUnavailableError } from '../src/core/errors.js';
import type { ChannelRef } from '../src/core/subscription.js';
import type { PlannedDelivery, PlatformName } from '../src/core/ports.js';
import { isInboxChannel, pauseInbox } from '../src/core/inbox-pause.js';
import { enqueueHints } from './hints-job.js';
import { channelPayload, dayString, jobKey, type ChannelIds } from './job-ids.js';
import type { JobContext, JobLike, JobQueue } from './job-ports.js';
import { outboundMessage } from './outbound-message-schema.js';
import { parsePayload } from './parse-payload.js';

/** One delivery queue per platform: a process only consumes the platforms it can post to. */
export const deliverQueue = (platform: PlatformName): string => `papers-digest-${platform}`;
export const DELIVER_JOB = 'digest-deliver';

export const digestDeliverPayload = channelPayload.extend({
  day: dayString,
  mode: z.enum(['scheduled', 'now']),
  messages: z.array(outboundMessage).min(1).max(20),
  /** Rebuilt from the outbox by a sweep (jobs/sweep.ts): an earlier attempt may have been lost mid-message. */
  recovered: z.boolean().optional(),
});
export type DigestDeliverPayload = z.infer<typeof digestDeliverPayload>;

/** A scheduled delivery: one per channel and featured day, whatever fires it. */
export function deliverJobId(c: ChannelIds, day: string, mode: 'scheduled' | 'now', paperIds: readonly string[]): string {
  if (mode === 'scheduled') return jobKey('deliver', c.platform, c.workspaceId, c.channelId, day);
  // `now` may deliver leftovers of an already delivered day: its id names the papers.
  const digest = createHash('sha256').update(paperIds.join(',')).digest('base64url').slice(0, 12);
  return jobKey('deliver', c.platform, c.workspaceId, c.channelId, day, 'now', digest);
}

/** What queueing a delivery needs: the outbox is written before Redis hears of it. */
export type DeliveryDeps = Pick<JobContext, 'queue' | 'store' | 'clock'>;

/**
 * The one way a plan becomes a delivery: the scheduled tick and `digest now` both call it.
 * The plan goes to the store's outbox first (an unfinished plan of the same id wins, so a
 * repeated tick posts what was planned first), then to Redis. `revive`: a delivery job of
 * this id that Redis still holds as finished (the store was reset or restored) does not
 * swallow the new one; the posted log decides what goes out.
 */
export async function enqueueDelivery(deps: DeliveryDeps, ref: ChannelRef, plan: DigestPlan, mode: 'scheduled' | 'now'): Promise<{ jobId: string; papers: number }> {
  const ids = plan.digest.papers.map((p) => p.id);
  const jobId = deliverJobId(ref, plan.day, mode, ids);
  const stored = await deps.store.deliveries.plan({ id: jobId, ...channelOnly(ref), day: plan.day, mode, messages: plan.messages, plannedAt: deps.clock.now().toISOString() });
  await requeueDelivery(deps.queue, stored);
  return { jobId, papers: stored.messages.filter((m) => m.kind === 'digestPaper').length };
}

/** Queues a stored plan as it is; `recovered` when a sweep found it unfinished. */
export async function requeueDelivery(queue: JobQueue, d: PlannedDelivery, recovered = false): Promise<boolean> {
  const payload: DigestDeliverPayload = { ...channelOnly(d), day: d.day, mode: d.mode, messages: d.messages, ...(recovered ? { recovered } : {}) };
  return (await queue.add(deliverQueue(d.platform), DELIVER_JOB, payload, { jobId: d.id, revive: true })) !== false;
}

const channelOnly = (c: ChannelRef): ChannelRef => ({ platform: c.platform, workspaceId: c.workspaceId, channelId: c.channelId });

export interface DeliverResult {
  status: 'delivered';
  day: string;
  posted: number;
}

export async function processDigestDeliver(job: JobLike, ctx: JobContext): Promise<DeliverResult> {
  const p = parsePayload(digestDeliverPayload, job.data, DELIVER_JOB);
  const ref: ChannelRef = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  const log = ctx.log.child({ job: job.id, channel: `${ref.platform}:${ref.channelId}`, day: p.day });
  const platform = ctx.platformFor(ref.platform);
  // Queues are per platform, so a worker only takes jobs it can post; this is a guard.
  if (!platform) throw new Error(`no ${ref.platform} connection in this worker`);
  const deliveryId = job.id ?? deliverJobId(ref, p.day, p.mode, []);
  // The job's progress names the message being sent. A later attempt (after a crash or a
  // failed post) asks the platform about that one message before sending it again.
  const progress = job.progress as { sending?: unknown } | undefined;
  const inFlightKey = job.attemptsStarted > 1 && typeof progress?.sending === 'string' ? progress.sending : undefined;
  const finish = (outcome: string) => ctx.store.deliveries.finish(deliveryId, outcome, ctx.clock.now().toISOString());
  ctx.inFlight.add(deliveryId);
  try {
    const out = await ctx.digests.deliver(ref, { day: p.day, messages: p.messages }, platform, {
      ...(inFlightKey ? { inFlightKey } : {}),
      ...(p.recovered && job.attemptsStarted <= 1 ? { recovered: true } : {}),
      onSending: async (key) => {
        await job.updateProgress?.({ sending: key });
      },
      // Hints go to their own queue: they wait for spare capacity, the next digest does not wait for them.
      // Papers in a thread (thread mode) are hinted there, by a job of their own.
      onHints: (messageIds, channelId) => enqueueHints(ctx.queue, { ...ref, ...(channelId ? { channelId } : {}), messageIds }, deliveryId, channelId),
    });
    await finish('delivered');
    return { status: 'delivered', day: p.day, posted: out.posted };
  } catch (err) {
    if (err instanceof ChannelUnavailableError && isInboxChannel(ref.channelId)) {
      const reason = await pauseInbox(ctx, ref, err.platformCode);
      await finish(`failed: ${reason}`);
      log.warn({ reason, detail: err.message }, 'inbox paused: the person cannot be sent a direct message');
      throw new UnrecoverableError(reason);
    }
    if (err instanceof ChannelUnavailableError) {
      const reason = `channel unavailable (${err.platformCode})`;
      await ctx.store.setPaused(ref, true, reason);
      await ctx.schedules.remove(ref);
      await finish(`failed: ${reason}`);
      log.warn({ reason, detail: err.message }, 'subscription paused: the bot can no longer post in this channel');
      throw new UnrecoverableError(reason);
    }
    // Other refusals that a retry cannot fix (a 4xx the adapter classified) fail at once.
    if (err instanceof BotError && err.code !== 'upstream' && err.code !== 'rate_limited' && err.code !== 'unavailable') {
      await finish(`failed: ${err.code}`);
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }
    // Anything else may pass (a platform outage, Redis gone): the plan stays unfinished, so
    // when BullMQ's attempts run out a sweep queues it again (see jobs/sweep.ts).
    throw err;
  } finally {
    ctx.inFlight.delete(deliveryId);
  }
}
