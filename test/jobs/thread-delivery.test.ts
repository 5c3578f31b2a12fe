/**
 * Thread mode through the real workers on a private Redis: a threaded subscription's tick
 * plans a header marked to head a thread, the delivery posts the papers under it, and the
 * 🔖 hints of papers in a thread go by a job of their own, to the thread's channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hintQueue, PLAN_JOB } from '../../jobs/index.js';
import { buildJobContext } from '../../src/app/job-context.js';
import type { Subscription } from '../../src/core/ports.js';
import { DEFAULT_SETTINGS } from '../../src/core/subscription.js';
import { Queues } from '../../src/redis/bullmq-queues.js';
import { startWorkers, type RunningWorkers } from '../../src/redis/bullmq-workers.js';
import { BullmqScheduleSync } from '../../src/redis/job-schedulers.js';
import { makeHarness, type Harness } from '../support/bot-harness.js';
import { FakePlatform } from '../support/fakes/index.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
let h: Harness;
let queues: Queues;
let running: RunningWorkers;
const platform = new FakePlatform({ name: 'discord', idPrefix: 'm', threadChannels: true });

const sub: Subscription = {
  platform: 'discord', workspaceId: 'g1', channelId: 'c-thread', ...DEFAULT_SETTINGS, threads: true,
  paused: false, pausedReason: null, createdBy: 'u1', createdAt: '2026-08-01T00:00:00Z', updatedAt: '2026-08-01T00:00:00Z',
};

beforeAll(async () => {
  redis = await startTestRedis();
  h = await makeHarness('2026-08-21T09:30:00Z');
  queues = new Queues(redis.url);
  const schedules = new BullmqScheduleSync(queues, h.services.log);
  const core = { ...h.services, source: { name: 'none', fetchDay: async () => [], fetchRange: async function* () {} } };
  const ctx = buildJobContext({ core, queue: queues, platforms: new Map([['discord', platform]]), schedules, papersChanged: async () => {} });
  await h.store.setMeta('ingest:lastAt', new Date().toISOString());
  running = await startWorkers({ queues, ctx: { ...ctx, clock: h.clock }, platforms: ['discord'], log: h.services.log, ingest: false });
}, 60_000);

afterAll(async () => {
  await running?.close();
  await queues?.close();
});

describe('thread mode through the workers', () => {
  it('posts the papers under the header and hints them in the thread, by a job of the thread', async () => {
    await h.store.saveSubscription(sub);
    await queues.plan().add(PLAN_JOB, { platform: 'discord', workspaceId: 'g1', channelId: 'c-thread', mode: 'scheduled' });
    for (let i = 0; i < 400 && platform.hints.length < 5; i++) await new Promise((r) => setTimeout(r, 25));
    const [header, ...papers] = platform.posts;
    expect(header!.message).toMatchObject({ kind: 'digestHeader', threads: true });
    expect(header!.thread).toEqual({ name: (header!.message as { title: string }).title });
    expect(papers).toHaveLength(5);
    for (const p of papers) expect(p.thread).toEqual({ name: header!.thread!.name, parentMessageId: header!.messageId });
    expect(platform.hintChannels).toEqual(papers.map(() => `thread-${header!.messageId}`));
    const [job] = await queues.get(hintQueue('discord')).getCompleted();
    expect(job!.id).toContain(`|thread-${header!.messageId}`);
    expect(job!.data).toMatchObject({ channelId: `thread-${header!.messageId}`, messageIds: papers.map((p) => p.messageId) });
  });
});
