/**
 * Instant alerts in two jobs. `alert-scan` (plan queue) runs after an ingest that brought
 * papers: it matches the ingested days against every instant inbox's followed topics
 * (src/core/digest/alerts.ts) and stores what matched as pending alerts. `alert-send`
 * (the platform's delivery queue) posts one DM listing a person's pending alerts, at most
 * once per ALERT_WINDOW_MS: its job id names the window it may run in, so any number of
 * scans within one window add one job, delayed until the window opens.
 *
 * Exactly once: the pending rows are the outbox. The DM is recorded in the inbox's posted
 * log before the rows are cleared, a retry skips what the log holds, and a retry of a send
 * that may have gone out asks the platform first (findPosted on its idempotency key).
 */
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { composeAlert, newMatches } from '../src/core/digest/alerts.js';
import { digestMessageKey } from '../src/core/digest/digest-service.js';
import { ChannelUnavailableError } from '../src/core/errors.js';
import { ALERT_WINDOW_MS, inboxRef, lastAlertKey } from '../src/core/people.js';
import { pauseInbox } from '../src/core/inbox-pause.js';
import { latestFeaturedDate } from '../src/core/paper.js';
import type { PlatformName } from '../src/core/ports.js';
import { deliverQueue } from './deliver-job.js';
import { dayString, jobKey, platformName } from './job-ids.js';
import type { JobContext, JobLike, JobQueue } from './job-ports.js';
import { parsePayload } from './parse-payload.js';
import { PLAN_QUEUE } from './plan-job.js';

export const ALERT_SCAN_JOB = 'alert-scan';
export const ALERT_SEND_JOB = 'alert-send';

export const alertScanPayload = z.object({ days: z.array(dayString).min(1).max(31) });
export const alertSendPayload = z.object({ platform: platformName, userId: z.string().min(1).max(100), workspaceId: z.string().min(1).max(100), batch: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/) });
export type AlertSendPayload = z.infer<typeof alertSendPayload>;

/** Queues a scan of these featured days (after an ingest that stored papers). */
export async function enqueueAlertScan(queue: JobQueue, days: readonly string[], at: Date): Promise<void> {
  await queue.add(PLAN_QUEUE, ALERT_SCAN_JOB, { days: [...days] }, { jobId: jobKey('alert-scan', [...days].sort().join(','), at.toISOString().slice(0, 16)), attempts: 3 });
}

/**
 * The send job for a person's next window: now when their last alert is an hour old (or
 * there was none), else delayed until it is. Same window, same job id: adding it again is a no-op.
 */
export async function scheduleAlert(ctx: Pick<JobContext, 'queue' | 'store' | 'clock'>, person: { platform: PlatformName; userId: string; workspaceId: string }): Promise<void> {
  const now = ctx.clock.now().getTime();
  const last = Date.parse((await ctx.store.getMeta(lastAlertKey(person.platform, person.userId))) ?? '');
  const at = Number.isFinite(last) ? Math.max(now, last + ALERT_WINDOW_MS) : now;
  const batch = new Date(Math.floor(at / ALERT_WINDOW_MS) * ALERT_WINDOW_MS).toISOString().slice(0, 13);
  const payload: AlertSendPayload = { ...person, batch };
  await ctx.queue.add(deliverQueue(person.platform), ALERT_SEND_JOB, payload, { jobId: jobKey('alert', person.platform, person.userId, batch), delay: Math.max(0, at - now), revive: true });
}

export async function processAlertScan(job: JobLike, ctx: JobContext): Promise<{ people: number; alerts: number }> {
  const p = parsePayload(alertScanPayload, job.data, ALERT_SCAN_JOB);
  // The ingest that queued this scan may have stored papers this process's index has not caught up with yet.
  await ctx.index.refresh();
  let people = 0;
  let alerts = 0;
  for (const inbox of await ctx.store.people.listInboxes({ instantOnly: true })) {
    if (!ctx.platformFor(inbox.platform)) continue;
    const follows = await ctx.store.people.listFollows(inbox.platform, inbox.userId);
    const found = await newMatches(ctx, inbox, follows, p.days);
    if (!found.length) continue;
    alerts += await ctx.store.people.addPendingAlerts(found);
    await scheduleAlert(ctx, inbox);
    people++;
  }
  ctx.log.info({ job: job.id, days: p.days, people, alerts }, 'alerts matched');
  return { people, alerts };
}

