/**
 * Personal inboxes on the worker machinery against a real Redis (a private redis-server):
 * the inbox scheduler on the person's clock (across a daylight-saving change), one DM per
 * person and day with the papers marked by topic, nothing twice, instant alerts batched
 * to one DM an hour, a refused DM pausing the inbox, weekly digests.
 * The same through the Discord and Slack stand-ins is in test/platforms/.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_SEND_JOB, deliverQueue, inboxSchedulerId, INBOX_JOB, PLAN_JOB, processAlertScan, processInboxTick } from '../../jobs/index.js';
import { ChannelUnavailableError } from '../../src/core/errors.js';
import { DEFAULT_INBOX, type Inbox } from '../../src/core/people.js';
import type { ChannelRef, ChatPlatform, PostOptions, Subscription } from '../../src/core/ports.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { nextSlot } from '../../src/core/schedule-slot.js';
import { DEFAULT_SETTINGS } from '../../src/core/subscription.js';
import { buildJobContext } from '../../src/app/job-context.js';
import { Queues } from '../../src/redis/bullmq-queues.js';
import { BullmqScheduleSync, cronPattern } from '../../src/redis/job-schedulers.js';
import { startWorkers, type RunningWorkers } from '../../src/redis/bullmq-workers.js';
import { makeHarness, type Harness } from '../support/bot-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

/** Records what each channel (or DM) got; can refuse DMs to chosen users. */
class DmRecorder implements ChatPlatform {
  readonly name = 'discord' as const;
  readonly posts: { channel: string; message: OutboundMessage }[] = [];
  readonly unreachable = new Set<string>();
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async post(channel: ChannelRef, message: OutboundMessage, _opts?: PostOptions) {
    if (this.unreachable.has(channel.channelId)) throw new ChannelUnavailableError('50007', 'Cannot send messages to this user');
    this.posts.push({ channel: channel.channelId, message });
    return { messageId: `m${this.posts.length}` };
  }
  to(channel: string): OutboundMessage[] {
    return this.posts.filter((p) => p.channel === channel).map((p) => p.message);
  }
  papersTo(channel: string): string[] {
    return this.to(channel).flatMap((m) => (m.kind === 'digestPaper' ? [m.paper.id] : m.kind === 'alert' ? m.items.map((i) => i.paper.id) : []));
  }
}

let redis: TestRedis;
let conn: Redis;
let h: Harness;
let queues: Queues;
let platform: DmRecorder;
let running: RunningWorkers | null = null;

