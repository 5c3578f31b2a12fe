/**
 * The queue side of a process, assembled from config: the Redis to use, the queues,
 * the schedule sync and dispatcher the bot's commands use, the papers-changed
 * subscription that keeps this process's index current, and (optionally) the workers.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deliverQueue, hintQueue, INGEST_QUEUE, PLAN_QUEUE, sweep, SWEEP_INTERVAL_MS } from '../../jobs/index.js';
import { countingPlatform, noMetrics, type Metrics } from '../core/metrics.js';
import type { ChatPlatform, DigestDispatcher, PlatformName, SeenStore, TurnGate } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import type { Throttle } from '../core/throttle.js';
import { Queues } from '../redis/bullmq-queues.js';
import { ensureIngestSchedule, startWorkers, type RunningWorkers } from '../redis/bullmq-workers.js';
import { RedisRateLimiter } from '../redis/gcra-rate-limiter.js';
import { BullmqScheduleSync } from '../redis/job-schedulers.js';
import { followPapersChanged, publishPapersChanged } from '../redis/papers-changed.js';
import { durabilityWarnings, readDurability } from '../redis/redis-durability.js';
import { QueueDigestDispatcher } from '../redis/queue-dispatcher.js';
import { platformRates, RateLimitedPlatform, type RateSettings } from '../redis/rate-limited-platform.js';
import { redisConnection, type ResolvedRedis } from '../redis/redis-connection.js';
import { RedisSeenStore } from '../redis/redis-seen-store.js';
import { RedisTurnGate } from '../redis/redis-turn-gate.js';
import { startSweepLoop, type SweepLoop } from '../redis/sweep-loop.js';
import { buildJobContext, type JobCore } from './job-context.js';

export interface QueueSide {
  redisUrl: string;
  dispatcher: DigestDispatcher;
  schedules: ScheduleSync;
  workers: RunningWorkers | null;
  /** Deliveries seen by any process on this Redis (Slack's retries), under the prefix. */
  seen: SeenStore;
  /** Turns shared by every process on this Redis (Discord's gateway identify), under the prefix. */
  turns: TurnGate;
  /** Whether the Redis connection is up now (for /readyz). */
  redisReady(): boolean;
  /** Every queue this process uses, for the dashboard. */
  queues(): Queue[];
  /** Job counts by queue and state, for /metrics. */
  jobCounts(): Promise<{ queue: string; counts: Record<string, number> }[]>;
  /** Per-user command limits and cooldowns, shared by every process on this Redis. */
  throttle: Throttle;
  /** Warnings about this Redis (evicting, no persistence), read once at start. */
  warnings: string[];
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
  metrics?: Metrics;
  /** QUEUE_PREFIX: two installs on one Redis never take each other's jobs. */
  prefix?: string;
  concurrency?: number;
  ingest?: boolean;
  lockMs?: number;
  rates?: RateSettings;
  /** How often the store-to-Redis sweep runs (jobs/sweep.ts); it also runs on every reconnect. */
  sweepMs?: number;
}

export async function startQueueSide(opts: QueueSideOptions): Promise<QueueSide> {
  const { core } = opts;
  const queues = new Queues(opts.redis.url, opts.prefix);
  const redis: Redis = redisConnection(opts.redis.url, 'papers', core.log);
  const subscriber: Redis | null = opts.followIndex ? redisConnection(opts.redis.url, 'papers-sub', core.log) : null;
  const schedules = new BullmqScheduleSync(queues, core.log.child({ component: 'schedules' }));
  // Rate-limit keys and the papers-changed channel carry the prefix too: each install on a
  // shared Redis is its own bot, with its own budget and its own papers.
  const limiter = new RedisRateLimiter(redis, `${opts.prefix ?? 'papers'}:rl:`);
  const rates = platformRates(opts.rates);
  const metrics = opts.metrics ?? noMetrics;
  // Counted inside the limiter: every message that went out, and every 429 the platform answered.
  const limited = new Map([...opts.platforms].map(([name, p]) => [name, new RateLimitedPlatform(countingPlatform(p, metrics), limiter, rates)] as const));
  const papersChanged = (ids: readonly string[]) => publishPapersChanged(redis, ids, opts.prefix);
  const ctx = buildJobContext({ core, queue: queues, platforms: limited, schedules, papersChanged, metrics });
  const dispatcher = new QueueDigestDispatcher(core.digests, ctx, ctx.ensureFreshUpvotes);

  if (subscriber) await followPapersChanged(subscriber, { index: core.index, store: core.store, log: core.log }, opts.prefix);
  let workers: RunningWorkers | null = null;
  let sweeps: SweepLoop | null = null;
  if (opts.runWorkers) {
    const names = [...opts.platforms.keys()];
    const ingest = opts.ingest ?? true;
    workers = await startWorkers({ queues, ctx, platforms: names, log: core.log.child({ component: 'workers' }), concurrency: opts.concurrency ?? 100, ingest, ...(opts.lockMs ? { lockMs: opts.lockMs } : {}) });
    const log = core.log.child({ component: 'sweep' });
    const run = () =>
      sweep({
        store: core.store,
        queue: queues,
        clock: core.clock,
        log,
        platforms: names,
        inFlight: ctx.inFlight,
        reconcileSchedules: async () => {
          const r = await schedules.reconcile(core.store, names);
          if (ingest && (await ensureIngestSchedule(queues))) r.upserted++;
          return r;
        },
      });
    const first = await run();
    core.log.info({ upserted: first.schedulesUpserted, removed: first.schedulesRemoved, requeued: first.requeued }, 'digest schedules reconciled');
    sweeps = startSweepLoop({ run, redis, intervalMs: opts.sweepMs ?? SWEEP_INTERVAL_MS, log });
  }

  // Every queue this process adds to or consumes, for the dashboard and /metrics; opened
  // on first ask (each Queue holds a Redis connection of its own).
  const names = [INGEST_QUEUE, PLAN_QUEUE, ...[...opts.platforms.keys()].flatMap((p) => [deliverQueue(p), hintQueue(p)])];
  const all = () => names.map((n) => queues.get(n));
  const warnings = durabilityWarnings(await readDurability(redis));
  return {
    redisUrl: opts.redis.url,
    dispatcher,
    schedules,
    workers,
    seen: new RedisSeenStore(redis, opts.prefix),
    turns: new RedisTurnGate(redis, core.log.child({ component: 'turns' }), opts.prefix),
    warnings,
    throttle: limiter,
    redisReady: () => redis.status === 'ready',
    queues: all,
    jobCounts: () => Promise.all(all().map(async (q) => ({ queue: q.name, counts: await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed') }))),
    async close() {
      await sweeps?.stop();
      await workers?.close();
      await queues.close();
      await Promise.allSettled([redis.quit(), subscriber?.quit()]);
    },
  };
}
