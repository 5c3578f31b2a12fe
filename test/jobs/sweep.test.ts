/** The sweep's decisions (jobs/sweep.ts) and passedSlot, on the memory store with a recording queue. */
import { describe, expect, it } from 'vitest';
import { ALERT_SEND_JOB, DELIVER_JOB, deliverQueue, INBOX_JOB, PLAN_QUEUE, sweep, type JobQueue } from '../../jobs/index.js';
import { DEFAULT_INBOX, inboxRef } from '../../src/core/people.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { passedSlot } from '../../src/core/schedule-slot.js';
import { DEFAULT_SETTINGS, type Subscription } from '../../src/core/subscription.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { recordingLogger } from '../support/fakes/index.js';

const NOW = new Date('2026-03-04T12:00:00.000Z'); // a Wednesday
const header: OutboundMessage = { kind: 'digestHeader', date: '2026-03-04', title: 'Trending papers', themesLine: '', count: 1 };

function sub(channelId: string, over: Partial<Subscription> = {}): Subscription {
  return {
    platform: 'discord', workspaceId: 'g', channelId, ...DEFAULT_SETTINGS, weekdays: [1, 2, 3, 4, 5],
    paused: false, pausedReason: null, createdBy: 'u', createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...over,
  };
}

function recordingQueue(pending: Set<string> = new Set()) {
  const added: { queue: string; name: string; jobId: string; payload: Record<string, unknown> }[] = [];
  const queue: JobQueue = {
    async add(q, name, payload, opts) {
      if (opts.revive && pending.has(opts.jobId)) return false;
      added.push({ queue: q, name, jobId: opts.jobId, payload: payload as Record<string, unknown> });
      return true;
    },
  };
  return { queue, added };
}

async function run(store: MemoryStore, queue: JobQueue, inFlight: Set<string> = new Set()) {
  return sweep({ store, queue, clock: { now: () => NOW }, log: recordingLogger(), platforms: ['discord'], inFlight, reconcileSchedules: async () => ({ upserted: 0, removed: 0 }) });
}

describe('sweep', () => {
  it('queues unfinished plans again as recovered, leaving finished, in-flight, pending, other-platform and stale ones', async () => {
    const store = new MemoryStore();
    const plan = (id: string, over: Partial<Parameters<typeof store.deliveries.plan>[0]> = {}) =>
      store.deliveries.plan({ id, platform: 'discord', workspaceId: 'g', channelId: 'c', day: '2026-03-04', mode: 'scheduled', messages: [header], plannedAt: '2026-03-04T09:00:00.000Z', ...over });
    await plan('open');
    await plan('done');
    await store.deliveries.finish('done', 'delivered', '2026-03-04T09:01:00.000Z');
    await plan('running');
    await plan('waiting');
    await plan('slack', { platform: 'slack' });
    await plan('stale', { plannedAt: '2026-03-01T09:00:00.000Z' });
    const { queue, added } = recordingQueue(new Set(['waiting']));
    const report = await run(store, queue, new Set(['running']));
    expect(added.map((a) => a.jobId)).toEqual(['open']);
    expect(added[0]).toMatchObject({ queue: deliverQueue('discord'), name: DELIVER_JOB, payload: { recovered: true, day: '2026-03-04', messages: [header] } });
    expect(report.requeued).toBe(1);
  });

  it('ticks a subscription whose slot passed today with no plan, once per slot, and no other', async () => {
    const store = new MemoryStore();
    await store.saveSubscription(sub('missed')); // 09:00 UTC, three hours ago
    await store.saveSubscription(sub('handled'));
    await store.deliveries.markSlot(sub('handled'), '2026-03-04', '2026-03-04T09:00:05.000Z');
    await store.saveSubscription(sub('later', { hour: 15 }));
    await store.saveSubscription(sub('weekend', { weekdays: [0, 6] }));
    await store.saveSubscription(sub('paused', { paused: true }));
    await store.saveSubscription(sub('new', { createdAt: '2026-03-04T10:00:00.000Z', updatedAt: '2026-03-04T10:00:00.000Z' }));
    await store.saveSubscription(sub('tokyo', { timezone: 'Asia/Tokyo', hour: 20 })); // 20:00 in Tokyo is 11:00 UTC
    const { queue, added } = recordingQueue();
    await run(store, queue);
    expect(added.filter((a) => a.queue === PLAN_QUEUE).map((a) => a.payload.channelId).sort()).toEqual(['missed', 'tokyo']);
    expect(new Set(added.map((a) => a.jobId)).size).toBe(added.length);
    expect(added.find((a) => a.payload.channelId === 'missed')?.jobId).toBe('tick|discord|g|missed|2026-03-04');
  });

  it('prunes expired pager state and old finished plans', async () => {
    const store = new MemoryStore();
    await store.setMeta('pager:old', '{}', { expiresAt: '2026-03-03T00:00:00.000Z' });
    await store.setMeta('pager:fresh', '{}', { expiresAt: '2026-03-10T00:00:00.000Z' });
    const report = await run(store, recordingQueue().queue);
    expect(report.pruned).toBe(1);
    expect(await store.getMeta('pager:old')).toBeNull();
    expect(await store.getMeta('pager:fresh')).toBe('{}');
  });
});