export async function processAlertSend(job: JobLike, ctx: JobContext): Promise<{ status: 'sent' | 'skipped' | 'later'; papers: number }> {
  const p = parsePayload(alertSendPayload, job.data, ALERT_SEND_JOB);
  const log = ctx.log.child({ job: job.id, inbox: `${p.platform}:${p.userId}` });
  const { people } = ctx.store;
  const inbox = await people.getInbox(p.platform, p.userId);
  const pending = await people.listPendingAlerts(p.platform, p.userId);
  if (!inbox?.enabled || !inbox.instant) {
    // Alerts turned off (or the inbox paused) since they matched: they are dropped, not saved up.
    await people.clearPendingAlerts(p.platform, p.userId, pending.map((a) => a.paperId));
    return { status: 'skipped', papers: 0 };
  }
  const now = ctx.clock.now();
  const last = Date.parse((await ctx.store.getMeta(lastAlertKey(p.platform, p.userId))) ?? '');
  // A job that runs early (a clock step, a revived job) waits for the window instead of sending.
  if (Number.isFinite(last) && now.getTime() < last + ALERT_WINDOW_MS - 1000) {
    await scheduleAlert(ctx, inbox);
    return { status: 'later', papers: 0 };
  }
  const ref = inboxRef(inbox);
  const [posted, bookmarks] = await Promise.all([ctx.store.postedPaperIds(ref), ctx.store.listBookmarks(p.platform, p.userId)]);
  const saved = new Set(bookmarks.map((b) => b.paperId));
  const fresh = pending.filter((a) => !posted.has(a.paperId) && !saved.has(a.paperId));
  const stale = pending.filter((a) => !fresh.includes(a));
  if (stale.length) await people.clearPendingAlerts(p.platform, p.userId, stale.map((a) => a.paperId));
  const papers = await ctx.store.getPapers(fresh.map((a) => a.paperId));
  const message = composeAlert(papers, new Map(fresh.map((a) => [a.paperId, a.topic])), p.batch);
  if (!message) return { status: 'skipped', papers: 0 };

  const platform = ctx.platformFor(p.platform);
  if (!platform) throw new Error(`no ${p.platform} connection in this worker`);
  const key = digestMessageKey(ref, message);
  let messageId: string;
  try {
    const found = job.attemptsStarted > 1 && platform.findPosted ? await platform.findPosted(ref, key) : null;
    ({ messageId } = found ?? (await platform.post(ref, message, { idempotencyKey: key })));
  } catch (err) {
    if (err instanceof ChannelUnavailableError) {
      const reason = await pauseInbox(ctx, ref, err.platformCode);
      log.warn({ reason }, 'inbox paused: alert DM refused');
      throw new UnrecoverableError(reason);
    }
    throw err;
  }
  const sentIds = message.items.map((i) => i.paper.id);
  const postedAt = now.toISOString();
  // One message lists several papers: each is logged under `<message>#<n>`, so a 🔖 reaction on the
  // whole message maps to no paper (it could mean any); the Save buttons bookmark one each.
  for (const [n, paper] of papers.filter((x) => sentIds.includes(x.id)).entries()) {
    await ctx.store.recordPosted({ ...ref, date: latestFeaturedDate(paper) ?? postedAt.slice(0, 10), kind: 'paper', paperId: paper.id, messageId: `${messageId}#${n + 1}`, postedAt });
  }
  await people.clearPendingAlerts(p.platform, p.userId, sentIds);
  // Only needed for one window: it expires then (and the sweep prunes it), so it outlives nothing.
  await ctx.store.setMeta(lastAlertKey(p.platform, p.userId), postedAt, { expiresAt: new Date(now.getTime() + ALERT_WINDOW_MS).toISOString() });
  // More than one DM holds: the rest go in the next window.
  if (fresh.length > sentIds.length) await scheduleAlert(ctx, inbox);
  log.info({ papers: sentIds.length, left: fresh.length - sentIds.length }, 'alert sent');
  return { status: 'sent', papers: sentIds.length };
}
