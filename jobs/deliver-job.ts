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
import type { PlatformName } from '../src/core/ports.js';
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
});
export type DigestDeliverPayload = z.infer<typeof digestDeliverPayload>;

/** A scheduled delivery: one per channel and featured day, whatever fires it. */
export function deliverJobId(c: ChannelIds, day: string, mode: 'scheduled' | 'now', paperIds: readonly string[]): string {
  if (mode === 'scheduled') return jobKey('deliver', c.platform, c.workspaceId, c.channelId, day);
  // `now` may deliver leftovers of an already delivered day: its id names the papers.
  const digest = createHash('sha256').update(paperIds.join(',')).digest('base64url').slice(0, 12);
  return jobKey('deliver', c.platform, c.workspaceId, c.channelId, day, 'now', digest);
}

/** The one way a plan becomes a delivery: the scheduled tick and `digest now` both call it. */
export async function enqueueDelivery(queue: JobQueue, ref: ChannelRef, plan: DigestPlan, mode: 'scheduled' | 'now'): Promise<{ jobId: string; papers: number }> {
  const ids = plan.digest.papers.map((p) => p.id);
  const jobId = deliverJobId(ref, plan.day, mode, ids);
  const payload: DigestDeliverPayload = { platform: ref.platform, workspaceId: ref.workspaceId, channelId: ref.channelId, day: plan.day, mode, messages: plan.messages };
  await queue.add(deliverQueue(ref.platform), DELIVER_JOB, payload, { jobId });
  return { jobId, papers: ids.length };
}

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
  // The job's progress names the message being sent. A later attempt (after a crash or a
  // failed post) asks the platform about that one message before sending it again.
  const progress = job.progress as { sending?: unknown } | undefined;
  const inFlightKey = job.attemptsStarted > 1 && typeof progress?.sending === 'string' ? progress.sending : undefined;
  try {
    const out = await ctx.digests.deliver(ref, { day: p.day, messages: p.messages }, platform, {
      ...(inFlightKey ? { inFlightKey } : {}),
      onSending: async (key) => {
        await job.updateProgress?.({ sending: key });
      },
      // Hints go to their own queue: they wait for spare capacity, the next digest does not wait for them.
      onHints: (messageIds) => enqueueHints(ctx.queue, { ...ref, messageIds }, job.id ?? jobKey('deliver', ref.platform, ref.channelId, p.day)),
    });
    return { status: 'delivered', day: p.day, posted: out.posted };
  } catch (err) {
    if (err instanceof ChannelUnavailableError) {
      const reason = `channel unavailable (${err.platformCode})`;
      await ctx.store.setPaused(ref, true, reason);
      await ctx.schedules.remove(ref);
      log.warn({ reason, detail: err.message }, 'subscription paused: the bot can no longer post in this channel');
      throw new UnrecoverableError(reason);
    }
    // Other refusals that a retry cannot fix (a 4xx the adapter classified) fail at once.
    if (err instanceof BotError && err.code !== 'upstream' && err.code !== 'rate_limited' && err.code !== 'unavailable') {
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }
    throw err;
  }
}
