/**
 * The tick of a person's inbox scheduler (one per inbox, at its hour in the person's
 * timezone): plans their digest (DigestService.planInbox) and hands it to the same
 * `enqueueDelivery` as a channel's, addressed to their inbox channel (`dm:<user>`), so
 * the outbox, the posted log and the sweep's recovery keep it exactly-once.
 */
import { z } from 'zod';
import { dayInZone } from '../src/core/dates.js';
import { inboxRef } from '../src/core/people.js';
import type { PlatformName } from '../src/core/ports.js';
import { enqueueDelivery } from './deliver-job.js';
import { jobKey, platformName } from './job-ids.js';
import type { JobContext, JobLike } from './job-ports.js';
import { parsePayload } from './parse-payload.js';
import type { TickResult } from './plan-job.js';

/** Inbox ticks share the plan queue (and its small concurrency) with channel ticks. */
export const INBOX_JOB = 'inbox-tick';

export const personPayload = z.object({ platform: platformName, userId: z.string().min(1).max(100) });
export type PersonPayload = z.infer<typeof personPayload>;

/** The job scheduler of an inbox: one per person. */
export const inboxSchedulerId = (platform: PlatformName, userId: string): string => jobKey('inbox', platform, userId);

export async function processInboxTick(job: JobLike, ctx: JobContext): Promise<TickResult> {
  const p = parsePayload(personPayload, job.data, INBOX_JOB);
  const log = ctx.log.child({ job: job.id, inbox: `${p.platform}:${p.userId}` });
  const inbox = await ctx.store.people.getInbox(p.platform, p.userId);
  if (!inbox?.enabled) {
    // A scheduler that outlived its inbox (turned off, paused, forgotten) is removed, not run.
    await ctx.schedules.removeInbox(p.platform, p.userId);
    log.info({ reason: inbox ? 'inbox off' : 'no inbox' }, 'inbox skipped');
    return { status: 'skipped', reason: inbox ? 'inbox off' : 'no inbox' };
  }
  await ctx.ensureFreshUpvotes();
  const [follows, bookmarks] = await Promise.all([ctx.store.people.listFollows(p.platform, p.userId), ctx.store.listBookmarks(p.platform, p.userId)]);
  const plan = await ctx.digests.planInbox(inbox, follows, new Set(bookmarks.map((b) => b.paperId)));
  const ref = inboxRef(inbox);
  const markSlot = () => ctx.store.deliveries.markSlot(ref, dayInZone(ctx.clock.now(), inbox.timezone), ctx.clock.now().toISOString());
  if ('skip' in plan) {
    await markSlot();
    log.info({ reason: plan.skip }, 'inbox skipped');
    return { status: 'skipped', reason: plan.skip };
  }
  const queued = await enqueueDelivery(ctx, ref, plan, 'scheduled');
  await markSlot();
  log.info({ day: plan.day, papers: queued.papers, deliverJobId: queued.jobId }, 'inbox planned');
  return { status: 'queued', day: plan.day, papers: queued.papers, deliverJobId: queued.jobId };
}