beforeAll(async () => {
  redis = await startTestRedis();
  conn = new Redis(redis.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await conn.quit();
  await redis.stop();
});
afterEach(async () => {
  await running?.close();
  running = null;
  await queues?.close();
});

const person = (userId: string, over: Partial<Inbox> = {}): Inbox => ({
  ...DEFAULT_INBOX,
  platform: 'discord',
  userId,
  workspaceId: 'g1',
  timezone: 'Europe/Paris',
  hour: 7,
  minute: 30,
  enabled: true,
  pausedReason: null,
  pauseNoticeShown: false,
  createdAt: '2026-08-01T00:00:00Z',
  updatedAt: '2026-08-01T00:00:00Z',
  ...over,
});

async function boot(nowIso = '2026-08-21T05:30:00Z') {
  h = await makeHarness(nowIso);
  queues = new Queues(redis.url);
  await conn.flushall();
  platform = new DmRecorder();
  const schedules = new BullmqScheduleSync(queues, h.services.log);
  const core = { ...h.services, source: { name: 'none', fetchDay: async () => [], fetchRange: async function* () {} } };
  const ctx = buildJobContext({ core, queue: queues, platforms: new Map([['discord', platform]]), schedules, papersChanged: async () => {} });
  await h.store.setMeta('ingest:lastAt', new Date().toISOString());
  return { ...ctx, clock: h.clock };
}

async function untilIdle(...names: string[]): Promise<void> {
  for (let i = 0; i < 400; i++) {
    let busy = 0;
    for (const n of names) {
      const c = await queues.get(n).getJobCounts('waiting', 'active', 'prioritized');
      busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    }
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`queues ${names.join(', ')} did not drain`);
}

const follow = (userId: string, topic: string, createdAt = '2026-08-01T00:00:00Z') => h.store.people.addFollow({ platform: 'discord', userId, topic, createdAt });
const tick = (userId: string) => ({ id: `tick-${userId}`, name: INBOX_JOB, data: { platform: 'discord', userId }, attemptsStarted: 1 });

describe('inbox schedules', () => {
  it('one scheduler per inbox at the person’s local time, removed when it is turned off, reconciled with the store', async () => {
    const ctx = await boot();
    const i = person('u1');
    await h.store.people.saveInbox(i);
    await ctx.schedules.upsertInbox(i);
    const q = queues.plan();
    expect((await q.getJobSchedulers(0, -1)).map((s) => [s.key, s.pattern, s.tz])).toEqual([[inboxSchedulerId('discord', 'u1'), '30 7 * * 1,2,3,4,5', 'Europe/Paris']]);
    const [next] = await q.getDelayed();
    expect(next!.name).toBe(INBOX_JOB);
    const due = new Date(next!.timestamp + next!.opts.delay!);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(due)).toBe('07:30');

    await ctx.schedules.upsertInbox({ ...i, enabled: false });
    expect(await q.getJobSchedulers(0, -1)).toEqual([]);
    // Redis forgot (or never had) it: the reconcile brings back exactly the enabled inboxes.
    await h.store.people.saveInbox(person('u2', { enabled: false }));
    const r = await (ctx.schedules as BullmqScheduleSync).reconcile(h.store, ['discord']);
    expect(r).toEqual({ upserted: 1, removed: 0 });
    expect((await q.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([inboxSchedulerId('discord', 'u1')]);
  });

  it('keeps the person’s local hour across a daylight-saving change', async () => {
    const { CronExpressionParser } = await import('cron-parser');
    const i = person('u1', { timezone: 'America/New_York', hour: 8, minute: 0 });
    // US clocks go back on Sun 1 Nov 2026: 08:00 is 12:00Z on Fri 30 Oct and 13:00Z on Mon 2 Nov.
    const it = CronExpressionParser.parse(cronPattern(i), { tz: i.timezone, currentDate: new Date('2026-10-29T14:00:00Z') });
    expect([it.next().toDate().toISOString(), it.next().toDate().toISOString()]).toEqual(['2026-10-30T12:00:00.000Z', '2026-11-02T13:00:00.000Z']);
    // What `/papers inbox` shows as the next delivery agrees with the scheduler on both sides.
    expect(nextSlot(i, new Date('2026-10-29T14:00:00Z'))!.toISOString()).toBe('2026-10-30T12:00:00.000Z');
    expect(nextSlot(i, new Date('2026-10-30T12:00:00Z'))!.toISOString()).toBe('2026-11-02T13:00:00.000Z');
  });
});

describe('inbox digests', () => {
  it('one DM with the papers of the followed topics, each marked; nothing twice; never a bookmarked paper', async () => {
    const ctx = await boot();
    await h.store.people.saveInbox(person('u1', { topN: 10 }));
    await follow('u1', 'diffusion');
    await follow('u1', 'agents');
    const day = await h.store.papersFeaturedBetween('2026-08-21', '2026-08-21');
    const diffusion = new Set((await h.services.index.search('diffusion', { limit: 100, filters: { featuredFrom: '2026-08-21', featuredTo: '2026-08-21' } })).hits.map((x) => x.id));
    const agents = new Set((await h.services.index.search('agents', { limit: 100, filters: { featuredFrom: '2026-08-21', featuredTo: '2026-08-21' } })).hits.map((x) => x.id));
    expect(diffusion.size + agents.size).toBeGreaterThan(2);
    // A bookmarked paper is not sent again.
    const saved = [...diffusion][0]!;
    await h.store.addBookmark({ platform: 'discord', userId: 'u1', paperId: saved, createdAt: '2026-08-20T00:00:00Z' });

    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await queues.plan().add(INBOX_JOB, { platform: 'discord', userId: 'u1' }, { jobId: 'tick-1' });
    await queues.plan().add(INBOX_JOB, { platform: 'discord', userId: 'u1' }, { jobId: 'tick-2' }); // a second tick the same day
    await untilIdle(queues.plan().name, deliverQueue('discord'));

    const got = platform.to('dm:u1');
    expect(got.filter((m) => m.kind === 'digestHeader')).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: 'digestHeader', title: expect.stringMatching(/^Your papers · Fri,? 21 Aug 2026/) });
    const papers = got.flatMap((m) => (m.kind === 'digestPaper' ? [m] : []));
    expect(papers.length).toBeGreaterThan(1);
    expect(papers.length).toBeLessThanOrEqual(10);
    for (const m of papers) {
      expect(day.map((p) => p.id)).toContain(m.paper.id);
      expect(m.topic === 'diffusion' ? diffusion.has(m.paper.id) : agents.has(m.paper.id)).toBe(true);
      expect(['diffusion', 'agents']).toContain(m.topic);
    }
    expect(papers.map((m) => m.paper.id)).not.toContain(saved);
    // Ranked by upvotes like every digest.
    const up = papers.map((m) => m.paper.upvotes ?? 0);
    expect([...up].sort((a, b) => b - a)).toEqual(up);

    // Saturday: no new featured day, nothing is sent.
    h.clock.set('2026-08-22T05:30:00Z');
    expect(await processInboxTick(tick('u1'), ctx)).toMatchObject({ status: 'skipped' });
    expect(new Set(platform.papersTo('dm:u1')).size).toBe(platform.papersTo('dm:u1').length);
  });

  it('sends the whole top list to an inbox that follows nothing, and a weekly inbox covers seven featured days', async () => {
    const ctx = await boot();
    await h.store.people.saveInbox(person('all', { topN: 5 }));
    await h.store.people.saveInbox(person('wk', { topN: 8, every: 'week', weekdays: [5] }));
    expect(await processInboxTick(tick('all'), ctx)).toMatchObject({ status: 'queued', day: '2026-08-21', papers: 5 });
    const weekly = await processInboxTick(tick('wk'), ctx);
    expect(weekly).toMatchObject({ status: 'queued', day: '2026-08-21', papers: 8 });
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await untilIdle(deliverQueue('discord'));
    const header = platform.to('dm:wk')[0];
    const days = await h.store.featuredDays({ onOrBefore: '2026-08-21', limit: 7 });
    expect(header).toMatchObject({ kind: 'digestHeader', title: expect.stringContaining('of the week') });
    const papers = await h.store.getPapers(platform.papersTo('dm:wk'));
    expect(papers.every((p) => p.featuredDates.some((d) => d >= days[6]! && d <= days[0]!))).toBe(true);
    // The week's top beats any single day's: at least one paper is from before the newest day.
    expect(papers.some((p) => !p.featuredDates.includes('2026-08-21'))).toBe(true);
  });

  it('a refused DM pauses the inbox (kept, not deleted) and removes its scheduler', async () => {
    const ctx = await boot();
    const i = person('gone');
    await h.store.people.saveInbox(i);
    await ctx.schedules.upsertInbox(i);
    platform.unreachable.add('dm:gone');
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await queues.plan().add(INBOX_JOB, { platform: 'discord', userId: 'gone' }, { jobId: 'tick-gone' });
    await expect.poll(async () => (await queues.deliveries('discord').getFailed()).length, { timeout: 10_000 }).toBe(1);
    const [failed] = await queues.deliveries('discord').getFailed();
    expect(failed!.attemptsMade).toBe(1);
    expect(await h.store.people.getInbox('discord', 'gone')).toMatchObject({ enabled: false, pausedReason: 'direct messages could not be delivered (50007)', pauseNoticeShown: false, topN: i.topN });
    expect(await queues.plan().getJobSchedulers(0, -1)).toEqual([]);
  });
});

