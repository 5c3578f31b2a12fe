/**
 * Live counts end to end on Discord, with the real workers on a private Redis, the shared
 * GCRA limiter and discord.js against the stand-in: a digest is posted, the ingest brings
 * new counts, the ingest job queues the edit sweep on the hints queue, and the channel's
 * paper messages show the new counts, each edited once; an ingest with nothing new edits
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDIT_SWEEP_JOB, INGEST_JOB, ingestJobId } from '../../../jobs/index.js';
import { buildJobContext } from '../../../src/app/job-context.js';
import type { Paper } from '../../../src/core/paper.js';
import type { ChannelRef, PaperSource } from '../../../src/core/ports.js';
import { Queues } from '../../../src/redis/bullmq-queues.js';
import { startWorkers, type RunningWorkers } from '../../../src/redis/bullmq-workers.js';
import { RedisRateLimiter } from '../../../src/redis/gcra-rate-limiter.js';
import { BullmqScheduleSync } from '../../../src/redis/job-schedulers.js';
import { platformRates, RateLimitedPlatform } from '../../../src/redis/rate-limited-platform.js';
import { DEFAULT_GUILD } from '../../support/discord-standin/index.js';
import { startTestRedis, testRedisClient, type TestRedis } from '../../support/redis.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const REF: ChannelRef = { platform: 'discord', workspaceId: DEFAULT_GUILD, channelId: '400000000000000031' };
let redis: TestRedis;
let queues: Queues;
let bot: DiscordBot;
let workers: RunningWorkers;
/** What the next ingest fetches, by day. */
const upstream = new Map<string, Paper[]>();

beforeAll(async () => {
  redis = await startTestRedis();
  queues = new Queues(redis.url);
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } };
  const schedules = new BullmqScheduleSync(queues, quiet);
  bot = await startDiscordBot({ now: '2026-08-21T10:00:00Z', schedules, standin: { acceptUnknownChannels: true } });
  const source: PaperSource = { name: 'upstream', fetchDay: async (d) => upstream.get(d) ?? [], fetchRange: async function* () {} };
  const limited = new RateLimitedPlatform(bot.platform, new RedisRateLimiter(testRedisClient(redis.url)), platformRates({ discord: () => ({ key: 'discord:global', rate: { perSecond: 40, burst: 1 } }) }));
  const ctx = buildJobContext({ core: { ...bot.services, source }, queue: queues, platforms: new Map([['discord', limited]]), schedules, papersChanged: async () => {} });
  workers = await startWorkers({ queues, ctx, platforms: ['discord'], log: ctx.log, ingest: true });
  // Its start ingest runs first, finding nothing upstream yet.
  for (let i = 0; !(await queues.ingest().getCompleted()).some((j) => j.data.reason === 'start'); i++) {
    if (i > 400) throw new Error('the start ingest did not run');
    await new Promise((r) => setTimeout(r, 25));
  }
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await bot?.close();
});

const idle = async () => {
  for (let i = 0; i < 400; i++) {
    let busy = 0;
    for (const q of [queues.ingest(), queues.get('papers-hints-discord')]) {
      // Not 'delayed': the ingest's own schedule (every 30 minutes) always has its next run waiting.
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    }
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('queues did not drain');
};
const ingest = async (at: string) => {
  bot.clock.set(at);
  await queues.ingest().add(INGEST_JOB, { dates: ['2026-08-21'], reason: 'manual' }, { jobId: ingestJobId('manual', new Date(at)) });
  await idle();
};
const upvotes = () => bot.discord.messages(REF.channelId).slice(1).map((m) => (m.embeds[0] as { fields: { name: string; value: string }[] }).fields.find((f) => f.name === 'Upvotes')!.value);

describe('live counts on Discord, end to end', () => {
  it('edits the posted papers after an ingest brings new counts, each once, and nothing after an ingest with none', async () => {
    const out = await bot.services.digests.run({ ...REF, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, order: 'upvotes' }, 'now', bot.platform);
    expect(out.posted).toBe(3);
    const shown = upvotes();
    const ids = [...(await bot.store.postedPaperIds(REF))];
    const papers = await bot.store.getPapers(ids);
    upstream.set('2026-08-21', papers.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + 10, comments: (p.comments ?? 0) + 1 })));

    await ingest('2026-08-21T10:30:00Z');
    const sweeps = (await queues.get('papers-hints-discord').getCompleted()).filter((j) => j.name === EDIT_SWEEP_JOB);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.returnvalue).toMatchObject({ watched: 3, edited: 3, failed: 0 });
    const now = upvotes();
    expect(now.map((v) => Number(/▲ (\d+)/.exec(v)![1]))).toEqual(shown.map((v) => Number(/▲ (\d+)/.exec(v)![1]) + 10));
    expect(now.every((v) => /· 💬 \d+$/.test(v))).toBe(true);
    expect(bot.discord.messages(REF.channelId).map((m) => m.edits)).toEqual([0, 1, 1, 1]);

    // The same counts again: the ingest changes nothing, so no sweep is queued and nothing is edited.
    await ingest('2026-08-21T11:00:00Z');
    expect(bot.discord.messages(REF.channelId).map((m) => m.edits)).toEqual([0, 1, 1, 1]);
    expect(bot.discord.rejected()).toEqual([]);
  });
});
