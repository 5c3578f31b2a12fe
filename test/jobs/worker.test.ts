/**
 * The worker machinery against a real Redis (a private redis-server): job schedulers on
 * each channel's clock, ticks that plan and enqueue one delivery per channel and day,
 * deliveries that survive failures without duplicates, channels that are gone.
 * Platforms here are in-process recorders; the end-to-end fan-out through the Discord
 * and Slack stand-ins is in fanout.test.ts.
 */
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processDigestTick } from '../../jobs/index.js';
import { DELIVER_JOB, deliverQueue, PLAN_JOB, schedulerId } from '../../jobs/index.js';
import { ChannelUnavailableError } from '../../src/core/errors.js';
import type { ChannelRef, ChatPlatform, PostOptions, Subscription } from '../../src/core/ports.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { DEFAULT_SETTINGS } from '../../src/core/subscription.js';
import { buildJobContext } from '../../src/app/job-context.js';
import { Queues } from '../../src/redis/bullmq-queues.js';
import { publishPapersChanged } from '../../src/redis/papers-changed.js';
import { RedisRateLimiter } from '../../src/redis/gcra-rate-limiter.js';
import { BullmqScheduleSync, cronPattern } from '../../src/redis/job-schedulers.js';
import { startWorkers, type RunningWorkers } from '../../src/redis/bullmq-workers.js';
import { makeHarness, type Harness } from '../support/bot-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

/** Records posts; can fail on chosen calls to stand in for a crash or a gone channel. */
class FlakyPlatform implements ChatPlatform {
  readonly name = 'discord' as const;
  readonly posts: { channel: string; message: OutboundMessage; key?: string }[] = [];
  failNext: (() => Error) | null = null;
  failEvery = 0;
  private calls = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions) {
    this.calls++;
    if (this.failNext) {
      const make = this.failNext;
      this.failNext = null;
      throw make();
    }
    if (this.failEvery && this.calls % this.failEvery === 0) throw new Error('HTTP 500 from the platform');
    this.posts.push({ channel: channel.channelId, message, ...(opts?.idempotencyKey ? { key: opts.idempotencyKey } : {}) });
    return { messageId: `m${this.posts.length}` };
  }
  papersIn(channel: string): string[] {
    return this.posts.filter((p) => p.channel === channel && p.message.kind === 'digestPaper').map((p) => (p.message.kind === 'digestPaper' ? p.message.paper.id : ''));
  }
  headersIn(channel: string): number {
    return this.posts.filter((p) => p.channel === channel && p.message.kind === 'digestHeader').length;
  }
}

let redis: TestRedis;
let h: Harness;
let queues: Queues;
let conn: Redis;
let platform: FlakyPlatform;
let running: RunningWorkers | null = null;
let events: QueueEvents;

const sub = (channelId: string, over: Partial<Subscription> = {}): Subscription => ({
  platform: 'discord',
  workspaceId: 'g1',
  channelId,
  ...DEFAULT_SETTINGS,
  timezone: 'Europe/Paris',
  hour: 9,
  minute: 30,
  paused: false,
  pausedReason: null,
  createdBy: 'u1',
  createdAt: '2026-08-01T00:00:00Z',
  updatedAt: '2026-08-01T00:00:00Z',
  ...over,
});

beforeAll(async () => {
  redis = await startTestRedis();
  conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  events = new QueueEvents(deliverQueue('discord'), { connection: { url: redis.url }, prefix: 'papers' });
  await events.waitUntilReady();
});

afterAll(async () => {
  await events.close();
  await conn.quit();
});

async function boot(): Promise<ReturnType<typeof buildJobContext>> {
  h = await makeHarness('2026-08-21T07:30:00Z'); // Friday 09:30 in Paris
  queues = new Queues(redis.url);
  await conn.flushall();
  platform = new FlakyPlatform();
  const schedules = new BullmqScheduleSync(queues, h.services.log);
  const core = { ...h.services, source: { name: 'none', fetchDay: async () => [], fetchRange: async function* () {} } };
  const ctx = buildJobContext({ core, queue: queues, platforms: new Map([['discord', platform]]), schedules, papersChanged: (ids) => publishPapersChanged(conn, ids) });
  // Upvotes are fresh for these tests: the sample is what it is.
  await h.store.setMeta('ingest:lastAt', new Date().toISOString());
  return { ...ctx, clock: h.clock };
}

