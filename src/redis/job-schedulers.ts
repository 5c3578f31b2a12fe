/**
 * One BullMQ job scheduler per subscription, at its local time in its IANA timezone
 * (cron with `tz`, so daylight-saving changes keep the local hour), upserted when the
 * settings change and removed on unsubscribe or pause.
 */
import { INBOX_JOB, inboxSchedulerId, PLAN_JOB, schedulerId, schedulerPlatform, type DigestTickPayload, type PersonPayload } from '../../jobs/index.js';
import type { Inbox } from '../core/people.js';
import type { ChannelRef, Logger, PlatformName, Store, Subscription } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import type { Queues } from './bullmq-queues.js';

/** minute hour * * weekdays, e.g. "30 8 * * 1,2,3,4,5". */
export function cronPattern(sub: Pick<Subscription, 'hour' | 'minute' | 'weekdays'>): string {
  return `${sub.minute} ${sub.hour} * * ${sub.weekdays.join(',')}`;
}

const TICK_OPTS = { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

export class BullmqScheduleSync implements ScheduleSync {
  constructor(private readonly queues: Queues, private readonly log: Logger) {}

  /** An inbox's scheduler: the same cron-with-timezone as a channel's, ticking `inbox-tick` for one person. */
  async upsertInbox(inbox: Inbox): Promise<void> {
    if (!inbox.enabled || !inbox.weekdays.length) return this.removeInbox(inbox.platform, inbox.userId);
    const data: PersonPayload = { platform: inbox.platform, userId: inbox.userId };
    const id = inboxSchedulerId(inbox.platform, inbox.userId);
    await this.queues.plan().upsertJobScheduler(id, { pattern: cronPattern(inbox), tz: inbox.timezone }, { name: INBOX_JOB, data, opts: TICK_OPTS });
    this.log.debug({ scheduler: id, pattern: cronPattern(inbox), tz: inbox.timezone }, 'inbox schedule upserted');
  }

  async removeInbox(platform: PlatformName, userId: string): Promise<void> {
    await this.queues.plan().removeJobScheduler(inboxSchedulerId(platform, userId));
  }

  async upsert(sub: Subscription): Promise<void> {
    if (sub.paused || !sub.weekdays.length) return this.remove(sub);
    const data: DigestTickPayload = { platform: sub.platform, workspaceId: sub.workspaceId, channelId: sub.channelId };
    await this.queues.plan().upsertJobScheduler(
      schedulerId(sub),
      { pattern: cronPattern(sub), tz: sub.timezone },
      { name: PLAN_JOB, data, opts: TICK_OPTS },
    );
    this.log.debug({ scheduler: schedulerId(sub), pattern: cronPattern(sub), tz: sub.timezone }, 'digest schedule upserted');
  }

  async remove(ref: ChannelRef): Promise<void> {
    await this.queues.plan().removeJobScheduler(schedulerId(ref));
  }

  /**
   * Makes the schedulers of these platforms match the store: every active subscription
   * and enabled inbox scheduled, nothing else. Other platforms' schedulers are another process's business.
   * Only what differs is written, so running it every sweep costs one listing.
   */
  async reconcile(store: Store, platforms: readonly ChannelRef['platform'][]): Promise<{ upserted: number; removed: number }> {
    const subs = await store.listSubscriptions({ includePaused: true });
    const inboxes = await store.people.listInboxes();
    const wanted = new Map<string, { schedule: Subscription | Inbox; upsert: () => Promise<void> }>();
    for (const s of subs) if (!s.paused && s.weekdays.length && platforms.includes(s.platform)) wanted.set(schedulerId(s), { schedule: s, upsert: () => this.upsert(s) });
    for (const i of inboxes) if (i.weekdays.length && platforms.includes(i.platform)) wanted.set(inboxSchedulerId(i.platform, i.userId), { schedule: i, upsert: () => this.upsertInbox(i) });
    let removed = 0;
    let upserted = 0;
    const q = this.queues.plan();
    const existing = new Map((await q.getJobSchedulers(0, -1)).map((j) => [j.key, j] as const));
    for (const [key] of existing) {
      const platform = schedulerPlatform(key) as ChannelRef['platform'] | undefined;
      if (platform && platforms.includes(platform) && !wanted.has(key)) {
        await q.removeJobScheduler(key);
        removed++;
      }
    }
    for (const [key, { schedule, upsert }] of wanted) {
      const have = existing.get(key);
      if (have && have.pattern === cronPattern(schedule) && have.tz === schedule.timezone) continue;
      await upsert();
      upserted++;
    }
    return { upserted, removed };
  }
}
