/**
 * The queue side of a process, assembled from config: the Redis to use, the queues,
 * the schedule sync and dispatcher the bot's commands use, the papers-changed
 * subscription that keeps this process's index current, and (optionally) the workers.
 */
import type { Redis } from 'ioredis';
import type { ChatPlatform, DigestDispatcher, PlatformName } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import { Queues } from '../redis/bullmq-queues.js';
import { startWorkers, type RunningWorkers } from '../redis/bullmq-workers.js';
import { RedisRateLimiter } from '../redis/gcra-rate-limiter.js';
import { BullmqScheduleSync } from '../redis/job-schedulers.js';
import { followPapersChanged, publishPapersChanged } from '../redis/papers-changed.js';
import { QueueDigestDispatcher } from '../redis/queue-dispatcher.js';
import { platformRates, RateLimitedPlatform, type RateSettings } from '../redis/rate-limited-platform.js';
import { redisConnection, type ResolvedRedis } from '../redis/redis-connection.js';
import { buildJobContext, type JobCore } from './job-context.js';

export interface QueueSide {
  redisUrl: string;
  dispatcher: DigestDispatcher;
  schedules: ScheduleSync;
  workers: RunningWorkers | null;
  close(): Promise<void>;
}

/** The private redis-server, if the process started one, is stopped by its owner (src/app/lifecycle.ts), after this side closes. */
export interface QueueSideOptions {
  core: JobCore;
  redis: ResolvedRedis;
  /** Platforms this process can post to (workers consume their digest queues). */
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  /** Run workers here (npm start by default, npm run worker always). */
  runWorkers: boolean;
  /** Keep this process's search index current when another process ingests. */
  followIndex: boolean;
  concurrency?: number;
  ingest?: boolean;
  lockMs?: number;
  rates?: RateSettings;
}

export async function startQueueSide(opts: QueueSideOptions): Promise<QueueSide> {
  const { core } = opts;
  const queues = new Queues(opts.redis.url);
  const redis: Redis = redisConnection(opts.redis.url, 'papers', core.log);
  const subscriber: Redis | null = opts.followIndex ? redisConnection(opts.redis.url, 'papers-sub', core.log) : null;
  const schedules = new BullmqScheduleSync(queues, core.log.child({ component: 'schedules' }));
  const limiter = new RedisRateLimiter(redis);
  const rates = platformRates(opts.rates);
  const limited = new Map([...opts.platforms].map(([name, p]) => [name, new RateLimitedPlatform(p, limiter, rates)] as const));
  const papersChanged = (ids: readonly string[]) => publishPapersChanged(redis, ids);
  const ctx = buildJobContext({ core, queue: queues, platforms: limited, schedules, papersChanged });
  const dispatcher = new QueueDigestDispatcher(core.digests, queues, ctx.ensureFreshUpvotes);

  if (subscriber) await followPapersChanged(subscriber, { index: core.index, store: core.store, log: core.log });
  let workers: RunningWorkers | null = null;
  if (opts.runWorkers) {
    const names = [...opts.platforms.keys()];
    workers = await startWorkers({ queues, ctx, platforms: names, log: core.log.child({ component: 'workers' }), concurrency: opts.concurrency ?? 100, ingest: opts.ingest ?? true, ...(opts.lockMs ? { lockMs: opts.lockMs } : {}) });
    const r = await schedules.reconcile(core.store, names);
    core.log.info(r, 'digest schedules reconciled');
  }

  return {
    redisUrl: opts.redis.url,
    dispatcher,
    schedules,
    workers,
    async close() {
      await workers?.close();
      await queues.close();
      await Promise.allSettled([redis.quit(), subscriber?.quit()]);
    },
  };
}
