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
import { defaultIngestDays, ingestDays } from '../../src/core/ingest-papers.js';
import type { Paper } from '../../src/core/paper.js';
import type { PaperSource } from '../../src/core/ports.js';
import { makePaper } from '../support/papers.js';
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
    await processIngest({ id: 'j2', name: 'ingest', data: { dates: ['2026-08-21'] }, attemptsStarted: 1 }, context(store, new Date('2026-08-21T12:30:00Z')));
    expect((await store.getPaper('2608.19880'))!.upvotes).toBe(999);
    expect(await store.revision()).toBe(revision);
    // The refresh left an upvote sample for the paper whose count changed, none for the others.
    expect(await store.upvotes.history(['2608.19880', '2608.18580'], '2026-08-21T00:00:00.000Z')).toEqual([
      { paperId: '2608.18580', observedAt: '2026-08-21T12:00:00.000Z', upvotes: 54 },
      { paperId: '2608.19880', observedAt: '2026-08-21T12:00:00.000Z', upvotes: 163 },
      { paperId: '2608.19880', observedAt: '2026-08-21T12:30:00.000Z', upvotes: 999 },
    ]);
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

/** A source serving what the test sets, one list per day. */
function fakeSource(days: Map<string, Paper[]>): PaperSource {
  return {
    name: 'fake',
    fetchDay: async (date) => structuredClone(days.get(date) ?? []),
    async *fetchRange() {},
  };
}

describe('upvote history written by the ingest', () => {
  const DAY = '2026-08-21';
  const featured = (id: string, upvotes: number | null): Paper => makePaper({ id, upvotes, featuredDates: [DAY] });

  it('leaves a sample the first time a paper is seen with upvotes and whenever its count changes, never for an unchanged one', async () => {
    const store = new MemoryStore();
    const days = new Map([[DAY, [featured('2608.1', 3), featured('2608.2', 10), featured('2608.3', null)]]]);
    let now = new Date(`${DAY}T08:00:00.000Z`);
    const deps = { source: fakeSource(days), store, clock: { now: () => now }, log };
    const history = () => store.upvotes.history(['2608.1', '2608.2', '2608.3'], `${DAY}T00:00:00.000Z`);

    await ingestDays(deps, [DAY]);
    expect(await history()).toEqual([
      { paperId: '2608.1', observedAt: `${DAY}T08:00:00.000Z`, upvotes: 3 },
      { paperId: '2608.2', observedAt: `${DAY}T08:00:00.000Z`, upvotes: 10 },
    ]);

    // 30 minutes later: 2608.1 gained 4, 2608.2 did not change, 2608.3 got its first upvote.
    now = new Date(`${DAY}T08:30:00.000Z`);
    days.set(DAY, [featured('2608.1', 7), featured('2608.2', 10), featured('2608.3', 1)]);
    await ingestDays(deps, [DAY]);
    // Then a lower count from the API (the store keeps the larger one): no change, no sample.
    now = new Date(`${DAY}T09:00:00.000Z`);
    days.set(DAY, [featured('2608.1', 5), featured('2608.2', 10), featured('2608.3', 1)]);
    await ingestDays(deps, [DAY]);
    expect(await history()).toEqual([
      { paperId: '2608.1', observedAt: `${DAY}T08:00:00.000Z`, upvotes: 3 },
      { paperId: '2608.1', observedAt: `${DAY}T08:30:00.000Z`, upvotes: 7 },
      { paperId: '2608.2', observedAt: `${DAY}T08:00:00.000Z`, upvotes: 10 },
      { paperId: '2608.3', observedAt: `${DAY}T08:30:00.000Z`, upvotes: 1 },
    ]);
  });

  it('writes none for a backfill of old days, and a failing history does not fail the ingest', async () => {
    const store = new MemoryStore();
    const old = '2025-03-03';
    const deps = { source: fakeSource(new Map([[old, [makePaper({ id: '2503.1', upvotes: 40, featuredDates: [old] })]]])), store, clock: { now: () => new Date(`${DAY}T08:00:00.000Z`) }, log };
    await ingestDays(deps, [old]);
    expect(await store.upvotes.history(['2503.1'], '2000-01-01T00:00:00.000Z')).toEqual([]);

    const broken = new MemoryStore();
    broken.upvotes.record = async () => { throw new Error('disk full'); };
    const out = await ingestDays({ ...deps, store: broken, source: fakeSource(new Map([[DAY, [featured('2608.1', 3)]]])) }, [DAY]);
    expect(out).toMatchObject([{ date: DAY, inserted: 1 }]);
    expect((await broken.getPaper('2608.1'))!.upvotes).toBe(3);
  });
});