describe('passedSlot', () => {
  const s = sub('c', { hour: 9, minute: 30, timezone: 'Europe/Paris' });
  it('is the local day once the slot and its grace have passed on a digest weekday', () => {
    expect(passedSlot(s, new Date('2026-03-04T08:30:00Z'), 5 * 60_000)).toBeNull(); // 09:30 Paris: the tick's own minute
    expect(passedSlot(s, new Date('2026-03-04T08:36:00Z'), 5 * 60_000)).toBe('2026-03-04');
    expect(passedSlot(s, new Date('2026-03-07T12:00:00Z'), 0)).toBeNull(); // Saturday
  });
  it('is null for a subscription changed after today’s slot', () => {
    expect(passedSlot({ ...s, updatedAt: '2026-03-04T09:00:00Z' }, new Date('2026-03-04T12:00:00Z'), 0)).toBeNull();
    expect(passedSlot({ ...s, updatedAt: '2026-03-04T08:00:00Z' }, new Date('2026-03-04T12:00:00Z'), 0)).toBe('2026-03-04');
  });
});

describe('sweep: inboxes and alerts', () => {
  const inbox = (userId: string, over: Partial<import('../../src/core/people.js').Inbox> = {}) => ({
    ...DEFAULT_INBOX, platform: 'discord', userId, workspaceId: 'g', hour: 9, minute: 0, enabled: true, pausedReason: null, pauseNoticeShown: false,
    createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...over,
  });

  it('ticks an inbox whose slot passed with no plan, once, and leaves handled, disabled and later ones', async () => {
    const store = new MemoryStore();
    await store.people.saveInbox(inbox('missed'));
    await store.people.saveInbox(inbox('handled'));
    await store.deliveries.markSlot(inboxRef(inbox('handled')), '2026-03-04', '2026-03-04T09:00:05.000Z');
    await store.people.saveInbox(inbox('off', { enabled: false }));
    await store.people.saveInbox(inbox('later', { hour: 18 }));
    const { queue, added } = recordingQueue();
    const report = await run(store, queue);
    expect(added).toEqual([{ queue: PLAN_QUEUE, name: INBOX_JOB, jobId: 'inbox-tick|discord|missed|2026-03-04', payload: { platform: 'discord', userId: 'missed' } }]);
    expect(report.missedTicks).toBe(1);
  });

  it('gives every person with pending alerts the send job of their window (Redis lost it)', async () => {
    const store = new MemoryStore();
    await store.people.saveInbox(inbox('p1', { instant: true, hour: 18 }));
    await store.people.addPendingAlerts([{ platform: 'discord', userId: 'p1', workspaceId: 'g', paperId: '2603.00001', topic: 't', addedAt: '2026-03-04T11:00:00.000Z' }]);
    await store.people.addPendingAlerts([{ platform: 'slack', userId: 'p2', workspaceId: 'T', paperId: '2603.00001', topic: 't', addedAt: '2026-03-04T11:00:00.000Z' }]);
    const { queue, added } = recordingQueue();
    const report = await run(store, queue);
    expect(added).toEqual([{ queue: deliverQueue('discord'), name: ALERT_SEND_JOB, jobId: 'alert|discord|p1|2026-03-04T12', payload: { platform: 'discord', userId: 'p1', workspaceId: 'g', batch: '2026-03-04T12' } }]);
    expect(report.alerts).toBe(1);
  });
});