afterEach(async () => {
  await running?.close();
  running = null;
  await queues?.close();
});

async function untilIdle(q: Queue): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (!c.waiting && !c.active && !c.prioritized) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`queue ${q.name} did not drain`);
}

describe('digest schedules', () => {
  it('fires at the channel’s local time and the digest reaches the platform', async () => {
    const ctx = await boot();
    const s = sub('c-paris');
    await h.store.saveSubscription(s);
    await ctx.schedules.upsert(s);
    const q = queues.plan();
    const [scheduler] = await q.getJobSchedulers(0, -1);
    expect(scheduler).toMatchObject({ key: schedulerId(s), pattern: '30 9 * * 1,2,3,4,5', tz: 'Europe/Paris' });
    // The scheduler's next job is due at 09:30 Paris time, whatever the server's zone.
    const [next] = await q.getDelayed();
    const due = new Date(next!.timestamp + next!.opts.delay!);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(due)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);

    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await next!.promote(); // time moves on: the due job runs now
    await untilIdle(q);
    await untilIdle(queues.deliveries('discord'));
    expect(platform.headersIn('c-paris')).toBe(1);
    expect(platform.papersIn('c-paris')).toHaveLength(5);
    expect(await h.store.listPosted(s, '2026-08-21')).toHaveLength(6);
  });

  it('keeps the local hour across daylight-saving changes', async () => {
    const { CronExpressionParser } = await import('cron-parser');
    const it = CronExpressionParser.parse(cronPattern({ hour: 9, minute: 0, weekdays: [1, 2, 3, 4, 5] }), { tz: 'Europe/Paris', currentDate: new Date('2027-03-25T12:00:00Z') });
    const runs = Array.from({ length: 3 }, () => it.next().toDate().toISOString());
    // Fri 26 Mar at 08:00Z (CET), then Mon 29 and Tue 30 Mar at 07:00Z (CEST): 09:00 local each time.
    expect(runs).toEqual(['2027-03-26T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z']);
  });

  it('upserts on settings changes, removes on unsubscribe and pause, reconciles with the store', async () => {
    const ctx = await boot();
    const q = queues.plan();
    await ctx.schedules.upsert(sub('c1'));
    await ctx.schedules.upsert(sub('c1', { hour: 7, minute: 0, timezone: 'Asia/Tokyo' }));
    expect((await q.getJobSchedulers(0, -1)).map((x) => [x.key, x.pattern, x.tz])).toEqual([[schedulerId(sub('c1')), '0 7 * * 1,2,3,4,5', 'Asia/Tokyo']]);
    await ctx.schedules.upsert(sub('c1', { paused: true }));
    expect(await q.getJobSchedulers(0, -1)).toEqual([]);

    await h.store.saveSubscription(sub('kept'));
    await h.store.saveSubscription(sub('paused', { paused: true }));
    await ctx.schedules.upsert(sub('orphan'));
    const r = await (ctx.schedules as BullmqScheduleSync).reconcile(h.store, ['discord']);
    expect(r).toEqual({ upserted: 1, removed: 1 });
    expect((await q.getJobSchedulers(0, -1)).map((x) => x.key)).toEqual([schedulerId(sub('kept'))]);
  });
});

