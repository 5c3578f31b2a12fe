/**
 * The sweep that makes the store the truth and Redis the work in flight. Run on every
 * Redis (re)connect and periodically by each process with workers (src/app/queue-side.ts):
 *
 * 1. job schedulers reconciled with the store's subscriptions (a Redis that lost its data
 *    is back to one scheduler per subscription at the next sweep);
 * 2. every planned delivery the outbox holds as unfinished is queued again (a no-op when
 *    its job is waiting or running; a finished or forgotten job is replaced);
 * 3. every subscription and inbox whose slot today passed with no plan gets its tick now;
 * 4. every person with pending alerts has the send job of their next window;
 * 5. every platform with paper messages inside their 48 hours gets this window's edit sweep
 *    (live counts, jobs/edit-sweep-job.ts);
 * 6. finished plans, old slots, expired meta (pager state), old upvote samples and
 *    messages past their 48 hours are pruned.
 *
 * Everything it queues is idempotent (job ids, and the posted log decides what is posted),
 * so two processes sweeping at once, or a sweep racing a tick, cost work but never a post.
 */
import { addDays, utcDay } from '../src/core/dates.js';
import type { Clock, Logger, PlatformName, Store } from '../src/core/ports.js';
import { slotKey } from '../src/core/ports.js';
import { passedSlot } from '../src/core/schedule-slot.js';
import { inboxRef } from '../src/core/people.js';
import { KEEP_UPVOTE_SAMPLES_MS } from '../src/core/momentum.js';
import { LIVE_WINDOW_MS } from '../src/core/live-messages.js';
import { scheduleAlert } from './alerts-job.js';
import { enqueueEditSweeps } from './edit-sweep-job.js';
import { requeueDelivery } from './deliver-job.js';
import { INBOX_JOB, type PersonPayload } from './inbox-job.js';
import { jobKey } from './job-ids.js';
import type { JobQueue } from './job-ports.js';
import { PLAN_JOB, PLAN_QUEUE, type DigestTickPayload } from './plan-job.js';

/** How often a process sweeps; "back within a minute" after Redis forgot everything. */
export const SWEEP_INTERVAL_MS = 30_000;
/** Unfinished plans older than this are left alone (logged): a digest two days late is noise. */
export const RECOVER_WINDOW_MS = 36 * 3600_000;
/** A slot counts as missed this long after it: the scheduler's own tick runs first. */
export const SLOT_GRACE_MS = 5 * 60_000;
/** Finished plans are kept this long for inspection, handled slots a week. */
const KEEP_FINISHED_MS = 30 * 24 * 3600_000;
const KEEP_SLOT_DAYS = 7;

export interface SweepDeps {
  store: Store;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  /** Platforms this process delivers to: only their work is swept here. */
  platforms: readonly PlatformName[];
  /** Deliveries running in this process: left to finish (see JobContext.inFlight). */
  inFlight: ReadonlySet<string>;
  /** Makes the job schedulers match the store (subscriptions, and the ingest schedule). */
  reconcileSchedules(): Promise<{ upserted: number; removed: number }>;
}

export interface SweepReport {
  schedulesUpserted: number;
  schedulesRemoved: number;
  requeued: number;
  missedTicks: number;
  /** People whose alert send job was (re)added; a no-op when Redis still had it. */
  alerts: number;
  /** Platforms whose edit sweep (live counts) was queued; a no-op when this window's is there. */
  editSweeps: number;
  pruned: number;
}

export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const { store, queue, clock } = deps;
  const now = clock.now();
  const schedules = await deps.reconcileSchedules();

  let requeued = 0;
  const open = await store.deliveries.unfinished({ plannedSince: new Date(now.getTime() - RECOVER_WINDOW_MS).toISOString(), platforms: deps.platforms });
  for (const d of open) {
    if (deps.inFlight.has(d.id)) continue;
    if (await requeueDelivery(queue, d, true)) requeued++;
  }

  let missedTicks = 0;
  // Every zone's "today" is within a day of UTC's.
  const handled = await store.deliveries.handledSlots(addDays(utcDay(now), -1));
  for (const sub of await store.listSubscriptions()) {
    if (!deps.platforms.includes(sub.platform)) continue;
    const day = passedSlot(sub, now, SLOT_GRACE_MS);
    if (!day || handled.has(slotKey(sub, day))) continue;
    const data: DigestTickPayload = { platform: sub.platform, workspaceId: sub.workspaceId, channelId: sub.channelId };
    // One catch-up tick per slot: its id names the day, so later sweeps add nothing.
    await queue.add(PLAN_QUEUE, PLAN_JOB, data, { jobId: jobKey('tick', sub.platform, sub.workspaceId, sub.channelId, day) });
    missedTicks++;
  }
  for (const inbox of await store.people.listInboxes()) {
    if (!deps.platforms.includes(inbox.platform)) continue;
    const day = passedSlot(inbox, now, SLOT_GRACE_MS);
    if (!day || handled.has(slotKey(inboxRef(inbox), day))) continue;
    const data: PersonPayload = { platform: inbox.platform, userId: inbox.userId };
    await queue.add(PLAN_QUEUE, INBOX_JOB, data, { jobId: jobKey('inbox-tick', inbox.platform, inbox.userId, day) });
    missedTicks++;
  }

  // Pending alerts whose send job Redis lost: the job for the person's next window again (a no-op when it is there).
  let alerts = 0;
  for (const person of await store.people.peopleWithPendingAlerts()) {
    if (!deps.platforms.includes(person.platform)) continue;
    await scheduleAlert({ queue, store, clock }, person);
    alerts++;
  }

  const editSweeps = (await enqueueEditSweeps({ queue, store, clock }, 'sweep', deps.platforms)).length;

  const pruned =
    (await store.deliveries.prune(new Date(now.getTime() - KEEP_FINISHED_MS).toISOString(), addDays(utcDay(now), -KEEP_SLOT_DAYS))) +
    (await store.pruneMeta(now.toISOString())) +
    (await store.upvotes.prune(new Date(now.getTime() - KEEP_UPVOTE_SAMPLES_MS).toISOString())) +
    (await store.deliveries.pruneWatched(new Date(now.getTime() - LIVE_WINDOW_MS).toISOString()));
  const report: SweepReport = { schedulesUpserted: schedules.upserted, schedulesRemoved: schedules.removed, requeued, missedTicks, alerts, editSweeps, pruned };
  if (requeued || missedTicks || schedules.upserted || schedules.removed) deps.log.info(report, 'sweep: rebuilt work Redis did not hold');
  return report;
}