describe('weekly channel digests', () => {
  it('posts the top of the past seven featured days on its weekday, once', async () => {
    const ctx = await boot('2026-08-21T07:30:00Z');
    const s: Subscription = { platform: 'discord', workspaceId: 'g1', channelId: 'weekly', ...DEFAULT_SETTINGS, every: 'week', weekdays: [5], timezone: 'Europe/Paris', hour: 9, minute: 30, paused: false, pausedReason: null, createdBy: 'u1', createdAt: '2026-08-01T00:00:00Z', updatedAt: '2026-08-01T00:00:00Z' };
    await h.store.saveSubscription(s);
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    for (const id of ['w1', 'w2']) await queues.plan().add(PLAN_JOB, { platform: 'discord', workspaceId: 'g1', channelId: 'weekly' }, { jobId: id });
    await untilIdle(queues.plan().name, deliverQueue('discord'));
    const got = platform.to('weekly');
    expect(got.filter((m) => m.kind === 'digestHeader')).toHaveLength(1);
    expect(got[0]).toMatchObject({ title: expect.stringMatching(/^Trending papers of the week · .+ – Fri,? 21 Aug 2026$/) });
    expect(platform.papersTo('weekly')).toHaveLength(5);
    const weekTop = (await h.store.papersFeaturedBetween((await h.store.featuredDays({ onOrBefore: '2026-08-21', limit: 7 }))[6]!, '2026-08-21')).sort((a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0))[0]!;
    expect(platform.papersTo('weekly')[0]).toBe(weekTop.id);
  });
});

