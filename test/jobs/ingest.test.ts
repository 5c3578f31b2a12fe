/**
 * Scheduled ingest against the replayed Daily Papers API and a real Redis: papers are
 * stored, upvotes refreshed, and every bot process's index follows without a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_PATTERN, INGEST_SCHEDULER_ID, processIngest, type JobContext } from '../../jobs/index.js';
import { DigestService } from '../../src/core/digest/digest-service.js';
import { BullmqScheduleSync } from '../../src/redis/job-schedulers.js';
import { defaultIngestDays } from '../../src/core/ingest-papers.js';
import { storeDocFeed } from '../../src/search/doc-feed.js';
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { silentLogger } from '../../src/log.js';
import { followPapersChanged, publishPapersChanged } from '../../src/redis/papers-changed.js';
import { upvoteRefresher } from '../../src/core/digest/upvote-refresher.js';
import { Queues } from '../../src/redis/bullmq-queues.js';
import { startWorkers } from '../../src/redis/bullmq-workers.js';
import { HfDailySource } from '../../src/sources/hf-daily.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startHfReplayServer, type HfReplayServer } from '../support/hf-replay-server.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { HF_DAILY_DIR } from '../support/tmp.js';

const log = silentLogger();
let redis: TestRedis;
let hf: HfReplayServer;
let pub: Redis;
let sub: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  hf = await startHfReplayServer({ dataDir: HF_DAILY_DIR });
  pub = new Redis(redis.url);
  sub = new Redis(redis.url);
});
afterAll(async () => {
  await Promise.all([pub.quit(), sub.quit(), hf.close()]);
});

function context(store: MemoryStore, now = new Date('2026-08-21T12:00:00Z')) {
  const source = new HfDailySource({ baseUrl: hf.url, timeoutMs: 2_000, retries: 0, pageSize: 100, log });
  return {
    store,
    source,
    clock: { now: () => now },
    log,
    papersChanged: (ids: readonly string[]) => publishPapersChanged(pub, ids),
  };
}

describe('ingest job', () => {
  it('defaults to today and the weekday before it', () => {
    expect(defaultIngestDays(new Date('2026-08-24T10:00:00Z'))).toEqual(['2026-08-24', '2026-08-21']); // Monday → Friday
    expect(defaultIngestDays(new Date('2026-08-21T10:00:00Z'))).toEqual(['2026-08-21', '2026-08-20']);
  });

  it('stores new papers and a bot process’s index picks them up without a restart', async () => {
    const store = new MemoryStore();
    const botIndex = new LunrPaperIndex({ feed: storeDocFeed(store), log, useWorker: false });
    await botIndex.ready();
    await followPapersChanged(sub, { index: botIndex, store, log });
    await expect(botIndex.search('EnvHarness')).resolves.toMatchObject({ total: 0 });

    const out = await processIngest({ id: 'j1', name: 'ingest', data: { dates: [], reason: 'schedule' }, attemptsStarted: 1 }, context(store));
    expect(out.days.map((d) => [d.date, d.fetched, d.inserted])).toEqual([['2026-08-21', 17, 17], ['2026-08-20', 15, 15]]);
    await expect.poll(async () => (await botIndex.search('EnvHarness')).hits[0]?.id, { timeout: 10_000 }).toBe('2608.19880');

    // Upvotes grow during the day: a refresh stores them without a rebuild, and the bot's
    // filters see them.
    const day = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, '2026-08-21.json'), 'utf8')) as { paper: { id: string; upvotes: number } }[];
    for (const item of day) if (item.paper.id === '2608.19880') item.paper.upvotes = 999;
    hf.days.set('2026-08-21', day);
    const revision = await store.revision();
    await processIngest({ id: 'j2', name: 'ingest', data: { dates: ['2026-08-21'] }, attemptsStarted: 1 }, context(store));
    expect((await store.getPaper('2608.19880'))!.upvotes).toBe(999);
    expect(await store.revision()).toBe(revision);
    await expect.poll(async () => (await botIndex.search('EnvHarness', { filters: { minUpvotes: 500 } })).total, { timeout: 10_000 }).toBe(1);
    await botIndex.close();
  });

  it('runs every 30 minutes on weekdays, and once at start', async () => {
    const queues = new Queues(redis.url);
    const store = new MemoryStore();
    const index = new LunrPaperIndex({ feed: storeDocFeed(store), log, useWorker: false });
    const clock = { now: () => new Date() };
    const ctx: JobContext = {
      ...context(store, clock.now()),
      index,
      digests: new DigestService({ store, index, clock, log }),
      schedules: new BullmqScheduleSync(queues, log),
      queue: queues,
      platformFor: () => undefined,
      ensureFreshUpvotes: async () => {},
      inFlight: new Set(),
    };
    const running = await startWorkers({ queues, ctx, platforms: [], log, ingest: true });
    try {
      const scheduler = await queues.ingest().getJobScheduler(INGEST_SCHEDULER_ID);
      expect(scheduler).toMatchObject({ pattern: INGEST_PATTERN, tz: 'UTC' });
      await expect.poll(async () => (await queues.ingest().getCompleted()).some((j) => j.data.reason === 'start'), { timeout: 10_000 }).toBe(true);
    } finally {
      await running.close();
      await queues.close();
      await index.close();
    }
  });
});

describe('upvote refresh before digests', () => {
  it('runs once for many digests at a time, and not at all when the last ingest is recent', async () => {
    const store = new MemoryStore();
    let calls = 0;
    let release!: () => void;
    const refresh = upvoteRefresher({ store, clock: { now: () => new Date('2026-08-21T09:00:00Z') }, log, refresh: () => new Promise<void>((r) => { calls++; release = r; }) });
    const waiting = Promise.all(Array.from({ length: 50 }, () => refresh()));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await waiting;
    expect(calls).toBe(1);
    await store.setMeta('ingest:lastAt', '2026-08-21T08:45:00Z');
    await refresh();
    expect(calls).toBe(1);
  });

  it('carries on with stored upvotes when the refresh fails', async () => {
    const store = new MemoryStore();
    const refresh = upvoteRefresher({ store, clock: { now: () => new Date() }, log, refresh: async () => { throw new Error('HF down'); } });
    await expect(refresh()).resolves.toBeUndefined();
  });
});
