/**
 * A channel's digest in two jobs. The tick (fired by the channel's job scheduler) plans
 * what the channel gets and enqueues one delivery whose id names the channel and day;
 * the delivery carries the plan and posts it message by message. A retried delivery
 * posts the same plan, so nothing is posted twice and nothing is lost.
 */
import { UnrecoverableError } from 'bullmq';
import { BotError, ChannelUnavailableError } from '../src/core/errors.js';
import { DEFAULT_SETTINGS, type ChannelRef } from '../src/core/subscription.js';
import type { OutboundMessage } from '../src/core/reply.js';
import type { JobContext, JobLike } from './context.js';
import { parsePayload } from './payload.js';
import { deliverJobId, digestDeliverPayload, digestTickPayload, hintsJobId, hintsPayload } from './queues.js';

export type TickResult =
  | { status: 'queued'; day: string; papers: number; deliverJobId: string }
  | { status: 'skipped'; reason: string };

export async function processDigestTick(job: JobLike, ctx: JobContext): Promise<TickResult> {
  const p = parsePayload(digestTickPayload, job.data, 'digest-tick');
  const ref: ChannelRef = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  const log = ctx.log.child({ job: job.id, channel: `${ref.platform}:${ref.channelId}` });
  const sub = await ctx.store.getSubscription(ref);
  if (p.mode === 'scheduled' && (!sub || sub.paused)) {
    // A scheduler that outlived its subscription (or a paused one) is cleaned up, not run.
    if (!sub) await ctx.schedules.remove(ref);
    const reason = sub ? 'subscription paused' : 'no subscription';
    log.info({ reason }, 'digest skipped');
    return { status: 'skipped', reason };
  }
  await ctx.ensureFreshUpvotes();
  const target = sub ?? { ...ref, ...DEFAULT_SETTINGS };
  const plan = await ctx.digests.plan(target, p.mode);
  if ('skip' in plan) return { status: 'skipped', reason: plan.skip };
  const paperIds = plan.digest.papers.map((x) => x.id);
  const deliverId = deliverJobId(ref, plan.day, p.mode, paperIds);
  await ctx.enqueueDeliver({ ...ref, day: plan.day, mode: p.mode, messages: plan.messages as unknown as Record<string, unknown>[] }, deliverId);
  log.info({ day: plan.day, papers: paperIds.length, deliverJobId: deliverId }, 'digest planned');
  return { status: 'queued', day: plan.day, papers: paperIds.length, deliverJobId: deliverId };
}

export interface DeliverResult {
  status: 'delivered';
  day: string;
  posted: number;
}

export async function processDigestDeliver(job: JobLike, ctx: JobContext): Promise<DeliverResult> {
  const p = parsePayload(digestDeliverPayload, job.data, 'digest-deliver');
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
    const out = await ctx.digests.deliver(ref, { day: p.day, messages: p.messages as unknown as OutboundMessage[] }, platform, {
      ...(inFlightKey ? { inFlightKey } : {}),
      onSending: async (key) => {
        await job.updateProgress?.({ sending: key });
      },
      // Hints go to their own queue: they wait for spare capacity, the next digest does not wait for them.
      onHints: (messageIds) => ctx.enqueueHints({ ...ref, messageIds }, hintsJobId(job.id ?? `deliver|${ref.platform}|${ref.channelId}|${p.day}`)),
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

/** Adds the 🔖 reaction under each paper message of a delivered digest (again on a retry: adding one twice is harmless). */
export async function processHints(job: JobLike, ctx: JobContext): Promise<{ status: 'hinted'; count: number }> {
  const p = parsePayload(hintsPayload, job.data, 'hints');
  const ref: ChannelRef = { platform: p.platform, workspaceId: p.workspaceId, channelId: p.channelId };
  const platform = ctx.platformFor(ref.platform);
  if (!platform) throw new Error(`no ${ref.platform} connection in this worker`);
  const log = ctx.log.child({ job: job.id, channel: `${ref.platform}:${ref.channelId}` });
  for (const messageId of p.messageIds) await ctx.digests.addHint(platform, ref, messageId, log);
  return { status: 'hinted', count: p.messageIds.length };
}