describe('instant alerts', () => {
  it('batches every new match into one DM an hour, never a paper twice', async () => {
    const ctx = await boot('2026-08-21T10:00:00Z');
    await h.store.people.saveInbox(person('fast', { instant: true }));
    await follow('fast', 'diffusion', '2026-08-20T00:00:00Z');
    await follow('fast', 'video', '2026-08-20T00:00:00Z');
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });

    // An ingest stored 2026-08-20: one alert DM with every match.
    expect((await processAlertScan({ id: 's1', name: 'alert-scan', data: { days: ['2026-08-20'] }, attemptsStarted: 1 }, ctx)).alerts).toBeGreaterThan(1);
    await untilIdle(deliverQueue('discord'));
    const first = platform.to('dm:fast');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'alert', title: expect.stringMatching(/^\d+ new papers match what you follow$/) });
    const firstIds = platform.papersTo('dm:fast');
    if (first[0]!.kind === 'alert') for (const item of first[0]!.items) expect(['diffusion', 'video']).toContain(item.topic);

    // Ten minutes later the next ingest brings 2026-08-21: matched, but held for the hour.
    h.clock.set('2026-08-21T10:10:00Z');
    expect((await processAlertScan({ id: 's2', name: 'alert-scan', data: { days: ['2026-08-20', '2026-08-21'] }, attemptsStarted: 1 }, ctx)).alerts).toBeGreaterThan(0);
    // Scanning again in the same window adds nothing: same pending rows, same delayed job.
    expect((await processAlertScan({ id: 's3', name: 'alert-scan', data: { days: ['2026-08-21'] }, attemptsStarted: 1 }, ctx)).alerts).toBe(0);
    const delayed = await queues.deliveries('discord').getDelayed();
    expect(delayed.map((j) => j.name)).toEqual([ALERT_SEND_JOB]);
    expect(platform.to('dm:fast')).toHaveLength(1);

    // The hour passes: one more DM, with only what was not sent before.
    h.clock.set('2026-08-21T11:00:30Z');
    await delayed[0]!.promote();
    await expect.poll(() => platform.to('dm:fast').length, { timeout: 10_000 }).toBe(2);
    const secondIds = platform.papersTo('dm:fast').slice(firstIds.length);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(await h.store.people.listPendingAlerts('discord', 'fast')).toEqual([]);

    // The morning digest then leaves out what the alerts already sent.
    h.clock.set('2026-08-21T11:30:00Z');
    await processInboxTick(tick('fast'), ctx);
    await untilIdle(deliverQueue('discord'));
    const all = platform.papersTo('dm:fast');
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('an alert DM and reactions', () => {
  it('a 🔖 on a message listing several papers bookmarks none of them (its Save buttons do)', async () => {
    const ctx = await boot('2026-08-21T10:00:00Z');
    await h.store.people.saveInbox(person('r', { instant: true }));
    await follow('r', 'diffusion', '2026-08-20T00:00:00Z');
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await processAlertScan({ id: 's', name: 'alert-scan', data: { days: ['2026-08-20', '2026-08-21'] }, attemptsStarted: 1 }, ctx);
    await expect.poll(() => platform.to('dm:r').length, { timeout: 10_000 }).toBe(1);
    const messageId = `m${platform.posts.length}`;
    await h.handlers.reaction({ platform: 'discord', workspaceId: 'g1', channelId: 'dm:r', messageId, userId: 'r', emoji: '🔖', added: true });
    expect(await h.store.listBookmarks('discord', 'r')).toEqual([]);
  });
});
