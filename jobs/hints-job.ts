/**
 * Adds the 🔖 reaction under each paper message of a delivered digest, on a queue of its
 * own: hints wait for spare rate-limit capacity and must never hold up a digest. Adding
 * one twice is harmless, so a retry simply adds them all again, and a delivery redone
 * after Redis forgot it (jobs/sweep.ts) revives its finished hints job.
 */
import { z } from 'zod';
import type { ChannelRef } from '../src/core/subscription.js';
import type { PlatformName } from '../src/core/ports.js';
import { channelPayload, jobKey } from './job-ids.js';
import type { JobContext, JobLike, JobQueue } from './job-ports.js';
import { parsePayload } from './parse-payload.js';

export const hintQueue = (platform: PlatformName): string => `papers-hints-${platform}`;
export const HINTS_JOB = 'hints';

export const hintsPayload = channelPayload.extend({
  messageIds: z.array(z.string().min(1).max(100)).min(1).max(20),
});
export type HintsPayload = z.infer<typeof hintsPayload>;

/**
 * The hints of one delivery: the delivery's id says which digest they belong to; `place`
 * names the thread when its papers are in one (thread mode), so each place has its own job.
 */
export const hintsJobId = (deliverJobId: string, place?: string): string => `hints${deliverJobId.slice('deliver'.length)}${place ? jobKey('', place) : ''}`;

/** `place`: the channel the messages are in when it is not the subscription's (payload.channelId is then that one). */
export async function enqueueHints(queue: JobQueue, payload: HintsPayload, deliverJobId: string, place?: string): Promise<void> {
  await queue.add(hintQueue(payload.platform), HINTS_JOB, payload, { jobId: hintsJobId(deliverJobId, place), attempts: 3, revive: true });
}

export async function processHints(job: JobLike, ctx: JobContext): Promise<{ status: 'hinted'; count: number }> {
  const p = parsePayload(hintsPayload, job.data, HINTS_JOB);
  const ref: ChannelRef = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  const platform = ctx.platformFor(ref.platform);
  if (!platform) throw new Error(`no ${ref.platform} connection in this worker`);
  const log = ctx.log.child({ job: job.id, channel: `${ref.platform}:${ref.channelId}` });
  for (const messageId of p.messageIds) await ctx.digests.addHint(platform, ref, messageId, log);
  return { status: 'hinted', count: p.messageIds.length };
}