describe('digest ticks and deliveries', () => {
  it('one delivery per channel and day, however many ticks fire', async () => {
    const ctx = await boot();
    const s = sub('c-dup');
    await h.store.saveSubscription(s);
    const tick = { id: 't', name: PLAN_JOB, data: { platform: 'discord', workspaceId: 'g1', channelId: 'c-dup', mode: 'scheduled' }, attemptsStarted: 1 };
    const first = await processDigestTick(tick, ctx);
    const second = await processDigestTick(tick, ctx); // e.g. settings moved the time after the first tick
    expect(first).toMatchObject({ status: 'queued', day: '2026-08-21', papers: 5 });
    expect(second).toEqual(first); // same plan, same job id: BullMQ keeps one job
    const q = queues.deliveries('discord');
    expect(await q.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    await untilIdle(q);
    expect(platform.papersIn('c-dup')).toHaveLength(5);
    // Saturday's run: nothing new.
    h.clock.set('2026-08-22T07:30:00Z');
    expect(await processDigestTick(tick, ctx)).toEqual({ status: 'skipped', reason: 'nothing new: 2026-08-21 already posted' });
  });

  it('retries a failed delivery and finishes it without a duplicate', async () => {
    const ctx = await boot();
    const s = sub('c-retry');
    await h.store.saveSubscription(s);
    platform.failEvery = 3; // every third request fails with a 500
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    const q = queues.deliveries('discord');
    await queues.plan().add(PLAN_JOB, { platform: 'discord', workspaceId: 'g1', channelId: 'c-retry', mode: 'scheduled' }, { attempts: 1, backoff: { type: 'fixed', delay: 10 } });
    // Deliveries retry with backoff; shorten it by promoting delayed retries as they appear.
    for (let i = 0; i < 200 && platform.papersIn('c-retry').length < 5; i++) {
      for (const d of await q.getDelayed()) await d.promote().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
    await untilIdle(q);
    expect(platform.headersIn('c-retry')).toBe(1);
    expect(platform.papersIn('c-retry')).toHaveLength(5);
    expect(new Set(platform.papersIn('c-retry')).size).toBe(5);
  });

  it('pauses the subscription of a channel that is gone, removes its schedule, and does not retry', async () => {
    const ctx = await boot();
    const s = sub('c-gone');
    await h.store.saveSubscription(s);
    await ctx.schedules.upsert(s);
    platform.failNext = () => new ChannelUnavailableError('10003', 'Unknown Channel');
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    const q = queues.deliveries('discord');
    await queues.plan().add(PLAN_JOB, { platform: 'discord', workspaceId: 'g1', channelId: 'c-gone', mode: 'scheduled' });
    await untilIdle(queues.plan());
    await expect.poll(async () => (await q.getFailed()).length, { timeout: 10_000 }).toBe(1);
    const [failed] = await q.getFailed();
    expect(failed!.failedReason).toBe('channel unavailable (10003)');
    expect(failed!.attemptsMade).toBe(1);
    expect(await h.store.getSubscription(s)).toMatchObject({ paused: true, pausedReason: 'channel unavailable (10003)' });
    expect(await queues.plan().getJobSchedulers(0, -1)).toEqual([]);
  });

  it('refuses a malformed payload for good', async () => {
    const ctx = await boot();
    running = await startWorkers({ queues, ctx, platforms: ['discord'], log: h.services.log, ingest: false });
    const q = queues.deliveries('discord');
    const job = await q.add(DELIVER_JOB, { platform: 'discord', channelId: '' });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/bad payload/);
    expect((await q.getJob(job.id!))!.attemptsMade).toBe(1);
  });
});

describe('shared rate limiter', () => {
  it('hands out slots evenly at the given rate, across clients', async () => {
    await conn.flushall();
    const a = new RedisRateLimiter(conn);
    const other = new Redis(redis.url);
    const b = new RedisRateLimiter(other);
    try {
      // 10 per second, no burst: 20 takes from two clients need about 1.9 s of slots.
      const started = Date.now();
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).take('k', { perSecond: 10, burst: 1 })));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_850);
      // A burst allowance lets the first ones through at once.
      const t2 = Date.now();
      await Promise.all(Array.from({ length: 5 }, () => a.take('k2', { perSecond: 1, burst: 5 })));
      expect(Date.now() - t2).toBeLessThan(1_000);
    } finally {
      await other.quit();
    }
  });

  it('lets low-priority work take only the capacity nobody reserved', async () => {
    await conn.flushall();
    const limiter = new RedisRateLimiter(conn);
    const rate = { perSecond: 10, burst: 1 };
    expect(await limiter.tryTake('k3', rate)).toBe(0); // idle: free now
    // Reserved ahead (a digest queued three sends): a hint is told to wait, and takes nothing.
    const queued = Promise.all([limiter.take('k3', rate), limiter.take('k3', rate), limiter.take('k3', rate)]);
    const wait = await limiter.tryTake('k3', rate);
    expect(wait).toBeGreaterThan(150);
    await queued;
  });
});
